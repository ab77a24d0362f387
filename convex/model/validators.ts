// Convex validators for tenant-side shapes stored in more than one place or passed between functions.
// Defined once here; schema.ts and the internal functions derive from them. Transcript shapes live
// beside the wire format in ../openai/transcript.ts.
import { v, type Infer } from "convex/values";

export const piiMode = v.union(v.literal("off"), v.literal("redact"), v.literal("block"));

/** A tenant's governance policy, as stored on the tenant (defaults are applied by the seed schema). */
export const policy = v.object({
  pii: piiMode,
  requestsPerMinute: v.number(),
  tokensPerMinute: v.number(),
  monthlyTokenBudget: v.union(v.number(), v.null()),
  blockedTerms: v.array(v.string()),
  maxOutputTokens: v.union(v.number(), v.null()),
  allowedModels: v.array(v.string()),
  systemPrompt: v.union(v.string(), v.null()),
  scanOutput: v.boolean(),
  /** Days conversations and audit events are kept (model/retention.ts); unset on tenants stored before it existed. */
  retentionDays: v.optional(v.number()),
});
export type Policy = Infer<typeof policy>;

export const messageStatus = v.union(v.literal("complete"), v.literal("error"), v.literal("timeout"));

/** pending: scheduled, nothing written yet; streaming: text is arriving; the rest are terminal. */
export const streamStatus = v.union(
  v.literal("pending"),
  v.literal("streaming"),
  v.literal("done"),
  v.literal("error"),
  v.literal("timeout"),
);
export type StreamStatus = Infer<typeof streamStatus>;
