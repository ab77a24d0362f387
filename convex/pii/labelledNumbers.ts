// Numbers that are PII only in context, because bare digits are usually ids: nine bare digits
// after a label that names a US SSN ("SSN: 123456789", "Número de Seguro Social: ...", in each
// supported language), and phone numbers the general phone detector leaves alone for want of a "+"
// or trunk "0": after a word that names a phone ("Móvil: 662984210", "my cell is 4159734171",
// "Cellulare: 3456639999", "電話：..."), in a `tel:` link, or in a national layout that is
// distinctive on its own (Spanish 3-3-3 with first digit 6-9 and 2-3-2-2 with first digit 8-9,
// French ten digits compact "0765337203"). One scan finds runs of digit groups; only runs of 9-12
// digits are then judged, by looking back along the same line for their label.
import { extendsNumberAfter, extendsNumberBefore, isGluedAfter, isGluedBefore } from "./boundaries";
import type { PiiFinding } from "./categories";
import { isDigit } from "./characters";
import { findNumberRuns, firstRunStartFrom, NumberRunMatcher } from "./numberRuns";
import type { TextScans } from "./textScans";
import { isValidSsn } from "./ssn";
import type { ScannedText, WrittenPlaceholder } from "./besidePlaceholders";

// A digit (or an area code's parenthesis) starting at least nine characters of digit groups.
export const CANDIDATE = /\(?\d[\d ().\/-]{7,20}\d/g;
/** A candidate is nine characters or more of a number run, ends with a digit and has no look-arounds. */
export const CANDIDATE_SHAPE = { shortest: 9, lookBehind: 0, lookAhead: 0 };
const MIN_DIGITS = 9;
const MAX_DIGITS = 12;
const MAX_TEL_DIGITS = 15;
const MAX_GROUPS = 6;
const SSN_LENGTH = 9;
const LOOK_BACK = 80;

const SSN_LABELS = [
  "ssn",
  "social security",
  "soc. sec.",
  "soc.sec.",
  "seguro social",
  "seguridad social",
  "sécurité sociale",
  "sozialversicherung",
  "previdenza sociale",
  "sociale zekerheid",
  "segurança social",
  "社会保障番号",
];
/** How far before the number its SSN label may end; no digit may stand between them. */
const SSN_LABEL_GAP = 40;
// Whole words, in the supported languages.
const PHONE_WORDS = new Set([
  "tel", "tél", "telf", "tlf", "telefon", "telefone", "telefono", "teléfono", "telefoon", "telefonnummer", "rufnummer",
  "telephone", "téléphone", "phone", "cell", "cellphone", "cellulare", "celular", "mobile", "mobil", "móvil",
  "movil", "mobiel", "portable", "handy", "whatsapp", "fax", "call", "llámame", "llama", "llamar", "appelez",
  "appelez-moi", "appeler", "rappeler", "joignable", "ruf", "erreichbar", "bel", "bellen", "chiamami", "chiama",
  "chiamare", "richiamare", "ligue", "ligar", "liga-me",
]);
const PHONE_WORDS_WITHOUT_SPACES = ["電話", "携帯", "折り返し"];
/** How far before the number a phone word may end; no digit, "+" or "@" may stand between them. */
const PHONE_WORD_GAP = 24;
const LONGEST_PHONE_WORD = 13;
/** Words are runs of letters (any script) and "-". */
const LETTER = /\p{L}/u;
const NATIONAL_LAYOUT = /^(?:[6-9]\d{2}([ .-])\d{3}\1\d{3}|[89]\d \d{3} \d{2} \d{2}|0[1-9]\d{8})$/;

/** What `readGroups` returns for a run that is not a 9-15 digit number. */
const NOT_A_NUMBER = { end: -1, digits: 0 } as const;

interface Groups {
  end: number;
  digits: number;
}

export function findLabelledNumbers(text: string, scans: TextScans = {}): PiiFinding[] {
  const runs = scans.runs ?? findNumberRuns(text);
  const findings: PiiFinding[] = [];
  const pattern = new NumberRunMatcher(runs, CANDIDATE, CANDIDATE_SHAPE);
  let from = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(from)) !== null) {
    const start = match.index;
    from = start + match[0].length;
    // A number starts a run of digit groups (one inside a run extends the number before it), so
    // the search resumes after the run the pattern matched, whatever the verdict on its start.
    if (
      isGluedBefore(text, start) ||
      text.charCodeAt(start - 1) === 43 ||
      text.charCodeAt(start - 1) === 35 ||
      extendsNumberBefore(text, start, " .-/,")
    ) {
      continue;
    }
    const ssnEnd = labelledSsnEnd(text, start);
    if (ssnEnd !== -1) {
      findings.push({ category: "ssn", start, end: ssnEnd });
      continue;
    }
    const groups = readGroups(text, start);
    if (groups.end !== -1 && isLabelledPhone(text, start, groups)) {
      findings.push({ category: "phone", start, end: groups.end });
    }
  }
  return findings;
}

/** How far back from a number its label windows reach (`labelWindow`). */
const SSN_LABEL_REACH = SSN_LABEL_GAP + "sozialversicherung".length;
const PHONE_WORD_REACH = PHONE_WORD_GAP + LONGEST_PHONE_WORD;
const LABEL_REACH = Math.max(SSN_LABEL_REACH, PHONE_WORD_REACH);

/**
 * Where a placeholder can change a labelled number's verdict (besidePlaceholders.ts): before a
 * number. Its label is looked for back along the line from its first character, within
 * LABEL_REACH and stopping at a digit, "+" or "@", which the replaced value may have held; and a
 * number that started in the replaced value and was rejected ran on over the digit groups right
 * after it, which the search then skipped. Either way the number's run (numberRuns.ts) starts
 * within reach after the placeholder, with no digit, "+", "@" or line break between. After a
 * number a placeholder only rejects it: `readGroups` and the SSN's end take a placeholder after
 * a separator, as after no separator, for more of the number.
 */
export function placeholderMayHelpLabelledNumbers({ text, scans }: ScannedText, placeholder: WrittenPlaceholder): boolean {
  if (scans?.runs === undefined) return true;
  const runStart = firstRunStartFrom(scans.runs, placeholder.end);
  if (runStart === -1 || runStart >= placeholder.end + LABEL_REACH) return false;
  for (let index = placeholder.end; index < runStart; index++) {
    const code = text.charCodeAt(index);
    if (isDigit(code) || code === 10 || code === 43 || code === 64) return false;
  }
  return true;
}

/** The text on the same line before `start`, at most 80 characters of it. */
function lineBefore(text: string, start: number): string {
  const window = text.slice(Math.max(0, start - LOOK_BACK), start);
  // Bounded: `lastIndexOf` on the whole text would walk back to the previous line every time.
  return window.slice(window.lastIndexOf("\n") + 1);
}

/**
 * Nine digits standing alone after an SSN label: the end of the SSN, or -1. Like the dashed form,
 * the number may be followed by a space and other digits ("SSN: 694404502 4111 ..."), but not be
 * continued by a digit, a letter or a separator and a digit.
 */
function labelledSsnEnd(text: string, start: number): number {
  const end = start + SSN_LENGTH;
  for (let index = start; index < end; index++) {
    if (!isDigit(text.charCodeAt(index))) return -1;
  }
  if (isGluedAfter(text, end) || extendsNumberAfter(text, end, ".-/") || !hasSsnLabel(lineBefore(text, start))) return -1;
  const value = text.slice(start, end);
  // "123456789" and one digit nine times are what people type when they mean no number.
  if (value === "123456789" || /^(\d)\1+$/.test(value)) return -1;
  return isValidSsn(value.slice(0, 3), value.slice(3, 5), value.slice(5)) ? end : -1;
}

function isLabelledPhone(text: string, start: number, groups: Groups): boolean {
  const before = lineBefore(text, start);
  if (before.endsWith("tel:")) return groups.digits <= MAX_TEL_DIGITS;
  if (groups.digits > MAX_DIGITS) return false;
  return NATIONAL_LAYOUT.test(text.slice(start, groups.end)) || hasPhoneWord(before);
}

/** The text after the last digit (or "+", "@") of `before`, lower-cased: where a label may stand. */
function labelWindow(before: string, length: number): string {
  let cut = before.length;
  while (cut > 0 && before.length - cut < length) {
    const code = before.charCodeAt(cut - 1);
    if (isDigit(code) || code === 43 || code === 64) break;
    cut--;
  }
  return before.slice(cut).toLowerCase();
}

function hasSsnLabel(before: string): boolean {
  const window = labelWindow(before, SSN_LABEL_REACH);
  return SSN_LABELS.some((label) => window.includes(label));
}

function hasPhoneWord(before: string): boolean {
  const window = labelWindow(before, PHONE_WORD_REACH);
  if (PHONE_WORDS_WITHOUT_SPACES.some((word) => window.includes(word))) return true;
  // The first word may be cut by the window; it counts only when the window starts at a word start.
  const firstWordCounts = window.length < PHONE_WORD_REACH;
  let wordStart = 0;
  let index = 0;
  while (index <= window.length) {
    const width = wordCharacterWidth(window, index);
    if (width > 0) {
      index += width;
      continue;
    }
    if (index > wordStart && (wordStart > 0 || firstWordCounts) && PHONE_WORDS.has(window.slice(wordStart, index))) return true;
    index += index < window.length && isSurrogatePair(window, index) ? 2 : 1;
    wordStart = index;
  }
  return false;
}

/** How many code units the word character at `index` takes (a letter of any script, or "-"); 0 if none is there. */
function wordCharacterWidth(text: string, index: number): number {
  if (index >= text.length) return 0;
  const code = text.charCodeAt(index);
  if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 45) return 1;
  if (code < 128) return 0;
  const width = isSurrogatePair(text, index) ? 2 : 1;
  return LETTER.test(text.slice(index, index + width)) ? width : 0;
}

function isSurrogatePair(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  const next = text.charCodeAt(index + 1);
  return code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
}

/**
 * Walks digit groups from `start`: one separator style between groups (space, dot, dash or
 * slash), an area code in parentheses allowed first, at most 15 digits. `end` is -1 when the run
 * holds fewer than 9 digits, is glued to a word, or goes on past what was read.
 */
function readGroups(text: string, start: number): Groups {
  let position = start;
  let digits = 0;
  let groups = 0;
  let separator = -1;
  if (text.charCodeAt(position) === 40) {
    position++;
    while (isDigit(text.charCodeAt(position)) && digits <= 4) {
      position++;
      digits++;
    }
    if (text.charCodeAt(position) !== 41 || digits === 0 || digits > 4) return NOT_A_NUMBER;
    position++;
    groups++;
    if (text.charCodeAt(position) === 32) position++;
  }
  for (;;) {
    const groupStart = position;
    // Bounded: a run longer than any phone number is not one, however long it goes on.
    while (isDigit(text.charCodeAt(position)) && digits + position - groupStart <= MAX_TEL_DIGITS) position++;
    if (position === groupStart) return NOT_A_NUMBER;
    digits += position - groupStart;
    groups++;
    const next = text.charCodeAt(position);
    const isSeparator = next === 32 || next === 46 || next === 45 || next === 47;
    if (!isSeparator || !isDigit(text.charCodeAt(position + 1)) || groups >= MAX_GROUPS) break;
    if (separator !== -1 && separator !== next) break;
    if (digits > MAX_TEL_DIGITS) break;
    separator = next;
    position++;
  }
  if (digits < MIN_DIGITS || digits > MAX_TEL_DIGITS || isGluedAfter(text, position)) return NOT_A_NUMBER;
  if (extendsNumberAfter(text, position, " .-/")) return NOT_A_NUMBER;
  return { end: position, digits };
}
