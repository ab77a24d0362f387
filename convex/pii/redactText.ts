// Redaction of text as the gateway stores and forwards it, where values may be hidden behind JSON:
// text that is a JSON object, array or string is redacted value by value (each string decoded,
// redacted and re-encoded, so the result is always valid JSON); any other text is redacted with its
// escapes seen through ("\n" before a card, "\u0040" in an address) and the placeholders put in place
// of what was written, never inside an escape.
import type { PiiCounts, PiiFinding, Span } from "./categories";
import { decodeEscapes, writtenOffset } from "./escapes";
import { findPii } from "./findPii";
import { resolveOverlaps } from "./overlaps";
import { MAX_PASSES, addCounts, everyLine, redactFindings, redactFurther, redactPii, redactRepeatedly } from "./redact";

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
  let code = text.charCodeAt(0);
  // JSON's whitespace: space, tab, line feed, carriage return.
  while (code === 32 || code === 9 || code === 10 || code === 13) code = text.charCodeAt(++position);
  return code === 123 || code === 91 || code === QUOTE;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A string's value or a number's text inside a JSON document, where it was written and where it sits in the scan text. */
interface Token {
  start: number;
  end: number;
  value: string;
  scanStart: number;
}

/** Written text to put in place of the span it covers. */
interface Replacement extends Span {
  text: string;
}

/**
 * Between the values of a document in the one text they are scanned in: no detector takes it into a
 * value, and next to a value it is a boundary, as the value's own ends would be.
 */
const VALUE_SEPARATOR = "\u0000";
/** The shortest value any detector finds ("::1"): shorter strings and numbers ("id", 42) are not scanned. */
const SHORTEST_VALUE = 3;

/**
 * Walks valid JSON token by token. A string whose value holds PII is replaced by the JSON encoding of
 * its redacted value; a number that reads as PII (a card written as a number) by the placeholder as a
 * string. Everything else, including the spelling of untouched strings, is kept as written. All values
 * are scanned in one pass over one text, so a document of many small strings costs what its text does.
 */
function redactJson(text: string, counts: PiiCounts, depth: number): string {
  const replacements: Replacement[] = [];
  const tokens: Token[] = [];
  let scanLength = 0;
  let position = 0;
  while (position < text.length) {
    const code = text.charCodeAt(position);
    let end = position + 1;
    if (code === QUOTE) {
      end = stringEnd(text, position);
      const raw = text.slice(position + 1, end - 1);
      const value = raw.includes("\\") ? (JSON.parse(text.slice(position, end)) as string) : raw;
      if (depth + 1 < MAX_NESTING && looksLikeJson(value) && isJson(value)) {
        const redacted = redactJson(value, counts, depth + 1);
        if (redacted !== value) replacements.push({ start: position, end, text: JSON.stringify(redacted) });
      } else if (value.length >= SHORTEST_VALUE) {
        tokens.push({ start: position, end, value, scanStart: scanLength });
        scanLength += value.length + VALUE_SEPARATOR.length;
      }
    } else if (code === 45 || (code >= 48 && code <= 57)) {
      while (end < text.length && isNumberCharacter(text.charCodeAt(end))) end++;
      if (end - position >= SHORTEST_VALUE) {
        tokens.push({ start: position, end, value: text.slice(position, end), scanStart: scanLength });
        scanLength += end - position + VALUE_SEPARATOR.length;
      }
    }
    position = end;
  }
  replacements.push(...redactTokens(tokens, counts));
  if (replacements.length === 0) return text;
  replacements.sort((left, right) => left.start - right.start);
  const parts: string[] = [];
  let copied = 0;
  for (const replacement of replacements) {
    parts.push(text.slice(copied, replacement.start), replacement.text);
    copied = replacement.end;
  }
  parts.push(text.slice(copied));
  return parts.join("");
}

/** Scans the tokens' values as one text and returns the re-encoded tokens that held a value. */
function redactTokens(tokens: Token[], counts: PiiCounts): Replacement[] {
  const scanText = tokens.map((token) => token.value).join(VALUE_SEPARATOR);
  const findings = findPiiThroughEscapes(scanText);
  const replacements: Replacement[] = [];
  let next = 0;
  for (const token of tokens) {
    const tokenEnd = token.scanStart + token.value.length;
    const own: PiiFinding[] = [];
    while (next < findings.length && findings[next]!.start < tokenEnd) {
      const finding = findings[next++]!;
      // Never expected (no detector crosses the separator); if one did, scan the token alone.
      if (finding.start < token.scanStart || finding.end > tokenEnd) return tokens.flatMap((each) => redactToken(each, redactWrittenText(each.value), counts));
      own.push({ category: finding.category, start: finding.start - token.scanStart, end: finding.end - token.scanStart });
    }
    // A value that had findings in the joined scan gets its own passes after it (see MAX_PASSES).
    if (own.length > 0) {
      const further = redactFurther(redactFindings(token.value, own), everyLine(findPiiThroughEscapes), MAX_PASSES);
      replacements.push(...redactToken(token, further, counts));
    }
  }
  return replacements;
}

function redactToken(token: Token, result: { text: string; counts: PiiCounts }, counts: PiiCounts): Replacement[] {
  if (result.text === token.value) return [];
  addCounts(counts, result.counts);
  return [{ start: token.start, end: token.end, text: JSON.stringify(result.text) }];
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
  // Without a backslash there is no escape to see through, and a redaction writes none, so every
  // pass reads the text as written: the plain redaction, with its shared scans and later-pass rules.
  return text.includes("\\") ? redactRepeatedly(text, findPiiThroughEscapes) : redactPii(text);
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
