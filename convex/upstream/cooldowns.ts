// Provider cool-downs: a provider whose target failed every attempt of a request (and so was left for
// a fallback) is skipped by the next requests for COOL_DOWN_MS. One row per provider, written only when
// the provider starts cooling (never per request), read by `begin` with the provider (admission/target.ts),
// so the state holds across isolates without a hot document.
import { v } from "convex/values";
import { internalMutation } from "../_generated/server";

export const COOL_DOWN_MS = 30_000;

export const start = internalMutation({
  args: { provider: v.string() },
  returns: v.null(),
  handler: async (ctx, { provider }) => {
    const now = Date.now();
    const row = await ctx.db
      .query("providerCooldowns")
      .withIndex("by_provider", (q) => q.eq("provider", provider))
      .first();
    // Already cooling: nothing changes, nothing is written.
    if (row !== null && row.until > now) return null;
    if (row !== null) await ctx.db.patch("providerCooldowns", row._id, { until: now + COOL_DOWN_MS });
    else await ctx.db.insert("providerCooldowns", { provider, until: now + COOL_DOWN_MS });
    return null;
  },
});
