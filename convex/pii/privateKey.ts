// PEM private key blocks, "-----BEGIN ... PRIVATE KEY-----" through the next "-----END ...-----"
// line, redacted whole in any layout between them (indented inside YAML, quoted, with RFC 1421
// headers such as "Proc-Type: 4,ENCRYPTED"). A header with no END near it (a truncated paste) is
// redacted together with the lines after it that look like a key's (base64, headers, blank lines,
// at any indentation), so half a key never survives. `unfinishedPrivateKeyStart` tells a stream
// where a block starts that more text could still extend.
import type { PiiFinding } from "./categories";
import { isAlphanumeric } from "./characters";

const BEGIN = "-----BEGIN ";
// Searched for instead of BEGIN: "-" is common in text, "B" rare, and indexOf scans for the first character.
const BEGIN_ANCHOR = "BEGIN ";
const END = "-----END ";
const DASHES = "-----";
const LABEL_SUFFIX = "PRIVATE KEY";
const MAX_LABEL_LENGTH = 40;
/** An 8192-bit RSA key is about 6.5 KB of PEM; an END further away belongs to something else. */
export const MAX_BLOCK_LENGTH = 16_384;
// Longest header field name taken for an RFC 1421 header ("Proc-Type", "DEK-Info", "Comment").
const MAX_FIELD_NAME_LENGTH = 32;
const BACKSLASH = 92;
const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;

export function findPrivateKeys(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  // The next "-----END " at or after the current header; headers only move forward, so each END
  // is searched for once and a text of many headers with no END costs one search in total.
  let nextEnd = -2;
  let begin = nextBegin(text, 0);
  while (begin !== -1) {
    const headerEnd = labelledLineEnd(text, begin + BEGIN.length, true);
    if (headerEnd === -1) {
      begin = nextBegin(text, begin + 1);
      continue;
    }
    if (nextEnd !== -1 && nextEnd < headerEnd) nextEnd = text.indexOf(END, headerEnd);
    let end: number;
    if (nextEnd !== -1 && nextEnd - begin <= MAX_BLOCK_LENGTH) {
      const footerEnd = labelledLineEnd(text, nextEnd + END.length, false);
      end = footerEnd === -1 ? nextEnd + END.length : footerEnd;
    } else {
      end = bodyEnd(text, headerEnd).end;
    }
    findings.push({ category: "api_key", start: begin, end });
    begin = nextBegin(text, end);
  }
  return findings;
}

function nextBegin(text: string, from: number): number {
  const dashes = BEGIN.length - BEGIN_ANCHOR.length;
  let anchor = text.indexOf(BEGIN_ANCHOR, from + dashes);
  while (anchor !== -1 && !text.startsWith(BEGIN, anchor - dashes)) anchor = text.indexOf(BEGIN_ANCHOR, anchor + 1);
  return anchor === -1 ? -1 : anchor - dashes;
}

/**
 * The end of "LABEL-----" starting at `labelStart`, where the label is capitals, digits and spaces;
 * a header's label must name a private key, a footer's may say anything.
 */
function labelledLineEnd(text: string, labelStart: number, mustBePrivate: boolean): number {
  let position = labelStart;
  while (position - labelStart < MAX_LABEL_LENGTH && /[A-Z0-9 ]/.test(text[position] ?? "")) position++;
  const label = text.slice(labelStart, position).trimEnd();
  if (mustBePrivate && !label.endsWith(LABEL_SUFFIX)) return -1;
  return text.startsWith(DASHES, position) ? position + DASHES.length : -1;
}

/**
 * Where a private key block starts that text still to come could change: its header or footer is
 * not complete yet, its footer may still arrive (less than MAX_BLOCK_LENGTH after the header), or,
 * with no footer, its key lines run to the end of the text. -1 when every block is settled.
 */
export function unfinishedPrivateKeyStart(text: string): number {
  const partialLabel = DASHES.length + MAX_LABEL_LENGTH + DASHES.length;
  let begin = nextBegin(text, 0);
  while (begin !== -1) {
    const headerEnd = labelledLineEnd(text, begin + BEGIN.length, true);
    if (headerEnd === -1) {
      if (text.length - begin < BEGIN.length + partialLabel) return begin;
      begin = nextBegin(text, begin + 1);
      continue;
    }
    const end = text.indexOf(END, headerEnd);
    if (end !== -1 && end - begin <= MAX_BLOCK_LENGTH) {
      const footerEnd = labelledLineEnd(text, end + END.length, false);
      if (footerEnd === -1 && text.length - end < END.length + partialLabel) return begin;
      begin = nextBegin(text, footerEnd === -1 ? end + END.length : footerEnd);
      continue;
    }
    if (text.length - begin <= MAX_BLOCK_LENGTH) return begin;
    const body = bodyEnd(text, headerEnd);
    if (body.open) return begin;
    begin = nextBegin(text, body.end);
  }
  return -1;
}

/**
 * The end of the key lines after a header with no footer: each following line, after indentation
 * (spaces, tabs, the ">" of a quote), must be base64, blank, or (before any base64) a header field
 * ("DEK-Info: AES-128-CBC,..."). Lines break at CR/LF or at their JSON escapes ("\n"). The first
 * line that is anything else (prose) ends the body and is kept. `open`: the body ran to the end of
 * the text, so more text could extend it.
 */
function bodyEnd(text: string, headerEnd: number): { end: number; open: boolean } {
  let end = headerEnd;
  let position = headerEnd;
  let sawKeyLine = false;
  for (let first = true; ; first = false) {
    const afterBlanks = skipBlanks(text, position);
    if (afterBlanks >= text.length) return { end, open: true };
    let lineStart = lineBreakEnd(text, afterBlanks);
    if (lineStart === -1) {
      // A key glued to its header ("-----BEGIN PRIVATE KEY-----MIIE...") has its first line there.
      if (!first) return { end, open: false };
      lineStart = afterBlanks;
    }
    const contentStart = skipIndentation(text, lineStart);
    let cursor = contentStart;
    if (!sawKeyLine && isHeaderField(text, cursor)) {
      while (cursor < text.length && lineBreakEnd(text, cursor) === -1) cursor++;
    } else {
      while (isBase64(text.charCodeAt(cursor))) cursor++;
      if (cursor > contentStart) sawKeyLine = true;
    }
    const after = skipBlanks(text, cursor);
    if (after >= text.length) return { end: cursor > contentStart ? cursor : end, open: true };
    if (lineBreakEnd(text, after) === -1) return { end, open: false };
    if (cursor > contentStart) end = cursor;
    position = after;
  }
}

/** The end of a line break at `position` (CR, LF, CRLF, or the same escaped as in JSON), or -1. */
function lineBreakEnd(text: string, position: number): number {
  const code = text.charCodeAt(position);
  if (code === CARRIAGE_RETURN) return text.charCodeAt(position + 1) === LINE_FEED ? position + 2 : position + 1;
  if (code === LINE_FEED) return position + 1;
  if (code === BACKSLASH) {
    const escaped = text.charAt(position + 1);
    if (escaped === "r") return text.startsWith("\\n", position + 2) ? position + 4 : position + 2;
    if (escaped === "n") return position + 2;
  }
  return -1;
}

function skipBlanks(text: string, position: number): number {
  while (text.charAt(position) === " " || text.charAt(position) === "\t") position++;
  return position;
}

function skipIndentation(text: string, position: number): number {
  while (text.charAt(position) === " " || text.charAt(position) === "\t" || text.charAt(position) === ">") position++;
  return position;
}

/** "Name: value": a letter, then letters, digits and dashes, then ": ". */
function isHeaderField(text: string, position: number): boolean {
  if (!/[A-Za-z]/.test(text.charAt(position))) return false;
  let cursor = position + 1;
  while (cursor - position < MAX_FIELD_NAME_LENGTH && /[A-Za-z0-9-]/.test(text.charAt(cursor))) cursor++;
  return text.charAt(cursor) === ":" && text.charAt(cursor + 1) === " ";
}

function isBase64(code: number): boolean {
  return isAlphanumeric(code) || code === 43 || code === 47 || code === 61;
}
