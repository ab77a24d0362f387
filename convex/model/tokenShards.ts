// A tenant's token allowances (per minute and per calendar month), kept in TOKEN_SHARDS documents per
// tenant and kind so that no document is written by every request. Each shard holds an equal part
// of the allowance and records what was charged to it in its current window (a UTC minute or month).
//
// A reservation reads two random shards and charges the one with more room ("power of two choices":
// one write, and the writes stay balanced). Only when neither can hold the whole estimate (a request
// larger than one shard's part, or an allowance nearly used up) does it read every shard and spill the
// charge across those with room; it is refused only when the tenant's whole remaining allowance is too
// small, so sharding never refuses what one unsharded counter would admit. Planning reads, applying
// writes: `begin` plans both allowances and applies neither unless both fit. A charge remembers its
// shards, so reconciliation gives back exactly where it took.
import { v, type Infer } from "convex/values";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";

/** Shards per tenant and kind: the most requests that can write one of them is about 1 in 8. */
export const TOKEN_SHARDS = 8;

export const allowanceKind = v.union(v.literal("minute"), v.literal("month"));
export type AllowanceKind = Infer<typeof allowanceKind>;

/** Where a reservation took its tokens: shard and amount, in the window it was taken in. */
export const charges = v.object({
  window: v.string(),
  shards: v.array(v.object({ shard: v.number(), tokens: v.number() })),
});
export type Charges = Infer<typeof charges>;

/** The window a time falls in: its UTC minute ("2026-11-30T09:51") or month ("2026-11"). */
export function windowOf(kind: AllowanceKind, now: number): string {
  return new Date(now).toISOString().slice(0, kind === "minute" ? 16 : 7);
}

/** Milliseconds until the current window ends. */
export function windowResetMs(kind: AllowanceKind, now: number): number {
  if (kind === "minute") return 60_000 - (now % 60_000);
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) - now;
}

interface ShardState {
  shard: number;
  doc: Doc<"tokenShards"> | null;
  /** Charged in the current window (0 when the stored window is older). */
  used: number;
}

export type Plan =
  | { ok: true; kind: AllowanceKind; tenantId: Id<"tenants">; window: string; take: Array<ShardState & { tokens: number }>; remaining: number }
  | { ok: false; remaining: number };

async function readShard(ctx: QueryCtx, tenantId: Id<"tenants">, kind: AllowanceKind, shard: number, window: string): Promise<ShardState> {
  const doc = await ctx.db
    .query("tokenShards")
    .withIndex("by_tenantId_and_kind_and_shard", (q) => q.eq("tenantId", tenantId).eq("kind", kind).eq("shard", shard))
    .unique();
  return { shard, doc, used: doc !== null && doc.window === window ? doc.used : 0 };
}

/**
 * Plans charging `estimate` tokens against an allowance of `allowance` per window (null: unlimited,
 * counted only). Reads two shards, or every shard when those two cannot hold it; writes nothing.
 * `remaining` is the allowance left after the charge, estimated from the shards read.
 */
export async function planCharge(
  ctx: QueryCtx,
  tenantId: Id<"tenants">,
  kind: AllowanceKind,
  allowance: number | null,
  estimate: number,
  now: number,
): Promise<Plan> {
  const window = windowOf(kind, now);
  const part = allowance === null ? Infinity : allowance / TOKEN_SHARDS;
  const first = Math.floor(Math.random() * TOKEN_SHARDS);
  const second = (first + 1 + Math.floor(Math.random() * (TOKEN_SHARDS - 1))) % TOKEN_SHARDS;
  const probed = [await readShard(ctx, tenantId, kind, first, window), await readShard(ctx, tenantId, kind, second, window)];
  const roomiest = probed[0]!.used <= probed[1]!.used ? probed[0]! : probed[1]!;
  const free = (state: ShardState) => Math.max(0, part - state.used);
  if (free(roomiest) >= estimate) {
    // Two shards stand for the whole: what they have left, scaled up, estimates what the tenant has left.
    const remaining = allowance === null ? Infinity : ((free(probed[0]!) + free(probed[1]!)) * TOKEN_SHARDS) / 2 - estimate;
    return { ok: true, kind, tenantId, window, take: [{ ...roomiest, tokens: estimate }], remaining };
  }
  const all: ShardState[] = [];
  for (let shard = 0; shard < TOKEN_SHARDS; shard++) {
    all.push(probed.find((state) => state.shard === shard) ?? (await readShard(ctx, tenantId, kind, shard, window)));
  }
  const total = all.reduce((sum, state) => sum + free(state), 0);
  if (total < estimate) return { ok: false, remaining: total };
  const take: Array<ShardState & { tokens: number }> = [];
  let left = estimate;
  for (const state of [...all].sort((a, b) => free(b) - free(a))) {
    if (left <= 0) break;
    const tokens = Math.min(left, free(state));
    take.push({ ...state, tokens });
    left -= tokens;
  }
  return { ok: true, kind, tenantId, window, take, remaining: total - estimate };
}

/** Writes a planned charge; returns where it went, for reconciliation. */
export async function applyCharge(ctx: MutationCtx, plan: Extract<Plan, { ok: true }>, now: number): Promise<Charges> {
  for (const { shard, doc, used, tokens } of plan.take) await addToShard(ctx, plan.tenantId, plan.kind, shard, doc, used + tokens, plan.window, now);
  return { window: plan.window, shards: plan.take.map(({ shard, tokens }) => ({ shard, tokens })) };
}

/**
 * Reconciles a charge with what was really used: an overestimate is given back to the shards it was
 * taken from (only while their window lasts: a past window's allowance is gone anyway); usage beyond
 * the estimate is charged to the charge's first shard in the current window, even past its part:
 * it has happened.
 */
export async function reconcileCharge(
  ctx: MutationCtx,
  tenantId: Id<"tenants">,
  kind: AllowanceKind,
  charged: Charges,
  actual: number,
  now: number,
): Promise<void> {
  const reserved = charged.shards.reduce((sum, { tokens }) => sum + tokens, 0);
  let difference = actual - reserved;
  if (difference > 0) {
    const window = windowOf(kind, now);
    const shard = charged.shards[0]?.shard ?? 0;
    const state = await readShard(ctx, tenantId, kind, shard, window);
    await addToShard(ctx, tenantId, kind, shard, state.doc, state.used + difference, window, now);
    return;
  }
  for (const { shard, tokens } of [...charged.shards].reverse()) {
    if (difference >= 0) break;
    const state = await readShard(ctx, tenantId, kind, shard, charged.window);
    const giveBack = Math.min(tokens, -difference);
    difference += giveBack;
    if (state.doc === null || state.doc.window !== charged.window) continue;
    await ctx.db.patch("tokenShards", state.doc._id, { used: Math.max(0, state.doc.used - giveBack), updatedAt: now });
  }
}

async function addToShard(
  ctx: MutationCtx,
  tenantId: Id<"tenants">,
  kind: AllowanceKind,
  shard: number,
  doc: Doc<"tokenShards"> | null,
  used: number,
  window: string,
  now: number,
): Promise<void> {
  if (doc === null) await ctx.db.insert("tokenShards", { tenantId, kind, shard, window, used, updatedAt: now });
  else await ctx.db.patch("tokenShards", doc._id, { window, used, updatedAt: now });
}
