// Token estimates, made before a generation (to reserve against the per-minute limit and the monthly
// budget) and reconciled with the upstream's real count when it reports one; when it reports none (the
// client left, the upstream failed, the relay died), the generation is charged an estimate of its prompt
// and of everything it produced. A deliberately simple rule: about four characters per token,
// documented in docs/operations.md ("Token accounting").
import type { TranscriptMessage } from "../openai/transcript";

/** Characters per token assumed by every estimate. */
export const CHARACTERS_PER_TOKEN = 4;
/** The output estimate for a request with no output cap anywhere. */
const DEFAULT_OUTPUT_ESTIMATE = 1024;

export function tokensForCharacters(characters: number): number {
  return Math.ceil(characters / CHARACTERS_PER_TOKEN);
}

/** The prompt's tokens plus the most output the request may produce. */
export function estimateRequestTokens(systemPrompts: string[], transcript: TranscriptMessage[], outputCap: number | null): number {
  return tokensForCharacters(promptCharacters(systemPrompts, transcript)) + (outputCap ?? DEFAULT_OUTPUT_ESTIMATE);
}

export function promptCharacters(systemPrompts: string[], transcript: TranscriptMessage[]): number {
  let characters = systemPrompts.reduce((sum, prompt) => sum + prompt.length, 0);
  for (const message of transcript) {
    characters += (message.content?.length ?? 0) + (message.toolCalls ?? []).reduce((sum, call) => sum + call.arguments.length, 0);
  }
  return characters;
}

/** The prompt's estimated tokens: what a generation is charged for its input when the upstream reports no usage. */
export function estimatePromptTokens(systemPrompts: string[], transcript: TranscriptMessage[]): number {
  return tokensForCharacters(promptCharacters(systemPrompts, transcript));
}

/** Characters a reply produced: its text and its tool calls' arguments. */
export function outputCharacters(message: TranscriptMessage): number {
  return (message.content?.length ?? 0) + (message.toolCalls ?? []).reduce((sum, call) => sum + call.name.length + call.arguments.length, 0);
}
