// The safety net of client-tool turns. The HTTP action relays the reply and settles the turn itself
// when it ends; if the action dies first, nothing else would. So `begin` leases the turn to the relay
// (LEASE_MS) and schedules `check` for when the lease ends; the relay renews the lease every
// LEASE_RENEW_MS while it works (`renew`, which also records how much it has relayed). `check` finds
// the lease renewed and reschedules itself for the new end, or finds it lapsed and settles the turn:
// the conversation is released and the estimated usage charged. A turn that settles normally cancels
// the pending check. Extra function calls per turn: none for a reply shorter than LEASE_RENEW_MS;
// otherwise one `renew` per 10 s and one `check` per 30 s of reply.
import { v } from "convex/values";
import { internalMutation } from "../_generated/server";
import { internal } from "../_generated/api";
import { storeReply } from "./replies";
import { LEASE_MS } from "./reservations";

export const renew = internalMutation({
  args: { requestId: v.string(), streamedCharacters: v.number() },
  returns: v.null(),
  handler: async (ctx, { requestId, streamedCharacters }) => {
    const reservation = await ctx.db
      .query("reservations")
      .withIndex("by_requestId", (q) => q.eq("requestId", requestId))
      .unique();
    if (reservation === null || reservation.leaseUntil === null) return null;
    await ctx.db.patch("reservations", reservation._id, {
      leaseUntil: Date.now() + LEASE_MS,
      streamedCharacters: Math.max(reservation.streamedCharacters, streamedCharacters),
    });
    return null;
  },
});

export const check = internalMutation({
  args: { reservationId: v.id("reservations") },
  returns: v.null(),
  handler: async (ctx, { reservationId }) => {
    const reservation = await ctx.db.get("reservations", reservationId);
    if (reservation === null || reservation.leaseUntil === null) return null;
    const now = Date.now();
    if (reservation.leaseUntil > now) {
      const checkId = await ctx.scheduler.runAfter(reservation.leaseUntil - now, internal.model.settle.check, { reservationId });
      await ctx.db.patch("reservations", reservationId, { checkId });
      return null;
    }
    await storeReply(ctx, {
      conversationId: reservation.conversationId,
      requestId: reservation.requestId,
      message: { role: "assistant", content: null },
      status: "error",
      error: "The gateway stopped relaying this reply before it finished.",
    });
    return null;
  },
});
