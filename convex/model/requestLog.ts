// The request log: one row per chat request of a tenant, written once when its turn ends (settled,
// failed upstream, or denied), for operators (admin API `GET /tenants/{slug}/requests`, the dashboard).
// A row is inserted by its own request only, so no document is written by every request of a tenant;
// it holds ids, names, codes, timings and token counts, never message text or key values. Rows age out
// with the tenant's conversations (model/retention.ts). Denials the audit log only counts (unknown keys;
// refused keys past their own limit, see model/audit.ts) are not logged row by row either.
import { defineTable } from "convex/server";
import { v, type Infer } from "convex/values";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { ERROR_CODES, type ErrorCode, type GatewayError } from "../openai/errors";
import type { Usage } from "../openai/usage";
import { errorCode } from "./requestDecision";
import { deniedRowByRow } from "./audit";

/** agent: no client tools, the agent runs server-side; client_tools: the client runs the tools. */
export const requestMode = v.union(v.literal("agent"), v.literal("client_tools"));
export type RequestMode = Infer<typeof requestMode>;

export const requestLogFields = {
  tenantId: v.id("tenants"),
  requestId: v.string(),
  /** When the gateway received the request (epoch ms). */
  at: v.number(),
  /** The key's display prefix (never the key). */
  keyPrefix: v.string(),
  /** The model id the client asked for (an agent slug or a passthrough model), cut to MAX_LOGGED_MODEL_LENGTH; null when the body was invalid. */
  model: v.union(v.string(), v.null()),
  /** The upstream model called; null when the request was denied before one was chosen. */
  upstream: v.union(v.string(), v.null()),
  /** Null when the body was invalid (its tools unknown). */
  mode: v.union(requestMode, v.null()),
  /** The HTTP status of the outcome: 200, a denial's 4xx, or the 5xx of a failed upstream call (also when it failed mid-stream). */
  status: v.number(),
  errorCode: v.union(errorCode, v.null()),
  /** Received to ended, in milliseconds (for a denial: the deciding transaction's own time). */
  latencyMs: v.number(),
  /** Tokens charged: the upstream's count, else the gateway's estimate (docs/operations.md); 0 for a denial. */
  promptTokens: v.number(),
  completionTokens: v.number(),
};

/**
 * The most characters of a model id the log keeps: a denied request's id is whatever the client sent
 * (up to the 1 MB body), so a longer one is cut here and ends with "…".
 */
export const MAX_LOGGED_MODEL_LENGTH = 200;

function loggedModel(model: string | null): string | null {
  return model === null || model.length <= MAX_LOGGED_MODEL_LENGTH ? model : `${model.slice(0, MAX_LOGGED_MODEL_LENGTH - 1)}…`;
}

export const requestLogTable = defineTable(requestLogFields).index("by_tenantId_and_at", ["tenantId", "at"]);

export type RequestLogEntry = Omit<Doc<"requestLog">, "_id" | "_creationTime">;

/** What a finished turn tells the log, besides what its reservation recorded at admission. */
export interface TurnEnd {
  tenantId: Id<"tenants">;
  requestId: string;
  receivedAt: number;
  keyPrefix: string;
  model: string | null;
  upstream: string | null;
  mode: RequestMode;
  result: "complete" | "error" | "timeout";
  errorCode: ErrorCode | undefined;
  used: Usage;
}

/** Logs an admitted request's end: complete (200), or failed with its error's status. */
export async function logTurnEnd(ctx: MutationCtx, turn: TurnEnd, now: number): Promise<void> {
  // A failure without a code: a timeout is the upstream's; anything else is the gateway losing the turn (the relay died).
  const code: ErrorCode | null =
    turn.result === "complete" ? null : (turn.errorCode ?? (turn.result === "timeout" ? "upstream_timeout" : "internal_error"));
  await ctx.db.insert("requestLog", {
    tenantId: turn.tenantId,
    requestId: turn.requestId,
    at: turn.receivedAt,
    keyPrefix: turn.keyPrefix,
    model: loggedModel(turn.model),
    upstream: turn.upstream,
    mode: turn.mode,
    status: code === null ? 200 : ERROR_CODES[code].status,
    errorCode: code,
    latencyMs: Math.max(0, now - turn.receivedAt),
    promptTokens: turn.used.promptTokens,
    completionTokens: turn.used.completionTokens,
  });
}

/**
 * Logs a denied request of a known key, under its tenant, when the audit log records it row by row
 * (an unknown key belongs to no tenant; a refused key past its own limit is only counted).
 */
export async function logDenial(
  ctx: MutationCtx,
  denial: { key: Doc<"apiKeys"> | null; requestId: string; error: GatewayError; model: string | null; mode: RequestMode | null },
  receivedAt: number,
): Promise<void> {
  const { key, error } = denial;
  if (key === null || !deniedRowByRow(key, error, receivedAt)) return;
  await ctx.db.insert("requestLog", {
    tenantId: key.tenantId,
    requestId: denial.requestId,
    at: receivedAt,
    keyPrefix: key.prefix,
    model: loggedModel(denial.model),
    upstream: null,
    mode: denial.mode,
    status: ERROR_CODES[error.code].status,
    errorCode: error.code,
    latencyMs: Math.max(0, Date.now() - receivedAt),
    promptTokens: 0,
    completionTokens: 0,
  });
}
