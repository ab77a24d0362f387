// The validators of the authorising mutation's result, shared by the mutation and its callers.
import { v, type Infer, type ObjectType, type Validator } from "convex/values";
import { ERROR_CODES, type ErrorCode } from "../openai/errors";
import { transcriptMessage } from "../openai/transcript";
import { upstreamTarget } from "../upstream/providerConfig";

/** One of the gateway's error codes (openai/errors.ts). */
export const errorCode = v.union(
  ...(Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => v.literal(code)),
) as Validator<ErrorCode, "required">;

export const gatewayError = v.object({
  code: errorCode,
  message: v.string(),
  param: v.optional(v.union(v.string(), v.null())),
  retryAfterMs: v.optional(v.number()),
});

export const limitStatus = v.object({ limit: v.number(), remaining: v.number(), resetMs: v.number() });

/** What the x-ratelimit-* headers report; a denial reports the limits it got as far as checking. */
export const rateLimits = v.object({ requests: v.optional(limitStatus), tokens: v.optional(limitStatus) });
export type RateLimits = Infer<typeof rateLimits>;

/** The agent or passthrough model a request resolved to, with what the upstream call needs from it. */
export const resolvedTarget = v.object({
  kind: v.union(v.literal("agent"), v.literal("passthrough")),
  id: v.string(),
  /** The first target's model id, as its provider knows it. */
  upstreamModel: v.string(),
  /**
   * The failover plan: the model's provider and model, then the agent's fallbacks, in order (absent on
   * agent runs stored before providers existed: the default provider with upstreamModel).
   */
  upstreams: v.optional(v.array(upstreamTarget)),
  temperature: v.union(v.number(), v.null()),
  /** The smallest of the agent's and the policy's output caps, if either sets one. */
  maxOutputTokens: v.union(v.number(), v.null()),
  serverTools: v.array(v.string()),
});
export type ResolvedTarget = Infer<typeof resolvedTarget>;

/**
 * What an agent run needs besides the conversation, recorded by `begin` (the `agentRuns` table) so the
 * scheduled action receives only the stream's id, and returned to the run by its input query.
 */
export const agentRunInput = {
  conversationId: v.id("conversations"),
  requestId: v.string(),
  tenantId: v.id("tenants"),
  scanOutput: v.boolean(),
  target: resolvedTarget,
  systemPrompts: v.array(v.string()),
  /** The request's generation settings: the validated request as JSON, without its messages. */
  settings: v.string(),
};
export type AgentRunInput = ObjectType<typeof agentRunInput>;

export const admitted = v.object({
  ok: v.literal(true),
  /** The tenant the request belongs to (agent mode keys its poll forecasts by tenant and model). */
  tenantId: v.id("tenants"),
  conversationId: v.id("conversations"),
  /** Agent mode: the persistent stream the scheduled agent run writes to. */
  streamId: v.union(v.id("streams"), v.null()),
  target: resolvedTarget,
  /** System prompts to put first: the tenant's, then the agent's instructions. */
  systemPrompts: v.array(v.string()),
  /** The whole transcript to send upstream, scrubbed as the policy says: stored history, then new turns. */
  transcript: v.array(transcriptMessage),
  /** Whether the reply must be scrubbed of PII before the client sees it. */
  scanOutput: v.boolean(),
  rateLimits,
});
export type Admitted = Infer<typeof admitted>;

export const denied = v.object({ ok: v.literal(false), error: gatewayError, rateLimits: v.optional(rateLimits) });

export const decision = v.union(admitted, denied);
