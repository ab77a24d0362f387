// The tenant's blocked terms: whole words or phrases, case-insensitive, matched anywhere in the
// transcript. Word boundaries are Unicode-aware, so "ban" does not match "banana" or "urbanité".
import type { TranscriptMessage } from "../openai/transcript";

export function blockedTermMatcher(terms: string[]): ((text: string) => string | null) | null {
  if (terms.length === 0) return null;
  const alternatives = terms.map((term) => term.trim().replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+"));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}_])`, "iu");
  return (text) => {
    const match = pattern.exec(text);
    return match ? match[0] : null;
  };
}

/** The first blocked term found in any text of the transcript, or null. */
export function findBlockedTerm(terms: string[], messages: TranscriptMessage[]): string | null {
  const match = blockedTermMatcher(terms);
  if (match === null) return null;
  for (const message of messages) {
    const texts = [message.content, message.parts, message.refusal, ...(message.toolCalls ?? []).map((call) => call.arguments)];
    for (const text of texts) {
      const found = text ? match(text) : null;
      if (found !== null) return found;
    }
  }
  return null;
}
