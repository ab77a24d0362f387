// International Bank Account Numbers: country code, two check digits and the BBAN, written compact
// or in the printed groups of four, with the registry length for the country and mod-97 == 1.
import type { PiiFinding } from "./categories";
import { isGluedAfter, isGluedBefore } from "./boundaries";
import { isDigit, isUpperLetter } from "./characters";
import { IBAN_LENGTHS } from "./ibanLengths";

const START_PATTERN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}/g;

/**
 * ISO 13616 check: move the first four characters to the end, read letters as 10-35, and the
 * number mod 97 must be 1. Spaces are skipped, so a printed IBAN can be checked where it stands.
 */
export function isIbanChecksumValid(text: string, start = 0, end = text.length): boolean {
  let remainder = 0;
  let counted = 0;
  let headEnd = start;
  for (let index = start; index < end && remainder !== -1; index++) {
    const code = text.charCodeAt(index);
    if (code === 32) continue;
    counted++;
    if (counted <= 4) headEnd = index + 1;
    else remainder = mod97Step(remainder, code);
  }
  for (let index = start; index < headEnd && remainder !== -1; index++) {
    remainder = mod97Step(remainder, text.charCodeAt(index));
  }
  return counted > 4 && remainder === 1;
}

/** Appends one IBAN character to the running remainder; -1 for a character IBANs never hold. */
function mod97Step(remainder: number, code: number): number {
  if (isDigit(code)) return (remainder * 10 + (code - 48)) % 97;
  if (isUpperLetter(code)) return (remainder * 100 + (code - 55)) % 97;
  return -1;
}

export function findIbans(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  const pattern = new RegExp(START_PATTERN);
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const length = IBAN_LENGTHS[match[0].slice(0, 2)];
    if (length === undefined || isGluedBefore(text, match.index)) continue;
    const end = ibanEnd(text, match.index, length);
    if (end !== -1 && isIbanChecksumValid(text, match.index, end)) {
      findings.push({ category: "iban", start: match.index, end });
      pattern.lastIndex = end;
    }
  }
  return findings;
}

/**
 * The end of `length` IBAN characters from `start`, compact or with one space after every group of
 * four, provided the text does not continue the last group; -1 otherwise.
 */
function ibanEnd(text: string, start: number, length: number): number {
  const spaced = text.charCodeAt(start + 4) === 32;
  let read = 0;
  let position = start;
  while (read < length) {
    if (spaced && read > 0 && read % 4 === 0) {
      if (text.charCodeAt(position) !== 32) return -1;
      position++;
    }
    const code = text.charCodeAt(position);
    if (!isDigit(code) && !isUpperLetter(code)) return -1;
    read++;
    position++;
  }
  return isGluedAfter(text, position) ? -1 : position;
}
