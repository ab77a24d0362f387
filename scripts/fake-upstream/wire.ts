// The OpenAI wire shapes the fake upstream sends: errors, chat.completion objects, the chunks of a stream,
// usage and the model list. Typed with the official SDK's types so the shapes cannot drift from OpenAI's.
import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";
import type { CompletionUsage } from "openai/resources/completions";
import type { Reply } from "./replies";

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function errorBody(message: string, type: string, code: string | null = null, param: string | null = null): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

/** What every object of one completion shares. */
export interface CompletionIdentity {
  id: string;
  created: number;
  model: string;
}

/** Tokens are words; a reply's completion tokens are the pieces it emits (words, JSON slices, argument slices). */
export function usageFor(promptTokens: number, reply: Reply): CompletionUsage {
  const argumentPieces = reply.toolCalls.reduce((total, call) => total + call.argumentPieces.length, 0);
  const completionTokens = reply.contentPieces.length + argumentPieces;
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

export function completion(identity: CompletionIdentity, reply: Reply, usage: CompletionUsage): ChatCompletion {
  const toolCalls = reply.toolCalls.map((call) => ({
    id: call.id,
    type: "function" as const,
    function: { name: call.name, arguments: call.argumentPieces.join("") },
  }));
  return {
    ...identity,
    object: "chat.completion",
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: toolCalls.length > 0 ? null : reply.contentPieces.join(""),
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: reply.finishReason,
        logprobs: null,
      },
    ],
    usage,
  };
}

/** A stream chunk and how long to wait before sending it. */
export interface TimedChunk {
  delayMs: number;
  chunk: ChatCompletionChunk;
}

export interface StreamTiming {
  firstTokenDelayMs: number;
  interTokenDelayMs: number;
}

/**
 * The whole stream for a reply: the role chunk, one chunk per piece (a tool call opens with its id and
 * name, then its argument slices), the finish chunk and, when usage is given (include_usage), the usage chunk.
 */
export function streamChunks(identity: CompletionIdentity, reply: Reply, timing: StreamTiming, usage: CompletionUsage | null): TimedChunk[] {
  const frame = (choices: ChatCompletionChunk.Choice[]): ChatCompletionChunk => ({
    ...identity,
    object: "chat.completion.chunk",
    choices,
    ...(usage ? { usage: null } : {}),
  });
  const choice = (delta: ChatCompletionChunk.Choice.Delta, finishReason: Reply["finishReason"] | null = null) =>
    frame([{ index: 0, delta, finish_reason: finishReason, logprobs: null }]);
  const tokens: ChatCompletionChunk.Choice.Delta[] = [
    ...reply.contentPieces.map((piece) => ({ content: piece })),
    ...reply.toolCalls.flatMap((call, index) => [
      { tool_calls: [{ index, id: call.id, type: "function" as const, function: { name: call.name, arguments: "" } }] },
      ...call.argumentPieces.map((piece) => ({ tool_calls: [{ index, function: { arguments: piece } }] })),
    ]),
  ];
  return [
    { delayMs: 0, chunk: choice({ role: "assistant", content: "" }) },
    ...tokens.map((delta, position) => ({
      delayMs: position === 0 ? timing.firstTokenDelayMs : timing.interTokenDelayMs,
      chunk: choice(delta),
    })),
    { delayMs: 0, chunk: choice({}, reply.finishReason) },
    ...(usage ? [{ delayMs: 0, chunk: { ...frame([]), usage } }] : []),
  ];
}

/** How long the whole reply takes, so a non-streaming reply is as slow as its stream would be. */
export function totalDelay(chunks: TimedChunk[]): number {
  return chunks.reduce((total, { delayMs }) => total + delayMs, 0);
}

export function modelList() {
  const created = 1_715_367_049;
  return {
    object: "list" as const,
    data: ["gpt-4o-mini", "gpt-4o"].map((id) => ({ id, object: "model" as const, created, owned_by: "system" })),
  };
}
