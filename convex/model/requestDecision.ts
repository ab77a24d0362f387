// The validators of the authorising mutation's result, shared by the mutation and its callers.
import { v, type Infer, type Validator } from "convex/values";
import { ERROR_CODES, type ErrorCode } from "../openai/errors";
import { transcriptMessage } from "../openai/transcript";

const errorCode = v.union(
  ...(Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => v.literal(code)),
) as Validator<ErrorCode, "required">;

export const gatewayError = v.object({
  code: errorCode,
  message: v.string(),
  param: v.optional(v.union(v.string(), v.null())),
  retryAfterMs: v.optional(v.number()),
});

/** The agent or passthrough model a request resolved to, with what the upstream call needs from it. */
export const resolvedTarget = v.object({
  kind: v.union(v.literal("agent"), v.literal("passthrough")),
  id: v.string(),
  upstreamModel: v.string(),
  temperature: v.union(v.number(), v.null()),
  /** The smallest of the agent's and the policy's output caps, if either sets one. */
  maxOutputTokens: v.union(v.number(), v.null()),
  serverTools: v.array(v.string()),
});
export type ResolvedTarget = Infer<typeof resolvedTarget>;

export const admitted = v.object({
  ok: v.literal(true),
  conversationId: v.id("conversations"),
  target: resolvedTarget,
  /** System prompts to put first: the tenant's, then the agent's instructions. */
  systemPrompts: v.array(v.string()),
  /** The whole transcript to send upstream: stored history, then the request's new turns. */
  transcript: v.array(transcriptMessage),
});
export type Admitted = Infer<typeof admitted>;

export const denied = v.object({ ok: v.literal(false), error: gatewayError });

export const decision = v.union(admitted, denied);
