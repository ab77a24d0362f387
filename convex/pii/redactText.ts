// Redaction of text as the gateway stores and forwards it, where values may be hidden behind JSON:
// text that is a JSON object, array or string is redacted value by value (each string decoded,
// redacted and re-encoded, so the result is always valid JSON); any other text is redacted with its
// escapes seen through ("\n" before a card, "\u0040" in an address) and the placeholders put in place
// of what was written, never inside an escape.
import type { PiiCounts } from "./categories";
import { PII_PLACEHOLDERS } from "./categories";
import { decodeEscapes, writtenOffset } from "./escapes";
import { findPii } from "./findPii";
import { addCounts, redactPii } from "./redact";

/** JSON strings holding JSON (a tool result that embeds a document) are opened this many levels deep. */
const MAX_NESTING = 4;
const QUOTE = 34;
const BACKSLASH = 92;

export function redactText(text: string): { text: string; counts: PiiCounts } {
  const counts: PiiCounts = {};
  return { text: redactAny(text, counts, 0), counts };
}

function redactAny(text: string, counts: PiiCounts, depth: number): string {
  if (depth < MAX_NESTING && looksLikeJson(text) && isJson(text)) return redactJson(text, counts, depth);
  return redactWritten(text, counts);
}

/** Only objects, arrays and strings: a bare number or word is prose, not a document. */
function looksLikeJson(text: string): boolean {
  let position = 0;
  while (/\s/.test(text.charAt(position))) position++;
  const first = text.charAt(position);
  return first === "{" || first === "[" || first === '"';
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Walks valid JSON token by token. A string whose value holds PII is replaced by the JSON encoding of
 * its redacted value; a number that reads as PII (a card written as a number) by the placeholder as a
 * string. Everything else, including the spelling of untouched strings, is kept as written.
 */
function redactJson(text: string, counts: PiiCounts, depth: number): string {
  const parts: string[] = [];
  let copied = 0;
  let position = 0;
  while (position < text.length) {
    const code = text.charCodeAt(position);
    if (code === QUOTE) {
      const end = stringEnd(text, position);
      const value = JSON.parse(text.slice(position, end)) as string;
      const redacted = redactAny(value, counts, depth + 1);
      if (redacted !== value) {
        parts.push(text.slice(copied, position), JSON.stringify(redacted));
        copied = end;
      }
      position = end;
    } else if (code === 45 || (code >= 48 && code <= 57)) {
      let end = position + 1;
      while (end < text.length && isNumberCharacter(text.charCodeAt(end))) end++;
      const number = redactPii(text.slice(position, end));
      if (number.text !== text.slice(position, end)) {
        addCounts(counts, number.counts);
        parts.push(text.slice(copied, position), JSON.stringify(number.text));
        copied = end;
      }
      position = end;
    } else {
      position++;
    }
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(copied));
  return parts.join("");
}

/** The offset just past the closing quote of the (valid) JSON string opening at `start`. */
function stringEnd(text: string, start: number): number {
  let position = start + 1;
  for (;;) {
    const code = text.charCodeAt(position);
    if (code === QUOTE) return position + 1;
    position += code === BACKSLASH ? 2 : 1;
  }
}

function isNumberCharacter(code: number): boolean {
  return (code >= 48 && code <= 57) || code === 46 || code === 43 || code === 45 || code === 69 || code === 101;
}

/**
 * Text that is not a JSON document: found in its decoded reading, replaced where it was written.
 * A second pass over the written text catches what only the written spelling shows ("\f" read as a
 * form feed hides nothing, but a backslash before a value is a boundary only as written).
 */
function redactWritten(text: string, counts: PiiCounts): string {
  const decoded = decodeEscapes(text);
  if (decoded.written === null) {
    const result = redactPii(text);
    addCounts(counts, result.counts);
    return result.text;
  }
  const parts: string[] = [];
  let copied = 0;
  for (const finding of findPii(decoded.text)) {
    const start = writtenOffset(decoded, finding.start);
    const end = writtenOffset(decoded, finding.end);
    parts.push(text.slice(copied, start), PII_PLACEHOLDERS[finding.category]);
    counts[finding.category] = (counts[finding.category] ?? 0) + 1;
    copied = end;
  }
  parts.push(text.slice(copied));
  const second = redactPii(parts.join(""));
  addCounts(counts, second.counts);
  return second.text;
}
