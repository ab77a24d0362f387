// Reads text the way a JSON parser reads a string's contents: `\n \t \r \b \f \" \\ \/` and `\uXXXX`
// (surrogate pairs included) decoded, keeping where each decoded character was written, so findings in
// the decoded text can be replaced in the text as written without ever splitting an escape.
// A backslash that starts no valid escape stays a plain backslash.
import { isHexDigit } from "./characters";

const BACKSLASH = 92;
const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", '"': '"', "\\": "\\", "/": "/" };

export interface DecodedText {
  text: string;
  /**
   * `written[i]` is the offset in the written text where decoded code unit `i` starts, and
   * `written[text.length]` is the written text's length. Null when nothing was escaped (offsets agree).
   */
  written: Int32Array | null;
}

export function decodeEscapes(written: string): DecodedText {
  if (!written.includes("\\")) return { text: written, written: null };
  const parts: string[] = [];
  const offsets = new Int32Array(written.length + 1);
  let decodedLength = 0;
  let copied = 0;
  let position = written.indexOf("\\");
  while (position !== -1) {
    const escape = escapeAt(written, position);
    if (escape === null) {
      position = written.indexOf("\\", position + 1);
      continue;
    }
    // Characters before the escape map one to one.
    for (let index = copied; index < position; index++) offsets[decodedLength++] = index;
    parts.push(written.slice(copied, position), escape.value);
    // Each decoded code unit of the escape maps to the escape's start (a \uXXXX yields one unit).
    for (let unit = 0; unit < escape.value.length; unit++) offsets[decodedLength++] = position;
    copied = position + escape.length;
    position = written.indexOf("\\", copied);
  }
  if (parts.length === 0) return { text: written, written: null };
  for (let index = copied; index < written.length; index++) offsets[decodedLength++] = index;
  offsets[decodedLength] = written.length;
  parts.push(written.slice(copied));
  return { text: parts.join(""), written: offsets.subarray(0, decodedLength + 1) };
}

/** The offset in the written text where decoded offset `index` falls. */
export function writtenOffset(decoded: DecodedText, index: number): number {
  return decoded.written === null ? index : decoded.written[index]!;
}

function escapeAt(text: string, position: number): { value: string; length: number } | null {
  const next = text.charAt(position + 1);
  const simple = SIMPLE_ESCAPES[next];
  if (simple !== undefined) return { value: simple, length: 2 };
  if (next === "u" && isUnicodeEscape(text, position)) {
    return { value: String.fromCharCode(parseInt(text.slice(position + 2, position + 6), 16)), length: 6 };
  }
  return null;
}

function isUnicodeEscape(text: string, position: number): boolean {
  for (let index = position + 2; index < position + 6; index++) if (!isHexDigit(text.charCodeAt(index))) return false;
  return text.charCodeAt(position) === BACKSLASH;
}
