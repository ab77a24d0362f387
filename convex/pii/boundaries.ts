// What counts as "glued" on either side of a candidate value. A value continued by a letter, digit
// or underscore is part of a longer token; so is one touching a placeholder, because the
// placeholder stands where a value was: treating it as glued keeps a second redaction pass from
// finding what the first pass rejected for touching that value ("x@example.com+2024-05-01").
import { PII_PLACEHOLDERS } from "./categories";
import { isDigit, isWordCharacter } from "./characters";

const PLACEHOLDERS = Object.values(PII_PLACEHOLDERS);
const OPENING_BRACKET = 91;
const CLOSING_BRACKET = 93;

export function placeholderEndsAt(text: string, index: number): boolean {
  return (
    text.charCodeAt(index - 1) === CLOSING_BRACKET &&
    PLACEHOLDERS.some((placeholder) => text.startsWith(placeholder, index - placeholder.length))
  );
}

export function placeholderStartsAt(text: string, index: number): boolean {
  return (
    text.charCodeAt(index) === OPENING_BRACKET && PLACEHOLDERS.some((placeholder) => text.startsWith(placeholder, index))
  );
}

/** The character before `start` continues a token into the candidate. */
export function isGluedBefore(text: string, start: number): boolean {
  return isWordCharacter(text.charCodeAt(start - 1)) || placeholderEndsAt(text, start);
}

/** The character at `end` continues the candidate into a token. */
export function isGluedAfter(text: string, end: number): boolean {
  return isWordCharacter(text.charCodeAt(end)) || placeholderStartsAt(text, end);
}

/**
 * One of `separators` and then a digit or a placeholder after `end`: the candidate is one part of a
 * longer number ("123-45-6789-1", "1.2.3.4.5"), or was next to a value that has since been redacted.
 */
export function extendsNumberAfter(text: string, end: number, separators: string): boolean {
  return (
    separators.includes(text.charAt(end)) && (isDigit(text.charCodeAt(end + 1)) || placeholderStartsAt(text, end + 1))
  );
}

/** The mirror of `extendsNumberAfter` before `start`. */
export function extendsNumberBefore(text: string, start: number, separators: string): boolean {
  return (
    start > 0 &&
    separators.includes(text.charAt(start - 1)) &&
    (isDigit(text.charCodeAt(start - 2)) || placeholderEndsAt(text, start - 1))
  );
}
