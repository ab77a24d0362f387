// Secrets with no recognisable shape, found by what they are assigned to: a value after a name
// that says it is secret (`DB_PASSWORD=...`, `aws_secret_access_key = ...`, `"clientSecret": "..."`,
// `API_TOKEN: ...`, `x-api-key: ...`, `Authorization: Bearer ...`) in env files, YAML, JSON, HTTP
// headers, query strings and shell; the password in a URL (`postgres://user:PASS@host`) or on a
// command line after `-u user -p`; and a password named in prose in any supported language
// ("mot de passe : ...", "La contraseña ... es ..."). Every scan starts from an anchor (a "=" or
// ":", "://", a password word) and walks a bounded distance from it, so the cost stays linear.
import { PII_PLACEHOLDERS, type PiiFinding } from "./categories";
import { AnchoredPattern } from "./anchoredPattern";
import { isAlphanumeric, isLetter } from "./characters";
import { LeftmostHits } from "./leftmostHits";
import type { ScannedText, WrittenPlaceholder } from "./besidePlaceholders";
import { findPasswordAnchors, hasPasswordAnchorIn, passwordWordAround, type PasswordAnchors } from "./passwordWords";
import type { TextScans } from "./textScans";

const MAX_NAME_LENGTH = 64;
const MAX_VALUE_LENGTH = 1_024;
const MAX_GAP = 4;
/** What stands between a name and its value: `=`, `:` and the full-width colon. */
const SEPARATORS = ["=", ":", "\uFF1A"];
const SEPARATOR_CODES = new Set(SEPARATORS.map((separator) => separator.charCodeAt(0)));
const PLACEHOLDERS = Object.values(PII_PLACEHOLDERS);

/** Name words that make the value a secret; the name is lower-cased with punctuation removed. */
const SECRET_NAME = /secret|token|passw|passwd|pwd$|apikey|accesskey|privatekey|authkey|accountkey|credential|^authorization$|^appid$|^pass$|^kennwort$|^wachtwoord$|^senha$/;
/** Names that describe a secret rather than hold one (`token_type`, `secretKeyRef`, `PUBLIC_KEY`). */
const NOT_SECRET_NAME = /public|publishable|(?:type|ttl|expiry|expires|expiresin|expiresat|url|uri|path|file|name|ref|id|length|count|endpoint|header|prefix|version|hash|policy|usage|rotation|enabled|required|field)$/;
/** Query parameters that carry a key under a name the rules above would exclude. */
const EXACT_SECRET_NAMES = new Set(["appid", "apikey", "accesstoken", "clientsecret", "xapikey"]);
/** Passwords may be short words; other secrets must look random. */
const PASSWORD_NAME = /passw|pwd$|^pass$|kennwort|wachtwoord|senha/;
/** An authorization scheme before the credential itself. */
const AUTH_SCHEMES = new Set(["bearer", "basic", "token", "digest", "apikey"]);
const LONGEST_SCHEME = 6;
const PLACEHOLDER_VALUE =
  /^(?:[*xX.•#?-]+|true|false|null|none|nil|undefined|required|optional|string|secret|password|changeme|redacted|hidden|empty|n\/a)$|example|xxxx|your[_-]|placeholder|<|>|\$\{|\{\{|%\(|^\$|^process\.|^os\.|^env\.|\(/i;

const MAX_PHRASE_GAP = 48;
/** `-u user -p`: the user flag, its value, then the password flag, on one line. */
const USER_FLAG = /^-u[ \t]+[^\s]{1,64}[ \t]+$/;
const MAX_FLAG_DISTANCE = 80;
/** A separator or a copula ("is", "es", "est", "ist", "è", "é", "は") between word and value. */
const COPULAS = "is|es|est|ist|è|é|era|was|lautet";
const PHRASE_LINK = new RegExp(`^[^\\n]*?(?:\\s?[:=：][ \\t]*|\\s(?:${COPULAS})[ \\t]+|は[ \\t]*)`, "u");
/**
 * The link's `\s` may be a line break ("password\n: ..."), the one place a detector reads across
 * one: then the next line starts with a separator or a copula.
 */
const LINK_AT_LINE_START = new RegExp(`^(?:[:=：]|(?:${COPULAS})[ \\t])`, "u");
/** The longest line start `LINK_AT_LINE_START` reads ("lautet" and a tab). */
const LINK_START_LENGTH = 7;

/** `[A-Za-z0-9_.-]`, written out for the same reason. */
function isNameCharacter(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 45 ||
    code === 46
  );
}

/** What ends a value written without quotes; NaN, outside the text, too. */
function endsUnquotedValue(code: number): boolean {
  return (
    !(code > 32) ||
    code === 34 ||
    code === 39 ||
    code === 96 ||
    code === 38 ||
    code === 59 ||
    code === 44 ||
    code === 60 ||
    code === 62 ||
    code === 41 ||
    code === 93 ||
    code === 125 ||
    code === 91 ||
    code === 0x3000
  );
}

function normalisedName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export function isSecretName(name: string): boolean {
  const normalised = normalisedName(name);
  if (EXACT_SECRET_NAMES.has(normalised)) return true;
  return normalised.length > 0 && SECRET_NAME.test(normalised) && !NOT_SECRET_NAME.test(normalised);
}

/**
 * Whether `value` is something a person would redact: not a placeholder, not a reference to where
 * the secret is kept, and, unless it is a password, random-looking (a digit and a letter and 8
 * characters, or 20 characters). A password may be any word that is not plain lower-case letters.
 */
export function isSecretValue(value: string, isPassword: boolean): boolean {
  if (value.length < 6 || value.length > MAX_VALUE_LENGTH || PLACEHOLDER_VALUE.test(value) || PLACEHOLDERS.some((placeholder) => value.includes(placeholder))) {
    return false;
  }
  if (/^(.)\1*$/.test(value)) return false;
  const hasDigit = /\d/.test(value);
  const hasLetter = /[A-Za-z]/.test(value);
  if (isPassword) return !/^[A-Z]?[a-z]+$/.test(value) && !/^\d{1,5}$/.test(value);
  if (/^\d+$/.test(value) || /^(?:https?:|\/|\.\/|~\/)/.test(value)) return false;
  return (hasDigit && hasLetter && value.length >= 8) || (value.length >= 20 && !/^[a-z]+$/.test(value));
}

interface Value {
  start: number;
  end: number;
}

/** The value after `from` on the same line: quoted, or up to the first character that ends it. */
function readValue(text: string, from: number, lastRun: Run): Value | undefined {
  let position = from;
  let gap = 0;
  while ((text.charCodeAt(position) === 32 || text.charCodeAt(position) === 9) && gap < MAX_GAP * 2) {
    position++;
    gap++;
  }
  const quote = text.charCodeAt(position);
  if (quote === 34 || quote === 39 || quote === 96) {
    const start = position + 1;
    let end = start;
    while (end - start < MAX_VALUE_LENGTH && end < text.length && text.charCodeAt(end) !== quote && text.charCodeAt(end) !== 10) {
      end++;
    }
    return text.charCodeAt(end) === quote ? { start, end } : undefined;
  }
  const start = position;
  let end = unquotedRunEnd(text, start, lastRun);
  // A sentence may end right after the value.
  while (end > start && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 58)) end--;
  return end > start ? { start, end } : undefined;
}

/**
 * Where the run of value characters through `from` ends. Every position inside one run ends at
 * the same place, so the last run walked is remembered: a text of many separators inside one long
 * run ("a_token=a_token=...") walks it once, not once per separator.
 */
interface Run {
  start: number;
  end: number;
}

function unquotedRunEnd(text: string, from: number, lastRun: Run): number {
  if (from >= lastRun.start && from < lastRun.end) return lastRun.end;
  let end = from;
  while (!endsUnquotedValue(text.charCodeAt(end))) end++;
  lastRun.start = from;
  lastRun.end = end;
  return end;
}

/** Skips "Bearer " / "Basic " / "token " before a credential. */
function skipScheme(text: string, value: Value, lastRun: Run): Value | undefined {
  if (value.end - value.start > LONGEST_SCHEME || text.charCodeAt(value.end) !== 32) return value;
  if (!AUTH_SCHEMES.has(text.slice(value.start, value.end).toLowerCase())) return value;
  return readValue(text, value.end + 1, lastRun);
}

export function findAssignedSecrets(text: string, scans: TextScans = {}): PiiFinding[] {
  const findings: PiiFinding[] = [];
  findNamedValues(text, findings);
  findUrlPasswords(text, findings);
  findCommandLinePasswords(text, findings);
  findPasswordPhrases(text, findings, scans.passwordAnchors ?? findPasswordAnchors(text));
  return findings;
}

/**
 * Whether a password phrase on the line before `lineStart` (just after a "\n") may take its link,
 * and so its value, from this line: the line starts with a separator or a copula, or with a JSON
 * escape that may decode to one (read behind escapes, "\u003a" is ":"). Where this is false, no
 * detector reads across that line break (RESCAN_BOUNDARY in redact.ts).
 */
export function phraseMayContinueAt(text: string, lineStart: number): boolean {
  const start = text.slice(lineStart, lineStart + LINK_START_LENGTH + 1);
  return start.includes("\\") || LINK_AT_LINE_START.test(start);
}

/**
 * How far before a value a password word's anchor may stand: the link (under MAX_PHRASE_GAP), the
 * spaces `readValue` skips, and the end of the word after its anchor.
 */
const PHRASE_REACH = MAX_PHRASE_GAP + MAX_GAP * 2 + 8;
/** How far into a password word its anchor may stand ("palavra-passe"), for a word right after a placeholder. */
const WORD_ANCHOR_OFFSET = 16;
/** How far before a `-p` value or a user its `-u` may stand. */
const USER_FLAG_REACH = MAX_FLAG_DISTANCE + 4;
/** How far after "://" a placeholder in a URL's user or password may stand (URL_USERINFO). */
const USERINFO_REACH = 3 + 64 + 1 + 128;
/** The spaces, scheme word and spaces `readValue` and `skipScheme` pass between a separator and a value. */
const SEPARATOR_REACH = MAX_GAP * 2 + LONGEST_SCHEME + 1 + MAX_GAP * 2;

/**
 * Where a placeholder can change what this file finds (besidePlaceholders.ts):
 * - a name cut short by it: three name characters or more after it, then a separator
 *   ("[IP_ADDRESS].pass=..."), as `namedValueAt` reads a name back from its separator;
 * - a value cut short by it: value characters run from a separator to it ("token=abc[EMAIL]",
 *   "Authorization: Bearer abc[EMAIL]"); quoted values holding it are rejected, so only lose;
 * - a password phrase: the word's anchor within reach before it or the value it cuts (it stands in
 *   the link, or cuts the value), or right after it: a word must not start inside a name, and a
 *   value may be found with a letter right after it when the letter is not ASCII
 *   ("+44 20 7946 0958パスワード：...");
 * - a command line's user or password: `-u` within reach before it or the value it cuts;
 * - a URL's user or password: "://" earlier in its run of non-space characters.
 */
export function placeholderMayHelpAssignedSecrets({ text, scans }: ScannedText, placeholder: WrittenPlaceholder): boolean {
  const anchors = scans?.passwordAnchors;
  // Without the text's password words, any placeholder may help a phrase.
  if (anchors === undefined) return true;
  const { start, end } = placeholder;
  let valueStart = start;
  while (valueStart > placeholder.previousEnd && start - valueStart < MAX_VALUE_LENGTH && !endsUnquotedValue(text.charCodeAt(valueStart - 1))) {
    valueStart--;
  }
  return (
    cutsName(text, end) ||
    (valueStart < start && followsSeparator(text, valueStart, start)) ||
    hasPasswordAnchorIn(anchors, valueStart - PHRASE_REACH, start) ||
    hasPasswordAnchorIn(anchors, end, end + WORD_ANCHOR_OFFSET) ||
    text.slice(Math.max(0, valueStart - USER_FLAG_REACH), start).includes("-u") ||
    followsScheme(text, placeholder)
  );
}

/** Three name characters or more from `from`, then what may stand between a name and its separator, then the separator. */
function cutsName(text: string, from: number): boolean {
  let index = from;
  while (index - from < MAX_NAME_LENGTH && isNameCharacter(text.charCodeAt(index))) index++;
  if (index - from < 3) return false;
  if (text.charCodeAt(index) === 34 || text.charCodeAt(index) === 39) index++;
  for (let gap = 0; gap < MAX_GAP && (text.charCodeAt(index) === 32 || text.charCodeAt(index) === 9); gap++) index++;
  return isSeparator(text.charCodeAt(index));
}

/** The value characters [valueStart, end) hold a separator, or one stands before them past spaces and a scheme word. */
function followsSeparator(text: string, valueStart: number, end: number): boolean {
  for (let index = valueStart; index < end - 1; index++) {
    if (isSeparator(text.charCodeAt(index))) return true;
  }
  let index = valueStart;
  while (valueStart - index < SEPARATOR_REACH && (text.charCodeAt(index - 1) === 32 || text.charCodeAt(index - 1) === 9 || isLetter(text.charCodeAt(index - 1)))) {
    index--;
  }
  return isSeparator(text.charCodeAt(index - 1)) || text.charCodeAt(index - 1) === 62;
}

/** "://" earlier in the placeholder's run of non-space characters, within a URL's user and password. */
function followsScheme(text: string, placeholder: WrittenPlaceholder): boolean {
  let index = placeholder.start;
  const floor = Math.max(placeholder.previousEnd, placeholder.start - USERINFO_REACH);
  while (index > floor && text.charCodeAt(index - 1) > 32) index--;
  return text.slice(index, placeholder.start).includes("://");
}

function isSeparator(code: number): boolean {
  return SEPARATOR_CODES.has(code);
}

/** A cheap first look at a name before it is normalised and judged. */
const NAME_HINT = /ecre|oken|ass|pwd|key|cred|auth|ppid|wort|woord|senha/i;
const MAX_CACHED_NAMES = 1_024;

/** Names repeat through a text (every line of a log has the same keys): each is judged once per text. */
function isSecretNameCached(name: string, verdicts: Map<string, boolean>): boolean {
  let verdict = verdicts.get(name);
  if (verdict === undefined) {
    verdict = NAME_HINT.test(name) && isSecretName(name);
    if (verdicts.size >= MAX_CACHED_NAMES) verdicts.clear();
    verdicts.set(name, verdict);
  }
  return verdict;
}

/** `NAME=value`, `NAME: value`, `"NAME": "value"`, `NAME := value`, `NAME => value`. */
function findNamedValues(text: string, findings: PiiFinding[]): void {
  const separators = new LeftmostHits(text, SEPARATORS);
  const lastRun: Run = { start: 0, end: 0 };
  const nameVerdicts = new Map<string, boolean>();
  let separator = separators.next(0);
  while (separator !== null) {
    const resumeAt = namedValueAt(text, separator.index, findings, lastRun, nameVerdicts);
    separator = separators.next(resumeAt);
  }
}

/** Judges the name before the separator at `separator` and the value after it; returns where to resume. */
function namedValueAt(
  text: string,
  separator: number,
  findings: PiiFinding[],
  lastRun: Run,
  nameVerdicts: Map<string, boolean>,
): number {
  let nameEnd = separator;
  let gap = 0;
  while (gap < MAX_GAP && (text.charCodeAt(nameEnd - 1) === 32 || text.charCodeAt(nameEnd - 1) === 9)) {
    nameEnd--;
    gap++;
  }
  const closing = text.charCodeAt(nameEnd - 1);
  if (closing === 34 || closing === 39) nameEnd--;
  let nameStart = nameEnd;
  while (nameEnd - nameStart < MAX_NAME_LENGTH && isNameCharacter(text.charCodeAt(nameStart - 1))) nameStart--;
  if (nameEnd - nameStart < 3) return separator + 1;
  const name = text.slice(nameStart, nameEnd);
  if (!isSecretNameCached(name, nameVerdicts)) return separator + 1;
  let valueFrom = separator + 1;
  const next = text.charCodeAt(valueFrom);
  if (next === 47 && text.charCodeAt(valueFrom + 1) === 47) return separator + 1;
  if (next === 61 || next === 62) valueFrom++;
  const read = readValue(text, valueFrom, lastRun);
  const value = read === undefined ? undefined : skipScheme(text, read, lastRun);
  if (value === undefined) return separator + 1;
  if (value.end - value.start > MAX_VALUE_LENGTH) return separator + 1;
  const isPassword = PASSWORD_NAME.test(normalisedName(name));
  if (!isSecretValue(text.slice(value.start, value.end), isPassword)) return separator + 1;
  findings.push({ category: "api_key", start: value.start, end: value.end });
  // Separators inside the value (base64 padding, a URL's ":") are not names' separators.
  return value.end;
}

/** A URL's user and password, tried at each "://" (anchoredPattern.ts). */
const URL_USERINFO = new AnchoredPattern(/:\/\/[^\s:@/]{0,64}:([^\s@/]{1,128})@/, "://");

/** `scheme://user:PASSWORD@host` and `redis://:PASSWORD@host`: the password alone. */
function findUrlPasswords(text: string, findings: PiiFinding[]): void {
  let match: RegExpExecArray | null;
  let from = 0;
  while ((match = URL_USERINFO.exec(text, from)) !== null) {
    from = match.index + match[0].length;
    const password = match[1] ?? "";
    const end = from - 1;
    if (isSecretValue(password, true) || (password.length >= 4 && /\d/.test(password) && !PLACEHOLDER_VALUE.test(password))) {
      findings.push({ category: "api_key", start: end - password.length, end });
    }
  }
}

/** `mysql -u root -pPASSWORD`, `docker login -u bot -p PASSWORD`: a `-p` after a `-u` on the line. */
function findCommandLinePasswords(text: string, findings: PiiFinding[]): void {
  let userFlag = -1;
  let nextUserFlag = text.indexOf("-u");
  let hit = nextUserFlag === -1 ? -1 : text.indexOf("-p", nextUserFlag);
  while (hit !== -1) {
    while (nextUserFlag !== -1 && nextUserFlag < hit) {
      userFlag = nextUserFlag;
      nextUserFlag = text.indexOf("-u", nextUserFlag + 2);
    }
    const before = text.charCodeAt(hit - 1);
    if ((before === 32 || before === 9) && userFlag !== -1 && hit - userFlag <= MAX_FLAG_DISTANCE) {
      const between = text.slice(userFlag, hit);
      let start = hit + 2;
      if (text.charCodeAt(start) === 32) start++;
      let end = start;
      while (end - start <= MAX_VALUE_LENGTH && !endsUnquotedValue(text.charCodeAt(end))) end++;
      if (USER_FLAG.test(between) && isSecretValue(text.slice(start, end), true)) {
        findings.push({ category: "api_key", start, end });
      }
    }
    hit = text.indexOf("-p", hit + 2);
  }
}

/**
 * A password word, then on the same line at most 48 characters and a separator or copula, then
 * the value ("Kennwort für den FTP-Zugang: ...", "La contraseña de la base de datos es ...");
 * or the word directly followed by a value that holds a letter and a digit ("with password X1").
 */
function findPasswordPhrases(text: string, findings: PiiFinding[], anchors: PasswordAnchors): void {
  const lastRun: Run = { start: 0, end: 0 };
  let resumeAt = 0;
  for (let pair = 0; pair < anchors.hits.length; pair += 2) {
    const index = anchors.hits[pair]!;
    if (index < resumeAt) continue;
    const length = anchors.hits[pair + 1]!;
    resumeAt = index + length;
    const word = passwordWordAround(text, index, text.slice(index, index + length));
    if (word !== undefined) resumeAt = Math.max(resumeAt, phraseValueEnd(text, word, lastRun, findings));
  }
}

/** Judges the phrase that starts with the password `word`; returns the end of the value it kept, or -1. */
function phraseValueEnd(text: string, word: Value, lastRun: Run, findings: PiiFinding[]): number {
  const wordEnd = word.end;
  // Part of an identifier (DB_PASSWORD, passwordHash): the named-value scan judges those.
  if (isNameCharacter(text.charCodeAt(word.start - 1)) && text.charCodeAt(word.start - 1) !== 45) return -1;
  if (isAlphanumeric(text.charCodeAt(wordEnd)) || text.charCodeAt(wordEnd) === 95) return -1;
  const window = text.slice(wordEnd, wordEnd + MAX_PHRASE_GAP);
  const link = PHRASE_LINK.exec(window);
  let value: Value | undefined;
  let direct = false;
  if (link !== null && link[0].length < MAX_PHRASE_GAP) {
    value = readValue(text, wordEnd + link[0].length, lastRun);
  } else if (text.charCodeAt(wordEnd) === 32) {
    value = readValue(text, wordEnd + 1, lastRun);
    direct = true;
  }
  if (value === undefined || value.end - value.start > MAX_VALUE_LENGTH) return -1;
  const candidate = text.slice(value.start, value.end);
  const hasLetterAndDigit = /\d/.test(candidate) && /[A-Za-z]/.test(candidate);
  if ((!direct || hasLetterAndDigit) && isSecretValue(candidate, true)) {
    findings.push({ category: "api_key", start: value.start, end: value.end });
    return value.end;
  }
  return -1;
}
