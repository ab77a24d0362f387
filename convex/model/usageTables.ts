// The accounting tables (spread into convex/schema.ts): the usage ledger, the sharded token
// allowances, and the open reservations of generations still running. Every table a request writes
// is either sharded or holds one row per request, so no document is written by every request of a
// tenant (docs/operations.md, "Token accounting").
import { defineTable } from "convex/server";
import { v } from "convex/values";
import { allowanceKind, charges } from "./tokenShards";

export const usageTables = {
  /**
   * The usage ledger: requests and tokens per key, UTC day, model and shard. A settling request adds to
   * one of LEDGER_SHARDS rows of its key, day and model (model/usage.ts); reports sum the shards.
   */
  usageDaily: defineTable({
    tenantId: v.id("tenants"),
    apiKeyId: v.id("apiKeys"),
    day: v.string(),
    /** The model id the client asked for; absent on rows written before the ledger kept it. */
    model: v.optional(v.string()),
    /** `provider/model-id` of the target that served the requests; absent on rows written before providers. */
    upstream: v.optional(v.string()),
    shard: v.number(),
    requests: v.number(),
    promptTokens: v.number(),
    completionTokens: v.number(),
  })
    .index("by_apiKeyId_and_day_and_model_and_upstream_and_shard", ["apiKeyId", "day", "model", "upstream", "shard"])
    .index("by_tenantId_and_day", ["tenantId", "day"]),

  /**
   * A tenant's token allowances, per minute and per calendar month, each in TOKEN_SHARDS shards: what
   * was charged to the shard in its current window (model/tokenShards.ts).
   */
  tokenShards: defineTable({
    tenantId: v.id("tenants"),
    kind: allowanceKind,
    shard: v.number(),
    /** The UTC minute ("2026-11-30T09:51") or month ("2026-11") that `used` counts. */
    window: v.string(),
    used: v.number(),
    updatedAt: v.number(),
  }).index("by_tenantId_and_kind_and_shard", ["tenantId", "kind", "shard"]),

  /**
   * One per admitted generation until it settles: the tokens it reserved and where, and what settling
   * needs to estimate its usage if the upstream never reports it (model/settle.ts).
   */
  reservations: defineTable({
    requestId: v.string(),
    tenantId: v.id("tenants"),
    apiKeyId: v.id("apiKeys"),
    conversationId: v.id("conversations"),
    /** The prompt's estimated tokens: charged when the upstream reports no usage. */
    promptTokens: v.number(),
    /** Everything reserved: the prompt estimate plus the output cap. */
    estimate: v.number(),
    minute: charges,
    month: charges,
    /**
     * Client-tool mode: the relay holds the turn while this lease lasts and renews it as it streams;
     * a scheduled check settles the turn once it has lapsed. Null in agent mode (the stream's expiry).
     */
    leaseUntil: v.union(v.number(), v.null()),
    /** Characters of text and tool-call arguments relayed so far, as of the last renewal. */
    streamedCharacters: v.number(),
    /** The pending scheduled check, cancelled when the turn settles. */
    checkId: v.optional(v.id("_scheduled_functions")),
    /** For the ledger and the request log (model/requestLog.ts): the model asked for, the upstream model, the key's prefix. */
    model: v.optional(v.string()),
    upstream: v.optional(v.string()),
    keyPrefix: v.optional(v.string()),
  }).index("by_requestId", ["requestId"]),
};
