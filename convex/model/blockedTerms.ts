// The tenant's blocked terms: whole words or phrases matched anywhere in the transcript, after the
// same normalisation on both sides (foldText.ts: compatibility forms, case, diacritics, invisible
// characters, look-alike letters), in each text as written and with its JSON escapes decoded
// ("\u0066orbidden"). Word boundaries are Unicode-aware, so "ban" does not match "banana" or
// "urbanité". What is reported is the term as the policy spells it, never the text that matched.
import type { TranscriptMessage } from "../openai/transcript";
import { decodeEscapes, escapeRegExp } from "../pii";
import { foldText } from "./foldText";

/** Escapes inside escapes ("\\u0066" in a JSON string holding JSON) are decoded this many times. */
const DECODING_ROUNDS = 2;

/** Returns, for a text, the index of the first term it contains, or -1; null when there are no terms. */
export function blockedTermMatcher(terms: string[]): ((text: string) => number) | null {
  const alternatives: string[] = [];
  terms.forEach((term, index) => {
    const folded = foldText(term).trim();
    if (folded === "") return;
    // Between the words of a phrase, any run of spaces and punctuation ("Project-Falcon", "Project  Falcon").
    const pattern = folded.split(/[\s\p{P}]+/u).filter((word) => word !== "").map(escapeRegExp).join("[\\s\\p{P}]+");
    alternatives.push(`(?<t${index}>${pattern === "" ? escapeRegExp(folded) : pattern})`);
  });
  if (alternatives.length === 0) return null;
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}_])`, "u");
  return (text) => {
    const match = pattern.exec(foldText(text));
    if (match === null) return -1;
    const name = Object.entries(match.groups!).find(([, value]) => value !== undefined)![0];
    return Number(name.slice(1));
  };
}

/** The first blocked term found in any text of the transcript, as the policy spells it, or null. */
export function findBlockedTerm(terms: string[], messages: TranscriptMessage[]): string | null {
  const match = blockedTermMatcher(terms);
  if (match === null) return null;
  for (const message of messages) {
    const texts = [
      message.content,
      message.parts,
      message.refusal,
      message.name,
      ...(message.toolCalls ?? []).flatMap((call) => [call.name, call.arguments]),
    ];
    for (const text of texts) {
      if (!text) continue;
      for (const reading of readings(text)) {
        const index = match(reading);
        if (index !== -1) return terms[index]!;
      }
    }
  }
  return null;
}

/** The text as written, then with its JSON escapes decoded, as long as decoding changes something. */
function readings(text: string): string[] {
  const found = [text];
  for (let round = 0; round < DECODING_ROUNDS; round++) {
    const decoded = decodeEscapes(found.at(-1)!);
    if (decoded.written === null) break;
    found.push(decoded.text);
  }
  return found;
}
