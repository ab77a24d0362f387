// The audit log: denials, PII redactions and key lifecycle events. Rows name categories, counts and
// codes, never request content, PII values or keys. Denials of unknown keys belong to no tenant and
// cost the caller nothing to send, so they are counted per hour in shards (unknownKeyDenials) instead
// of a row per request: a guessing flood writes at most UNKNOWN_KEY_SHARDS rows an hour.
import { v, type Infer } from "convex/values";
import type { Doc, Id } from "../_generated/dataModel";
import type { GatewayError } from "../openai/errors";
import { isRefused } from "./keys";
import type { MutationCtx, QueryCtx } from "../_generated/server";

export const auditEvent = v.union(
  v.literal("request_denied"),
  v.literal("pii_redacted"),
  v.literal("key_created"),
  v.literal("key_disabled"),
  v.literal("key_expired"),
  v.literal("key_rotated"),
);
export type AuditEvent = Infer<typeof auditEvent>;

export interface AuditEntry {
  tenantId: Id<"tenants"> | null;
  event: AuditEvent;
  apiKeyId?: Id<"apiKeys">;
  requestId?: string;
  /** For denials: the error code returned. */
  code?: string;
  /** For PII: how many values of each category were found. */
  piiCounts?: Record<string, number>;
  /** A short human-readable note with no request content in it. */
  detail?: string;
}

export async function audit(ctx: MutationCtx, entry: AuditEntry, now: number): Promise<void> {
  await ctx.db.insert("auditEvents", { ...entry, at: now });
}

/**
 * Whether a known key's denial is recorded row by row (audit log, request log): all are, except a
 * disabled or expired key throttled past its limit, whose first REFUSED_KEY_LIMIT denials a minute
 * are in the log already and the rest only counted.
 */
export function deniedRowByRow(key: Doc<"apiKeys">, error: GatewayError, now: number): boolean {
  return !(error.code === "rate_limit_exceeded" && isRefused(key, now));
}

/**
 * Records a refused request under the key's tenant. An unknown key, or a disabled or expired key past
 * its limit, is counted in the hourly counters instead of logged row by row.
 */
export async function auditDenial(
  ctx: MutationCtx,
  denial: { key: Doc<"apiKeys"> | null; requestId: string; error: GatewayError; detail?: string },
  now: number,
): Promise<void> {
  const { key, requestId, error, detail } = denial;
  if (key === null || !deniedRowByRow(key, error, now)) {
    await countUnknownKeyDenial(ctx, error.code === "rate_limit_exceeded" ? "throttled" : "rejected", now);
    return;
  }
  await audit(
    ctx,
    {
      tenantId: key.tenantId,
      event: "request_denied",
      apiKeyId: key._id,
      requestId,
      code: error.code,
      ...(detail ? { detail } : {}),
    },
    now,
  );
}

/** Counter shards per hour: concurrent unknown-key requests rarely write the same document. */
export const UNKNOWN_KEY_SHARDS = 8;
/** Hourly counters older than this are deleted, a few at a time, whenever a new hour's counter is created. */
export const UNKNOWN_KEY_RETENTION_MS = 30 * 24 * 3_600_000;
const HOUR = 3_600_000;

async function countUnknownKeyDenial(ctx: MutationCtx, outcome: "rejected" | "throttled", now: number): Promise<void> {
  const hour = now - (now % HOUR);
  const shard = Math.floor(Math.random() * UNKNOWN_KEY_SHARDS);
  const counter = await ctx.db
    .query("unknownKeyDenials")
    .withIndex("by_hour_and_shard", (q) => q.eq("hour", hour).eq("shard", shard))
    .unique();
  if (counter !== null) {
    await ctx.db.patch("unknownKeyDenials", counter._id, { [outcome]: counter[outcome] + 1, lastAt: now });
    return;
  }
  await ctx.db.insert("unknownKeyDenials", { hour, shard, rejected: 0, throttled: 0, [outcome]: 1, lastAt: now });
  // Retention rides on the rare insert: at most one hour's worth of old counters goes each time.
  const expired = await ctx.db
    .query("unknownKeyDenials")
    .withIndex("by_hour_and_shard", (q) => q.lt("hour", now - UNKNOWN_KEY_RETENTION_MS))
    .take(UNKNOWN_KEY_SHARDS);
  for (const row of expired) await ctx.db.delete("unknownKeyDenials", row._id);
}

/** Unknown-key denials per hour, newest first, summed over shards (for operators: admin/keys:unknownKeyDenials). */
export async function unknownKeyDenialsByHour(
  ctx: QueryCtx,
  since: number,
  maxHours: number,
): Promise<Array<{ hour: number; rejected: number; throttled: number; lastAt: number }>> {
  const rows = await ctx.db
    .query("unknownKeyDenials")
    .withIndex("by_hour_and_shard", (q) => q.gte("hour", since - (since % HOUR)))
    .order("desc")
    .take(maxHours * UNKNOWN_KEY_SHARDS);
  const hours = new Map<number, { hour: number; rejected: number; throttled: number; lastAt: number }>();
  for (const row of rows) {
    const total = hours.get(row.hour) ?? { hour: row.hour, rejected: 0, throttled: 0, lastAt: 0 };
    total.rejected += row.rejected;
    total.throttled += row.throttled;
    total.lastAt = Math.max(total.lastAt, row.lastAt);
    hours.set(row.hour, total);
  }
  return [...hours.values()].slice(0, maxHours);
}
