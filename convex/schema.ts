// The gateway's tables. Every tenant-owned row carries tenantId, and every index that serves a
// request-path lookup starts with the field the request knows (key hash, tenant, conversation).
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
import { messageStatus, policy, streamStatus } from "./model/validators";
import { finishReason } from "./openai/finishReason";
import { usage } from "./openai/usage";
import { auditEvent } from "./model/audit";
import { agentRunInput, gatewayError } from "./model/requestDecision";
import { transcriptMessage } from "./openai/transcript";
import { usageTables } from "./model/usageTables";
import { requestLogTable } from "./model/requestLog";
import { providerConfig } from "./upstream/providerConfig";

export default defineSchema({
  /** The seed's providers besides the default `openai` (upstream/providerConfig.ts), by name. */
  providers: defineTable(providerConfig).index("by_name", ["name"]),

  /** A provider skipped for a cool-down after failing (upstream/cooldowns.ts): written only when it starts cooling. */
  providerCooldowns: defineTable({ provider: v.string(), until: v.number() }).index("by_provider", ["provider"]),

  tenants: defineTable({
    slug: v.string(),
    name: v.string(),
    policy,
  }).index("by_slug", ["slug"]),

  /** API keys: only the SHA-256 of the key is stored, plus a short prefix to tell keys apart in lists. */
  apiKeys: defineTable({
    tenantId: v.id("tenants"),
    name: v.string(),
    keyHash: v.string(),
    prefix: v.string(),
    /** Agent slugs and passthrough model ids this key may call; "*" allows all of the tenant's. */
    agents: v.array(v.string()),
    expiresAt: v.union(v.number(), v.null()),
    disabled: v.boolean(),
    /** Overrides the tenant policy's requestsPerMinute for this key. */
    requestsPerMinute: v.optional(v.number()),
    createdAt: v.number(),
    lastUsedAt: v.union(v.number(), v.null()),
    /** Set on a rotated key: its successor. A re-applied seed leaves a rotated key and its successor alone. */
    replacedBy: v.optional(v.id("apiKeys")),
  })
    .index("by_keyHash", ["keyHash"])
    .index("by_tenantId_and_name", ["tenantId", "name"]),

  /** A tenant's agents, each exposed to clients as a model id (its slug). */
  agents: defineTable({
    tenantId: v.id("tenants"),
    slug: v.string(),
    /** `model-id` (the default provider) or `provider/model-id`. */
    model: v.string(),
    /** `provider/model-id` targets tried in order when the current one fails before any content (absent on older rows). */
    fallbacks: v.optional(v.array(v.string())),
    instructions: v.string(),
    tools: v.array(v.string()),
    temperature: v.union(v.number(), v.null()),
    maxOutputTokens: v.union(v.number(), v.null()),
  }).index("by_tenantId_and_slug", ["tenantId", "slug"]),

  /** Knowledge documents searched by the `knowledge_search` server tool, always filtered by tenant. */
  documents: defineTable({
    tenantId: v.id("tenants"),
    title: v.string(),
    text: v.string(),
  })
    .index("by_tenantId_and_title", ["tenantId", "title"])
    .searchIndex("search_text", { searchField: "text", filterFields: ["tenantId"] }),

  /** Tenant-declared webhook tools; `parameters` is JSON Schema text (it may hold `$ref` keys). */
  webhookTools: defineTable({
    tenantId: v.id("tenants"),
    name: v.string(),
    description: v.string(),
    url: v.string(),
    secret: v.string(),
    parameters: v.string(),
  }).index("by_tenantId_and_name", ["tenantId", "name"]),

  conversations: defineTable({
    tenantId: v.id("tenants"),
    apiKeyId: v.id("apiKeys"),
    model: v.string(),
    /** Messages stored so far; the next message's position. */
    messageCount: v.number(),
    /** Set while a generation runs on this conversation, so a second request gets 409. */
    busySince: v.union(v.number(), v.null()),
    updatedAt: v.number(),
    /** Stored bytes of all messages so far: the next message's start offset (bounds history reads). */
    byteCount: v.number(),
    /**
     * SHA-256 chain over the client-visible transcript (client turns and complete replies; never server
     * steps or failed replies), so a client resending the whole history is recognised in one read.
     */
    visibleChain: v.string(),
  }).index("by_tenantId_and_updatedAt", ["tenantId", "updatedAt"]),

  /** The stored transcript: client turns (scrubbed as the policy says) and the gateway's replies. */
  messages: defineTable({
    conversationId: v.id("conversations"),
    position: v.number(),
    message: transcriptMessage,
    requestId: v.string(),
    /** A server-side tool step of an agent run: stored and replayed upstream, never shown to the client. */
    serverStep: v.optional(v.boolean()),
    status: messageStatus,
    finishReason: v.optional(finishReason),
    usage: v.optional(usage),
    error: v.optional(v.string()),
    /** A reply's `provider/model-id`: the target that produced it (upstream/failover.ts). */
    upstream: v.optional(v.string()),
    /** This message's stored size in bytes (UTF-8 of its JSON), and the conversation's byte count after it. */
    bytes: v.number(),
    endOffset: v.number(),
  })
    .index("by_conversationId_and_position", ["conversationId", "position"])
    /** History reads select the newest messages by byte offset, so the bytes read per turn stay bounded. */
    .index("by_conversationId_and_endOffset", ["conversationId", "endOffset"]),

  /** The usage ledger, the sharded token allowances and open reservations (model/usageTables.ts). */
  ...usageTables,

  /** One row per chat request of a tenant, for operators: outcome, timing, tokens; never content (model/requestLog.ts). */
  requestLog: requestLogTable,

  /** Denials, PII redactions and key lifecycle events; never request content, PII values or keys. */
  auditEvents: defineTable({
    tenantId: v.union(v.id("tenants"), v.null()),
    at: v.number(),
    event: auditEvent,
    apiKeyId: v.optional(v.id("apiKeys")),
    requestId: v.optional(v.string()),
    code: v.optional(v.string()),
    piiCounts: v.optional(v.record(v.string(), v.number())),
    detail: v.optional(v.string()),
  }).index("by_tenantId_and_at", ["tenantId", "at"]),

  /**
   * Denials not audited row by row (model/audit.ts): unknown API keys, and disabled or expired keys past
   * their own limit, counted per UTC hour in a few shards, so a flood writes a bounded number of rows
   * and no single hot document.
   */
  unknownKeyDenials: defineTable({
    hour: v.number(),
    shard: v.number(),
    /** Answered 401 invalid_api_key. */
    rejected: v.number(),
    /** Answered 429: unknown keys past the deployment-wide limit, refused keys past their own. */
    throttled: v.number(),
    lastAt: v.number(),
  }).index("by_hour_and_shard", ["hour", "shard"]),

  /**
   * A persistent stream: an agent-mode generation written by the agent action and polled by the
   * HTTP action. It outlives the client's connection; its terminal state says how it ended.
   */
  streams: defineTable({
    conversationId: v.id("conversations"),
    requestId: v.string(),
    status: streamStatus,
    /** Chunks written so far; the next chunk's index. */
    chunkCount: v.number(),
    finishReason: v.optional(finishReason),
    usage: v.optional(usage),
    /** How the stream failed, as the client is told (code, message, and when to retry). */
    error: v.optional(gatewayError),
    updatedAt: v.number(),
    /** The scheduled expiry check of the run, cancelled when the run ends the stream itself. */
    expiryId: v.optional(v.id("_scheduled_functions")),
    /** `provider/model-id` of the target the agent run uses, once it is certain (upstream/failover.ts); the relay's x-gateway-upstream. */
    upstream: v.optional(v.string()),
    /** When the stream reached its terminal state; its chunks are deleted a grace period later. */
    endedAt: v.optional(v.number()),
  }),

  /**
   * What an agent run needs besides the conversation, recorded by `begin` so the scheduled action
   * receives only the stream's id: the target, system prompts and generation settings. Deleted with
   * its stream.
   */
  agentRuns: defineTable({
    streamId: v.id("streams"),
    ...agentRunInput,
  }).index("by_streamId", ["streamId"]),

  /** The text of a stream, in throttled batches: far fewer rows than tokens. */
  streamChunks: defineTable({
    streamId: v.id("streams"),
    index: v.number(),
    text: v.string(),
  }).index("by_streamId_and_index", ["streamId", "index"]),
});
