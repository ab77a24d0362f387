// OpenAI's finish reasons and the mapping from the AI SDK's, so that a stop for length, tool calls
// or a content filter reaches the client as what it was, never flattened to "stop".
import { v, type Infer } from "convex/values";
import type { FinishReason as SdkFinishReason } from "ai";

export const finishReason = v.union(
  v.literal("stop"),
  v.literal("length"),
  v.literal("tool_calls"),
  v.literal("content_filter"),
);
export type FinishReason = Infer<typeof finishReason>;

/**
 * The AI SDK normalises the provider's reason; the raw OpenAI value is preferred when it is one of
 * OpenAI's own, since that is exactly what the upstream said. "error" and "other" have no OpenAI
 * counterpart: a stream that ended that way without an error event finished normally.
 */
export function toOpenAIFinishReason(reason: SdkFinishReason, rawReason?: string): FinishReason {
  if (rawReason === "stop" || rawReason === "length" || rawReason === "tool_calls" || rawReason === "content_filter") {
    return rawReason;
  }
  switch (reason) {
    case "length":
      return "length";
    case "tool-calls":
      return "tool_calls";
    case "content-filter":
      return "content_filter";
    default:
      return "stop";
  }
}
