// Applies PII redaction to a whole transcript: every role, text content, text content parts, names,
// tool-call arguments, tool results and refusals. Text that is JSON stays valid JSON and escapes are
// seen through (convex/pii/redactText.ts). Pure; counts per category, never values.
import { addCounts, redactText, type PiiCounts } from "../pii";
import type { TranscriptMessage } from "../openai/transcript";

export function redactTranscript(messages: TranscriptMessage[]): { messages: TranscriptMessage[]; counts: PiiCounts } {
  const counts: PiiCounts = {};
  const redact = (text: string) => {
    const result = redactText(text);
    addCounts(counts, result.counts);
    return result.text;
  };
  const redacted = messages.map((message) => {
    const out: TranscriptMessage = { ...message, content: message.content === null ? null : redact(message.content) };
    if (message.parts !== undefined) out.parts = redactParts(message.parts, redact);
    if (message.name !== undefined) out.name = redact(message.name);
    if (message.toolCalls !== undefined) {
      out.toolCalls = message.toolCalls.map((call) => ({ ...call, arguments: redact(call.arguments) }));
    }
    if (message.refusal !== undefined) out.refusal = redact(message.refusal);
    return out;
  });
  return { messages: redacted, counts };
}

/** Redacts the text parts of stored content parts; image URLs are references, not text. */
function redactParts(partsJson: string, redact: (text: string) => string): string {
  const parts = JSON.parse(partsJson) as Array<{ type: string; text?: string }>;
  return JSON.stringify(parts.map((part) => (part.type === "text" && part.text !== undefined ? { ...part, text: redact(part.text) } : part)));
}

export function hasCounts(counts: PiiCounts): boolean {
  return Object.keys(counts).length > 0;
}
