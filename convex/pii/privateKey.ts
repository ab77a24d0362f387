// PEM private key blocks, "-----BEGIN ... PRIVATE KEY-----" through the next "-----END ...-----"
// line, redacted whole. A header with no END near it (a truncated paste) is redacted together
// with the base64 body that follows it, so half a key never survives.
import type { PiiFinding } from "./categories";
import { codeAt, isAlphanumeric } from "./characters";

const BEGIN = "-----BEGIN ";
// Searched for instead of BEGIN: "-" is common in text, "B" rare, and indexOf scans for the first character.
const BEGIN_ANCHOR = "BEGIN ";
const END = "-----END ";
const DASHES = "-----";
const LABEL_SUFFIX = "PRIVATE KEY";
const MAX_LABEL_LENGTH = 40;
// An 8192-bit RSA key is about 6.5 KB of PEM; an END further away belongs to something else.
const MAX_BLOCK_LENGTH = 16_384;

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
      end = headerEnd;
      while (isBodyCharacter(codeAt(text, end))) end++;
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
 * Base64 and line breaks, raw or escaped inside JSON ("\n"). Spaces end the body: key lines have
 * none, and prose after a truncated key should survive.
 */
function isBodyCharacter(code: number): boolean {
  return (
    isAlphanumeric(code) ||
    code === 43 || // +
    code === 47 || // /
    code === 61 || // =
    code === 92 || // \ of an escaped newline
    code === 10 ||
    code === 13
  );
}
