// Operator queries (`npx convex run admin/reports:<name>`): a tenant's audit log and usage ledger.
import { ConvexError, v } from "convex/values";
import { internalQuery, type QueryCtx } from "../_generated/server";
import { auditEvent } from "../model/audit";

const MAX_ROWS = 1000;

async function tenantId(ctx: QueryCtx, slug: string) {
  const tenant = await ctx.db
    .query("tenants")
    .withIndex("by_slug", (q) => q.eq("slug", slug))
    .unique();
  if (tenant === null) throw new ConvexError(`No tenant '${slug}'.`);
  return tenant._id;
}

export const audit = internalQuery({
  args: { tenant: v.string(), since: v.optional(v.number()), limit: v.optional(v.number()) },
  returns: v.array(
    v.object({
      at: v.number(),
      event: auditEvent,
      code: v.optional(v.string()),
      requestId: v.optional(v.string()),
      apiKeyId: v.optional(v.id("apiKeys")),
      piiCounts: v.optional(v.record(v.string(), v.number())),
      detail: v.optional(v.string()),
    }),
  ),
  handler: async (ctx, args) => {
    const id = await tenantId(ctx, args.tenant);
    const rows = await ctx.db
      .query("auditEvents")
      .withIndex("by_tenantId_and_at", (q) => q.eq("tenantId", id).gte("at", args.since ?? 0))
      .order("desc")
      .take(Math.min(args.limit ?? 100, MAX_ROWS));
    return rows.map(({ at, event, code, requestId, apiKeyId, piiCounts, detail }) => ({
      at,
      event,
      ...(code !== undefined ? { code } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
      ...(apiKeyId !== undefined ? { apiKeyId } : {}),
      ...(piiCounts !== undefined ? { piiCounts } : {}),
      ...(detail !== undefined ? { detail } : {}),
    }));
  },
});

export const usage = internalQuery({
  args: { tenant: v.string(), from: v.string(), to: v.optional(v.string()) },
  returns: v.array(
    v.object({ day: v.string(), apiKeyId: v.id("apiKeys"), requests: v.number(), promptTokens: v.number(), completionTokens: v.number() }),
  ),
  handler: async (ctx, args) => {
    const id = await tenantId(ctx, args.tenant);
    const rows = await ctx.db
      .query("usageDaily")
      .withIndex("by_tenantId_and_day", (q) => q.eq("tenantId", id).gte("day", args.from).lte("day", args.to ?? "9999-12-31"))
      .take(MAX_ROWS);
    return rows.map(({ day, apiKeyId, requests, promptTokens, completionTokens }) => ({ day, apiKeyId, requests, promptTokens, completionTokens }));
  },
});
