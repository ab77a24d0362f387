// Secrets of widely used services recognisable by their documented prefix, alphabet and length
// (the formats the services' own docs and the public secret-scanner rule sets state): GitLab
// "glpat-" and friends, Slack app tokens "xapp-" and webhook URLs, Stripe webhook secrets "whsec_",
// Google API keys "AIza" + 35 and OAuth tokens "ya29.", npm "npm_", PyPI "pypi-AgEIcHlwaS5vcmc",
// Hugging Face "hf_", SendGrid "SG.x.y", Mailgun "key-" + 32 and hex32-hex8-hex8, Shopify "shp*_",
// DigitalOcean "do*_v1_", Databricks "dapi", Linear "lin_api_", Notion "ntn_", Atlassian "ATATT",
// Postman "PMAK-", Vault "hvs."/"hvb.", Sentry "sntryu_"/"sntrys_", Groq "gsk_", Replicate "r8_",
// Perplexity "pplx-", Tailscale "tskey-", Brevo "xkeysib-", Mapbox secret
// "sk.eyJ", Telegram bot tokens and an AWS secret key written right after its access key id.
// Each prefix is found by `indexOf` on a rare anchor; the token after it is walked once in code
// and judged.
import { isGluedAfter, isGluedBefore } from "./boundaries";
import type { PiiFinding } from "./categories";
import { AnchoredPattern } from "./anchoredPattern";
import { escapeRegExp } from "./regExps";
import { isAlphanumeric, isDigit, isHexDigit, isLetter } from "./characters";
import type { ScannedText, WrittenPlaceholder } from "./besidePlaceholders";

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

/**
 * Anchors for prefixes without "_" or "-": a character (or two) of the prefix that prose seldom
 * holds, so `indexOf` skips ahead fast; the prefix is then read around it. Prefixes not listed are
 * their own anchor.
 */
const LITERAL_ANCHORS: Record<string, string> = {
  AIza: "za",
  "SG.": "G.",
  "ya29.": "9.",
  dapi: "pi",
  "sk.eyJ": "J",
  "hvs.": "v",
  "hvb.": "v",
  "hvr.": "v",
  "https://hooks.slack.com/": "/",
};

/**
 * Each prefix is found from a rare anchor inside it with `indexOf`, many times faster than one
 * regex over all prefixes. Prefixes holding "_" or "-" are found from that separator: the letters
 * before its first occurrence ("npm" in "npm_", "pypi" in "pypi-AgE...") are read back from each
 * hit and looked up, one lookup per separator whatever the number of prefixes. The others are
 * found from a literal ("AIza", "SG.", "ya29."...).
 */
const SEPARATORS = ["_", "-"];
/** The prefix up to and including its first separator, to the formats that start with it. */
const BY_FIRST_SEGMENT = new Map<string, TokenFormat[]>();
/**
 * A literal anchor, to the formats it belongs to, where it sits in their prefix and the character
 * before it there (-1 when it starts the prefix), compared before the prefix is.
 */
const BY_LITERAL = new Map<string, Array<{ format: TokenFormat; offset: number; before: number }>>();
/** The two characters right before a first separator in some prefix ("at" of "glpat-"): a cheap first filter. */
const BEFORE_SEPARATOR = new Set<number>();
let longestSegment = 0;
for (const format of FORMATS) {
  const separatorAt = Math.min(
    ...SEPARATORS.map((separator) => format.prefix.indexOf(separator)).filter((offset) => offset !== -1),
  );
  if (Number.isFinite(separatorAt) && /^[A-Za-z0-9]+$/.test(format.prefix.slice(0, separatorAt))) {
    const segment = format.prefix.slice(0, separatorAt + 1);
    BY_FIRST_SEGMENT.set(segment, [...(BY_FIRST_SEGMENT.get(segment) ?? []), format]);
    BEFORE_SEPARATOR.add(pairAt(format.prefix, separatorAt));
    longestSegment = Math.max(longestSegment, separatorAt);
  } else {
    const anchor = LITERAL_ANCHORS[format.prefix] ?? format.prefix;
    const offset = format.prefix.indexOf(anchor);
    const before = offset > 0 ? format.prefix.charCodeAt(offset - 1) : -1;
    BY_LITERAL.set(anchor, [...(BY_LITERAL.get(anchor) ?? []), { format, offset, before }]);
  }
}

// Mailgun's newer keys: 32 hex, "-", 8 hex, "-", 8 hex.
const MAILGUN_HEAD_LENGTH = 32;
const MAILGUN_TAIL_GROUP = 8;
// Telegram bot tokens: the bot id (8-10 digits), ":", then 35 base64url characters starting "AA".
const TELEGRAM_ANCHOR = ":AA";
const TELEGRAM_MIN_ID = 8;
const TELEGRAM_MAX_ID = 10;
const TELEGRAM_SECRET_LENGTH = 35;
// An AWS secret access key (40 base64 characters) pasted right after its access key id, tried
// where "IA" stands third (anchoredPattern.ts).
const AWS_PAIR = new AnchoredPattern(/(?:AKIA|ASIA)[A-Z0-9]{16}[ \t]{0,3}[/:,|][ \t]{0,3}([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/, "IA", 2);

/** Every prefix, and Telegram's anchor: one of them starts each token the walks here judge. */
const ANY_PREFIX = new RegExp(
  [...FORMATS.map((format) => format.prefix), TELEGRAM_ANCHOR].map(escapeRegExp).join("|"),
);
/** How far back from the end of an AWS secret its key id's "IA" stands: 40 + 3 + 1 + 3 + 18. */
const AWS_PAIR_REACH = 65;

/** The characters of every token alphabet here, and ":" of a Telegram token and the Slack URL. */
function isTokenCharacter(code: number): boolean {
  return isBase64Url(code) || code === 46 || code === 43 || code === 47 || code === 61 || code === 58;
}

/**
 * Where a placeholder can change a token verdict (besidePlaceholders.ts): after a token whose walk
 * ran into the replaced value. Beside the placeholder the walk now ends glued to it, unless a "."
 * dropped as a full stop stands between ("SG.x.y.[IP_ADDRESS]"); and the tokens after it that the
 * walk skipped are judged. Either way the token's prefix is in the run of token characters before
 * the placeholder. An AWS secret ran on into the value when its look-ahead failed there; or it took
 * the value in and was not kept, and the key ids in the rest of it, which the search then skipped,
 * are now tried: either way its own key id's "IA" stands within AWS_PAIR_REACH before the
 * placeholder. A placeholder before a token glues to it, so only loses; Mailgun keys are
 * fixed-length hex runs, so one touching a placeholder is glued to it too.
 */
export function placeholderMayHelpServiceTokens({ text }: ScannedText, placeholder: WrittenPlaceholder): boolean {
  let start = placeholder.start;
  while (start > placeholder.previousEnd && isTokenCharacter(text.charCodeAt(start - 1))) start--;
  if (start < placeholder.start && ANY_PREFIX.test(text.slice(start, placeholder.start))) return true;
  return text.slice(Math.max(placeholder.previousEnd, placeholder.start - AWS_PAIR_REACH), placeholder.start).includes("IA");
}

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
  const before = text.charCodeAt(start - 1);
  return !(isBase64Url(before) || before === 46 || isGluedBefore(text, start));
}

export function findServiceTokens(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  for (const separator of SEPARATORS) {
    let hit = text.indexOf(separator);
    while (hit !== -1) {
      // `charCodeAt` directly, not `codeAt`: this runs for every "-" and "_" of the text.
      let resumeAt = BEFORE_SEPARATOR.has(pairAt(text, hit)) ? tokenAtSeparator(text, hit, findings) : hit + 1;
      if (separator === "-") resumeAt = Math.max(resumeAt, mailgunKeyAt(text, hit, findings));
      hit = text.indexOf(separator, resumeAt);
    }
  }
  for (const [anchor, candidates] of BY_LITERAL) {
    let hit = text.indexOf(anchor);
    while (hit !== -1) {
      let resumeAt = hit + 1;
      const previous = hit > 0 ? text.charCodeAt(hit - 1) : -1;
      for (const { format, offset, before } of candidates) {
        const start = hit - offset;
        if ((before !== -1 && previous !== before) || start < 0 || !text.startsWith(format.prefix, start)) continue;
        // Whether or not the token was a key, its characters are not searched again.
        resumeAt = Math.max(resumeAt, judgeToken(text, start, format, findings));
        break;
      }
      hit = text.indexOf(anchor, resumeAt);
    }
  }
  findTelegramTokens(text, findings);
  findAwsSecretPairs(text, findings);
  return findings;
}

/** The two characters before `index` as one number (NaN-free: -1 outside the text). */
function pairAt(text: string, index: number): number {
  return index < 2 ? -1 : text.charCodeAt(index - 2) * 65_536 + text.charCodeAt(index - 1);
}

/** Judges the token whose first separator is at `hit`, if its first segment is a known one; returns where to resume. */
function tokenAtSeparator(text: string, hit: number, findings: PiiFinding[]): number {
  let start = hit;
  while (hit - start <= longestSegment && isAlphanumeric(text.charCodeAt(start - 1))) start--;
  if (start === hit || hit - start > longestSegment) return hit + 1;
  const formats = BY_FIRST_SEGMENT.get(text.slice(start, hit + 1));
  if (formats === undefined) return hit + 1;
  for (const format of formats) {
    if (text.startsWith(format.prefix, start)) return Math.max(hit + 1, judgeToken(text, start, format, findings));
  }
  return hit + 1;
}

/** Walks the token that starts with `format.prefix` at `start`, keeps it if it fits, returns its end. */
function judgeToken(text: string, start: number, format: TokenFormat, findings: PiiFinding[]): number {
  let end = start + format.prefix.length;
  while (end < text.length && format.alphabet(text.charCodeAt(end))) end++;
  let bodyEnd = end;
  // A sentence may end right after a token whose alphabet holds ".".
  while (bodyEnd > start + format.prefix.length && text.charCodeAt(bodyEnd - 1) === 46) bodyEnd--;
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
  return end;
}

/** hex32-hex8-hex8, judged at each "-" followed by eight lower-case hex digits and another "-". */
function mailgunKeyAt(text: string, hit: number, findings: PiiFinding[]): number {
  if (!isLowerHex(text.charCodeAt(hit - 1)) || !isLowerHex(text.charCodeAt(hit + 1))) return hit + 1;
  if (!hasLowerHexRun(text, hit + 1, MAILGUN_TAIL_GROUP) || text.charCodeAt(hit + 1 + MAILGUN_TAIL_GROUP) !== 45) {
    return hit + 1;
  }
  const second = hit + 2 + MAILGUN_TAIL_GROUP;
  const end = second + MAILGUN_TAIL_GROUP;
  const start = hit - MAILGUN_HEAD_LENGTH;
  if (
    hasLowerHexRun(text, second, MAILGUN_TAIL_GROUP) &&
    hasLowerHexRun(text, start, MAILGUN_HEAD_LENGTH) &&
    isTokenBoundaryBefore(text, start) &&
    !isGluedAfter(text, end) &&
    text.charCodeAt(end) !== 45
  ) {
    findings.push({ category: "api_key", start, end });
  }
  return second - 1;
}

function hasLowerHexRun(text: string, from: number, length: number): boolean {
  if (from < 0) return false;
  for (let index = from; index < from + length; index++) {
    if (!isLowerHex(text.charCodeAt(index))) return false;
  }
  return true;
}

function findTelegramTokens(text: string, findings: PiiFinding[]): void {
  let hit = text.indexOf(TELEGRAM_ANCHOR);
  while (hit !== -1) {
    let start = hit;
    while (hit - start < TELEGRAM_MAX_ID && isDigit(text.charCodeAt(start - 1))) start--;
    let end = hit + 1;
    while (end < text.length && isBase64Url(text.charCodeAt(end))) end++;
    const idLength = hit - start;
    if (
      idLength >= TELEGRAM_MIN_ID &&
      !isDigit(text.charCodeAt(start - 1)) &&
      !isLetter(text.charCodeAt(start - 1)) &&
      end - hit - 1 === TELEGRAM_SECRET_LENGTH &&
      !isGluedAfter(text, end)
    ) {
      findings.push({ category: "api_key", start, end });
    }
    hit = text.indexOf(TELEGRAM_ANCHOR, Math.max(hit + 1, end));
  }
}

function findAwsSecretPairs(text: string, findings: PiiFinding[]): void {
  let match: RegExpExecArray | null;
  let from = 0;
  while ((match = AWS_PAIR.exec(text, from)) !== null) {
    const secret = match[1] ?? "";
    const end = match.index + match[0].length;
    from = end;
    if (/[0-9]/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret)) {
      findings.push({ category: "api_key", start: end - secret.length, end });
    }
  }
}
