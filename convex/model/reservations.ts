// A generation's reservation, from `begin` to its settlement: opened once every check has passed (the
// tokens it reserved and where, its prompt estimate, and in client-tool mode the lease and the
// scheduled check of settle.ts), and settled exactly once, by whichever comes first of the reply's
// outcome and the safety net. Settling charges what was used (the upstream's count, else an
// estimate), gives back or takes the difference from the allowances it reserved from, records the
// request in the ledger, and cancels the check.
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { internal } from "../_generated/api";
import type { Usage } from "../openai/usage";
import type { TokenReservation } from "./limits";
import { reconcileCharge } from "./tokenShards";
import { recordUsage } from "./usage";
import { tokensForCharacters } from "./tokenEstimate";

/** How long a client-tool turn stays held without a renewal; the relay renews every LEASE_RENEW_MS. */
export const LEASE_MS = 30_000;
export const LEASE_RENEW_MS = 10_000;

export interface OpenReservation {
  requestId: string;
  tenantId: Id<"tenants">;
  apiKeyId: Id<"apiKeys">;
  conversationId: Id<"conversations">;
  promptTokens: number;
  estimate: number;
  reservation: TokenReservation;
  /** Client-tool mode: the HTTP action relays the reply, so the turn is leased and checked. */
  leased: boolean;
  /** For the ledger and the request log: the model asked for, the upstream model, the key's prefix. */
  model: string;
  upstream: string;
  keyPrefix: string;
}

export async function openReservation(ctx: MutationCtx, input: OpenReservation, now: number): Promise<void> {
  const { reservation, leased, ...fields } = input;
  const id = await ctx.db.insert("reservations", {
    ...fields,
    minute: reservation.minute,
    month: reservation.month,
    leaseUntil: leased ? now + LEASE_MS : null,
    streamedCharacters: 0,
  });
  if (leased) {
    const checkId = await ctx.scheduler.runAfter(LEASE_MS, internal.model.settle.check, { reservationId: id });
    await ctx.db.patch("reservations", id, { checkId });
  }
}

export async function findReservation(ctx: MutationCtx, requestId: string): Promise<Doc<"reservations"> | null> {
  return await ctx.db
    .query("reservations")
    .withIndex("by_requestId", (q) => q.eq("requestId", requestId))
    .unique();
}

/**
 * What a generation is charged: the upstream's usage when it reported one, else an estimate: the
 * prompt once per model call (an agent run re-sends it on every step), and everything produced (the
 * reply's text and tool-call arguments, and an agent's server-side tool steps).
 */
export function chargedUsage(
  reservation: Doc<"reservations">,
  reported: Usage | undefined,
  produced: { characters: number; modelCalls: number },
): Usage {
  if (reported !== undefined && reported.totalTokens > 0) return reported;
  const promptTokens = reservation.promptTokens * Math.max(1, produced.modelCalls);
  const completionTokens = tokensForCharacters(Math.max(produced.characters, reservation.streamedCharacters));
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
}

/**
 * Settles the reservation with the usage charged: allowances reconciled, ledger written (under the
 * target that served it, else the one `begin` resolved), check cancelled.
 */
export async function settleReservation(ctx: MutationCtx, reservation: Doc<"reservations">, used: Usage, now: number, upstream = reservation.upstream): Promise<void> {
  await reconcileCharge(ctx, reservation.tenantId, "minute", reservation.minute, used.totalTokens, now);
  await reconcileCharge(ctx, reservation.tenantId, "month", reservation.month, used.totalTokens, now);
  // The ledger row: the month's first shard, so a request writes shards chosen by the balanced pick.
  const shard = reservation.month.shards[0]?.shard ?? 0;
  await recordUsage(ctx, { tenantId: reservation.tenantId, apiKeyId: reservation.apiKeyId, model: reservation.model, upstream, shard }, used, now);
  if (reservation.checkId !== undefined) {
    const check = await ctx.db.system.get("_scheduled_functions", reservation.checkId);
    if (check?.state.kind === "pending") await ctx.scheduler.cancel(reservation.checkId);
  }
  await ctx.db.delete("reservations", reservation._id);
}
