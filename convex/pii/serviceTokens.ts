// Secrets of widely used services recognisable by their documented prefix, alphabet and length
// (the formats the services' own docs and the public secret-scanner rule sets state): GitLab
// "glpat-" and friends, Slack app tokens "xapp-" and webhook URLs, Stripe webhook secrets "whsec_",
// Google API keys "AIza" + 35 and OAuth tokens "ya29.", npm "npm_", PyPI "pypi-AgEIcHlwaS5vcmc",
// Hugging Face "hf_", SendGrid "SG.x.y", Mailgun "key-" + 32 and hex32-hex8-hex8, Shopify "shp*_",
// DigitalOcean "do*_v1_", Databricks "dapi", Linear "lin_api_", Notion "ntn_", Atlassian "ATATT",
// Postman "PMAK-", Vault "hvs."/"hvb.", Sentry "sntryu_"/"sntrys_", Groq "gsk_", Replicate "r8_",
// Perplexity "pplx-", Doppler "dp.pt.", Tailscale "tskey-", Brevo "xkeysib-", Mapbox secret
// "sk.eyJ", Telegram bot tokens and an AWS secret key written right after its access key id.
// One regex finds the prefixes; the token after each is walked once in code and judged.
import { isGluedAfter, isGluedBefore } from "./boundaries";
import type { PiiFinding } from "./categories";
import { codeAt, isAlphanumeric, isDigit, isHexDigit, isLetter } from "./characters";

type Alphabet = (code: number) => boolean;

const isBase64Url: Alphabet = (code) => isAlphanumeric(code) || code === 95 || code === 45;
const isBase64: Alphabet = (code) => isAlphanumeric(code) || code === 43 || code === 47 || code === 61;
const isLowerHex: Alphabet = (code) => isDigit(code) || (code >= 97 && code <= 102);

interface TokenFormat {
  prefix: string;
  alphabet: Alphabet;
  minBody: number;
  maxBody: number;
  /** A further check on the body, when the format has more structure than an alphabet. */
  check?: (body: string) => boolean;
}

const ANY_LENGTH = 4_096;

const FORMATS: TokenFormat[] = [
  ...["glpat-", "glrt-", "gldt-", "glptt-", "glcbt-", "glimt-", "glft-", "gloas-", "glsoat-"].map((prefix) => ({
    prefix,
    alphabet: (code: number) => isBase64Url(code) || code === 46,
    minBody: 20,
    maxBody: 320,
  })),
  { prefix: "xapp-", alphabet: isBase64Url, minBody: 30, maxBody: ANY_LENGTH },
  { prefix: "whsec_", alphabet: isBase64, minBody: 24, maxBody: 128 },
  { prefix: "AIza", alphabet: isBase64Url, minBody: 35, maxBody: 35 },
  { prefix: "ya29.", alphabet: isBase64Url, minBody: 30, maxBody: ANY_LENGTH },
  { prefix: "npm_", alphabet: isAlphanumeric, minBody: 36, maxBody: 36 },
  { prefix: "pypi-AgEIcHlwaS5vcmc", alphabet: isBase64Url, minBody: 40, maxBody: ANY_LENGTH },
  { prefix: "hf_", alphabet: isAlphanumeric, minBody: 30, maxBody: 40, check: hasUpperAndLower },
  { prefix: "api_org_", alphabet: isAlphanumeric, minBody: 30, maxBody: 40, check: hasUpperAndLower },
  {
    prefix: "SG.",
    alphabet: (code) => isBase64Url(code) || code === 46,
    minBody: 60,
    maxBody: 80,
    check: (body) => /^[\w-]{22}\.[\w-]{43}$/.test(body),
  },
  { prefix: "key-", alphabet: isAlphanumeric, minBody: 32, maxBody: 32, check: hasDigit },
  ...["shpat_", "shpca_", "shppa_", "shpss_"].map((prefix) => ({ prefix, alphabet: isHexDigit, minBody: 32, maxBody: 32 })),
  ...["dop_v1_", "doo_v1_", "dor_v1_"].map((prefix) => ({ prefix, alphabet: isLowerHex, minBody: 64, maxBody: 64 })),
  { prefix: "dapi", alphabet: (code) => isLowerHex(code) || code === 45, minBody: 32, maxBody: 34, check: startsHex32 },
  { prefix: "lin_api_", alphabet: isAlphanumeric, minBody: 40, maxBody: 40 },
  { prefix: "lin_oauth_", alphabet: isAlphanumeric, minBody: 64, maxBody: 64 },
  { prefix: "ntn_", alphabet: isAlphanumeric, minBody: 40, maxBody: 50, check: hasDigit },
  { prefix: "ATATT", alphabet: (code) => isBase64Url(code) || code === 61, minBody: 100, maxBody: ANY_LENGTH },
  {
    prefix: "PMAK-",
    alphabet: (code) => isLowerHex(code) || code === 45,
    minBody: 59,
    maxBody: 59,
    check: (body) => /^[0-9a-f]{24}-[0-9a-f]{34}$/.test(body),
  },
  ...["hvs.", "hvb.", "hvr."].map((prefix) => ({ prefix, alphabet: isBase64Url, minBody: 24, maxBody: ANY_LENGTH })),
  { prefix: "sntryu_", alphabet: isLowerHex, minBody: 64, maxBody: 64 },
  { prefix: "sntrys_", alphabet: isBase64, minBody: 50, maxBody: ANY_LENGTH },
  { prefix: "gsk_", alphabet: isAlphanumeric, minBody: 52, maxBody: 52 },
  { prefix: "r8_", alphabet: isAlphanumeric, minBody: 37, maxBody: 37, check: hasDigit },
  { prefix: "pplx-", alphabet: isAlphanumeric, minBody: 48, maxBody: 48 },
  { prefix: "dp.pt.", alphabet: isAlphanumeric, minBody: 43, maxBody: 43 },
  { prefix: "tskey-", alphabet: isBase64Url, minBody: 20, maxBody: 128, check: hasDigit },
  { prefix: "xkeysib-", alphabet: (code) => isLowerHex(code) || code === 45, minBody: 80, maxBody: 90 },
  {
    prefix: "sk.eyJ",
    alphabet: (code) => isBase64Url(code) || code === 46,
    minBody: 40,
    maxBody: ANY_LENGTH,
    check: (body) => body.includes("."),
  },
  {
    prefix: "https://hooks.slack.com/",
    alphabet: (code) => isBase64Url(code) || code === 47,
    minBody: 30,
    maxBody: 200,
    check: (body) => /^(services|workflows)\/T\w+\/\w+\/\w{16,}$/.test(body),
  },
];

function escapeForRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

const FORMATS_BY_PREFIX = new Map(FORMATS.map((format) => [format.prefix, format]));
// Longest prefixes first, so "lin_oauth_" is not read as a shorter prefix.
const PREFIX_PATTERN = new RegExp(
  [...FORMATS_BY_PREFIX.keys()]
    .sort((left, right) => right.length - left.length)
    .map(escapeForRegex)
    .join("|"),
  "g",
);
// Mailgun's newer keys: 32 hex, "-", 8 hex, "-", 8 hex. Found from the dashed tail.
const MAILGUN_TAIL_PATTERN = /-[0-9a-f]{8}-[0-9a-f]{8}/g;
const MAILGUN_HEAD_LENGTH = 32;
// Telegram bot tokens: the bot id (8-10 digits), ":", then 35 base64url characters starting "AA".
const TELEGRAM_ANCHOR = ":AA";
const TELEGRAM_MIN_ID = 8;
const TELEGRAM_MAX_ID = 10;
const TELEGRAM_SECRET_LENGTH = 35;
// An AWS secret access key (40 base64 characters) pasted right after its access key id.
const AWS_PAIR_PATTERN = /(?:AKIA|ASIA)[A-Z0-9]{16}[ \t]{0,3}[/:,|][ \t]{0,3}([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g;

function hasDigit(body: string): boolean {
  return /\d/.test(body);
}

function hasUpperAndLower(body: string): boolean {
  return /[A-Z]/.test(body) && /[a-z]/.test(body);
}

function startsHex32(body: string): boolean {
  return /^[0-9a-f]{32}(?:-\d)?$/.test(body);
}

function isTokenBoundaryBefore(text: string, start: number): boolean {
  const before = codeAt(text, start - 1);
  return !(isBase64Url(before) || before === 46 || isGluedBefore(text, start));
}

export function findServiceTokens(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  const pattern = new RegExp(PREFIX_PATTERN);
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const start = match.index;
    const format = FORMATS_BY_PREFIX.get(match[0]);
    let end = start + match[0].length;
    if (format === undefined) continue;
    while (end < text.length && format.alphabet(text.charCodeAt(end))) end++;
    // Resume after the walked run whatever the verdict, so no character is walked twice.
    pattern.lastIndex = Math.max(end, start + 1);
    let bodyEnd = end;
    // A sentence may end right after a token whose alphabet holds "." or "=".
    while (bodyEnd > start + format.prefix.length && codeAt(text, bodyEnd - 1) === 46) bodyEnd--;
    const body = text.slice(start + format.prefix.length, bodyEnd);
    if (
      isTokenBoundaryBefore(text, start) &&
      !isGluedAfter(text, bodyEnd) &&
      body.length >= format.minBody &&
      body.length <= format.maxBody &&
      (format.check === undefined || format.check(body))
    ) {
      findings.push({ category: "api_key", start, end: bodyEnd });
    }
  }
  findMailgunKeys(text, findings);
  findTelegramTokens(text, findings);
  findAwsSecretPairs(text, findings);
  return findings;
}

function findMailgunKeys(text: string, findings: PiiFinding[]): void {
  const pattern = new RegExp(MAILGUN_TAIL_PATTERN);
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const end = match.index + match[0].length;
    const start = match.index - MAILGUN_HEAD_LENGTH;
    let hex = 0;
    while (hex < MAILGUN_HEAD_LENGTH && isLowerHex(codeAt(text, match.index - 1 - hex))) hex++;
    if (hex === MAILGUN_HEAD_LENGTH && isTokenBoundaryBefore(text, start) && !isGluedAfter(text, end)) {
      if (codeAt(text, end) !== 45) findings.push({ category: "api_key", start, end });
    }
  }
}

function findTelegramTokens(text: string, findings: PiiFinding[]): void {
  let hit = text.indexOf(TELEGRAM_ANCHOR);
  while (hit !== -1) {
    let start = hit;
    while (hit - start < TELEGRAM_MAX_ID && isDigit(codeAt(text, start - 1))) start--;
    let end = hit + 1;
    while (end < text.length && isBase64Url(text.charCodeAt(end))) end++;
    const idLength = hit - start;
    if (
      idLength >= TELEGRAM_MIN_ID &&
      !isDigit(codeAt(text, start - 1)) &&
      !isLetter(codeAt(text, start - 1)) &&
      end - hit - 1 === TELEGRAM_SECRET_LENGTH &&
      !isGluedAfter(text, end)
    ) {
      findings.push({ category: "api_key", start, end });
    }
    hit = text.indexOf(TELEGRAM_ANCHOR, Math.max(hit + 1, end));
  }
}

function findAwsSecretPairs(text: string, findings: PiiFinding[]): void {
  const pattern = new RegExp(AWS_PAIR_PATTERN);
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const secret = match[1] ?? "";
    const end = match.index + match[0].length;
    if (/[0-9]/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret)) {
      findings.push({ category: "api_key", start: end - secret.length, end });
    }
  }
}
