// Builders for what goes on the wire: chat.completion.chunk objects, the chat.completion object and
// the SSE framing around them, exactly as OpenAI sends them.
import type { FinishReason } from "./finishReason";
import { toOpenAIUsage, type Usage } from "./usage";
import type { ToolCall } from "./transcript";
import type { ChatCompletion, ChatCompletionChunk, ChunkDelta } from "./responseSchemas";

/** What every chunk and completion of one response shares. */
export interface ResponseIdentity {
  id: string;
  created: number;
  model: string;
}

export function completionChunk(
  identity: ResponseIdentity,
  delta: ChunkDelta,
  finishReason: FinishReason | null,
  includeUsage: boolean,
): ChatCompletionChunk {
  return {
    id: identity.id,
    object: "chat.completion.chunk" as const,
    created: identity.created,
    model: identity.model,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    // With include_usage every chunk carries `usage: null` until the final usage chunk.
    ...(includeUsage ? { usage: null } : {}),
  };
}

/**
 * The SSE event of a delta chunk, byte for byte `sseData(completionChunk(identity, delta, null,
 * includeUsage))`, with everything but the delta serialised once per response instead of per delta:
 * a long reply is thousands of deltas, and the relay's per-delta cost is mostly this.
 */
export function deltaEventWriter(identity: ResponseIdentity, includeUsage: boolean): (delta: ChunkDelta) => string {
  const marker = "\u0000delta\u0000";
  const template = sseData({ ...completionChunk(identity, {}, null, includeUsage), choices: [{ index: 0, delta: marker, logprobs: null, finish_reason: null }] });
  // The delta is the last string in the chunk (only nulls follow it), so its last occurrence is the one.
  const at = template.lastIndexOf(JSON.stringify(marker));
  const before = template.slice(0, at);
  const after = template.slice(at + JSON.stringify(marker).length);
  return (delta) => before + JSON.stringify(delta) + after;
}

/** The extra last chunk sent with stream_options.include_usage: no choices, only usage. */
export function usageChunk(identity: ResponseIdentity, usage: Usage): ChatCompletionChunk {
  return {
    id: identity.id,
    object: "chat.completion.chunk" as const,
    created: identity.created,
    model: identity.model,
    system_fingerprint: null,
    choices: [],
    usage: toOpenAIUsage(usage),
  };
}

export interface AssistantReply {
  content: string | null;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
}

export function chatCompletion(identity: ResponseIdentity, reply: AssistantReply): ChatCompletion {
  return {
    id: identity.id,
    object: "chat.completion" as const,
    created: identity.created,
    model: identity.model,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant" as const,
          content: reply.content,
          refusal: null,
          ...(reply.toolCalls.length > 0
            ? {
                tool_calls: reply.toolCalls.map((call) => ({
                  id: call.id,
                  type: "function" as const,
                  function: { name: call.name, arguments: call.arguments },
                })),
              }
            : {}),
        },
        logprobs: null,
        finish_reason: reply.finishReason,
      },
    ],
    usage: toOpenAIUsage(reply.usage),
  };
}

export function sseData(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

export const SSE_DONE = "data: [DONE]\n\n";
export const SSE_KEEP_ALIVE = ": keep-alive\n\n";
