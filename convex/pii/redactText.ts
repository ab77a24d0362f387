// Redaction of text as the gateway stores and forwards it, where values may be hidden behind JSON:
// text that is a JSON object, array or string is redacted value by value (each string decoded,
// redacted and re-encoded, so the result is always valid JSON); any other text is redacted with its
// escapes seen through ("\n" before a card, "\u0040" in an address) and the placeholders put in place
// of what was written, never inside an escape.
import type { PiiCounts, PiiFinding } from "./categories";
import { decodeEscapes, writtenOffset } from "./escapes";
import { findPii } from "./findPii";
import { resolveOverlaps } from "./overlaps";
import { addCounts, redactFindings, redactPii } from "./redact";

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

function redactWritten(text: string, counts: PiiCounts): string {
  const result = redactWrittenText(text);
  addCounts(counts, result.counts);
  return result.text;
}

/**
 * Text read as prose, never as a JSON document: its findings as written and behind its escapes,
 * replaced where written. What the stream redactor's output comes to for a whole reply.
 */
export function redactWrittenText(text: string): { text: string; counts: PiiCounts } {
  return redactFindings(text, findPiiThroughEscapes(text));
}

/**
 * The findings of a text read both as written and with its JSON escapes decoded, as offsets into
 * the written text: a decoded finding spans from the start of the escape that began it to the end of
 * the one that ended it. The written reading catches what only the written spelling shows (a
 * backslash is a boundary as written: "C:\files\4111 1111 1111 1111"); the decoded one what the
 * escapes hide ("\n4111 ...", "jane\u0040example.com").
 */
export function findPiiThroughEscapes(text: string): PiiFinding[] {
  const written = findPii(text);
  const decoded = decodeEscapes(text);
  if (decoded.written === null) return written;
  const escapes = escapeSpans(decoded.written);
  const seen = findPii(decoded.text).map((finding) => ({
    category: finding.category,
    start: writtenOffset(decoded, finding.start),
    end: writtenOffset(decoded, finding.end),
  }));
  // A written finding must not split an escape either: one that starts inside an escape ("n" of
  // "\njohn@...") starts after it, and one that ends inside an escape takes the whole escape.
  const aligned = written.flatMap((finding) => {
    const startEscape = escapeAround(escapes, finding.start);
    const endEscape = escapeAround(escapes, finding.end);
    const start = startEscape ? startEscape.end : finding.start;
    const end = endEscape ? endEscape.end : finding.end;
    return start < end ? [{ category: finding.category, start, end }] : [];
  });
  return resolveOverlaps([...aligned, ...seen]);
}

interface Span {
  start: number;
  end: number;
}

/** The written spans of the escapes: where one decoded character took more than one written one. */
function escapeSpans(written: Int32Array): Span[] {
  const spans: Span[] = [];
  for (let index = 0; index + 1 < written.length; index++) {
    // Both halves of a surrogate pair written as two \u escapes map to their own escape starts.
    if (written[index + 1]! - written[index]! > 1) spans.push({ start: written[index]!, end: written[index + 1]! });
  }
  return spans;
}

/** The escape that `offset` falls strictly inside (after its first character), if any. */
function escapeAround(spans: Span[], offset: number): Span | null {
  let low = 0;
  let high = spans.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const span = spans[middle]!;
    if (offset <= span.start) high = middle - 1;
    else if (offset >= span.end) low = middle + 1;
    else return span;
  }
  return null;
}
