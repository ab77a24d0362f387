// Phone numbers the general phone detector leaves alone because, without a "+" or a trunk "0",
// they look like any other digits: numbers right after a word that names a phone, in the supported
// languages ("Móvil: 662984210", "my cell is 4159734171", "Cellulare: 3456639999", "電話：..."),
// `tel:` links without "+", and the national layouts that are distinctive on their own: Spanish
// nine digits in 3-3-3 (first digit 6-9) or 2-3-2-2 (first digit 8-9) groups, and French ten
// digits written compact ("0765337203").
import { extendsNumberAfter, extendsNumberBefore, isGluedAfter, isGluedBefore } from "./boundaries";
import type { PiiFinding } from "./categories";
import { codeAt, isDigit, isLetter } from "./characters";

// Longest first, so a word is not cut to a shorter one ("telefone", not "telefon").
const PHONE_WORD =
  /\b(?:telefonnummer|appelez-moi|erreichbar|richiamare|cellphone|cellulare|joignable|rufnummer|telephone|téléphone|chiamami|chiamare|portable|rappeler|telefone|telefono|telefoon|teléfono|whatsapp|appeler|appelez|celular|liga-me|llámame|telefon|bellen|chiama|llamar|mobiel|mobile|handy|ligar|ligue|llama|mobil|movil|móvil|phone|call|cell|telf|bel|fax|ruf|tel|tlf|tél)|電話|携帯|折り返し/gi;
const MAX_WORD_GAP = 24;
const MIN_DIGITS = 9;
const MAX_DIGITS = 12;
const MAX_GROUPS = 6;
// Distinctive national layouts: Spanish 3-3-3 and 2-3-2-2, French compact.
const NATIONAL_LAYOUT = /[6-9]\d{2}([ .-])\d{3}\1\d{3}|[89]\d \d{3} \d{2} \d{2}|0[1-9]\d{8}/g;

export function findNationalPhones(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  findLabelledPhones(text, findings);
  findTelLinks(text, findings);
  findNationalLayouts(text, findings);
  return findings;
}

/**
 * Walks digit groups from `start`: one separator style between groups (space, dot, dash or
 * slash), an area code in parentheses allowed first. Returns the end, or -1 when the digits are
 * not 9-12 or the groups do not read as one number.
 */
export function phoneGroupsEnd(text: string, start: number): number {
  let position = start;
  let digits = 0;
  let groups = 0;
  let separator = -1;
  if (codeAt(text, position) === 40) {
    position++;
    while (isDigit(codeAt(text, position))) {
      position++;
      digits++;
    }
    if (codeAt(text, position) !== 41 || digits === 0 || digits > 4) return -1;
    position++;
    groups++;
    if (codeAt(text, position) === 32) position++;
  }
  for (;;) {
    const groupStart = position;
    while (isDigit(codeAt(text, position))) position++;
    if (position === groupStart) return -1;
    digits += position - groupStart;
    groups++;
    const next = codeAt(text, position);
    const isSeparator = next === 32 || next === 46 || next === 45 || next === 47;
    if (!isSeparator || !isDigit(codeAt(text, position + 1)) || groups >= MAX_GROUPS) break;
    if (separator !== -1 && separator !== next) break;
    if (digits + countDigits(text, position + 1) > MAX_DIGITS) break;
    separator = next;
    position++;
  }
  if (digits < MIN_DIGITS || digits > MAX_DIGITS || isGluedAfter(text, position)) return -1;
  if (extendsNumberAfter(text, position, " .-/")) return -1;
  return position;
}

function countDigits(text: string, from: number): number {
  let end = from;
  while (isDigit(codeAt(text, end))) end++;
  return end - from;
}

function findLabelledPhones(text: string, findings: PiiFinding[]): void {
  const pattern = new RegExp(PHONE_WORD);
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    let start = match.index + match[0].length;
    // "Telegram", "cellar": the word goes on.
    if (isLetter(codeAt(text, start))) continue;
    const limit = start + MAX_WORD_GAP;
    while (start < limit && start < text.length) {
      const code = text.charCodeAt(start);
      if (isDigit(code) || code === 40 || code === 10 || code === 43 || code === 64) break;
      start++;
    }
    const first = codeAt(text, start);
    if (!isDigit(first) && first !== 40) continue;
    if (isGluedBefore(text, start) || extendsNumberBefore(text, start, " .-/")) continue;
    const end = phoneGroupsEnd(text, start);
    if (end === -1) continue;
    findings.push({ category: "phone", start, end });
    pattern.lastIndex = Math.max(pattern.lastIndex, end);
  }
}

/** `tel:912345678`, `tel:1-206-373-9158`: a dialable number, with or without "+". */
function findTelLinks(text: string, findings: PiiFinding[]): void {
  let hit = text.indexOf("tel:");
  while (hit !== -1) {
    const start = hit + 4;
    const end = isDigit(codeAt(text, start)) ? telEnd(text, start) : -1;
    if (end !== -1) findings.push({ category: "phone", start, end });
    hit = text.indexOf("tel:", Math.max(hit + 4, end));
  }
}

function telEnd(text: string, start: number): number {
  let position = start;
  let digits = 0;
  while (position - start < 24) {
    const code = codeAt(text, position);
    if (isDigit(code)) digits++;
    else if (!(code === 45 || code === 46) || !isDigit(codeAt(text, position + 1))) break;
    position++;
  }
  return digits >= 7 && digits <= 15 && !isGluedAfter(text, position) ? position : -1;
}

function findNationalLayouts(text: string, findings: PiiFinding[]): void {
  const pattern = new RegExp(NATIONAL_LAYOUT);
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const start = match.index;
    const end = start + match[0].length;
    const standalone =
      !isGluedBefore(text, start) &&
      !isGluedAfter(text, end) &&
      !extendsNumberBefore(text, start, " .-/+,") &&
      !extendsNumberAfter(text, end, " .-/,") &&
      codeAt(text, start - 1) !== 43 &&
      codeAt(text, start - 1) !== 35;
    if (standalone) findings.push({ category: "phone", start, end });
    else pattern.lastIndex = start + 1;
  }
}
