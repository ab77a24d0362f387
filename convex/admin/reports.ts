// Operator queries (`npx convex run admin/reports:<name>`): a tenant's audit log and usage ledger.
import { ConvexError, v } from "convex/values";
import { internalQuery, type QueryCtx } from "../_generated/server";
import type { Id } from "../_generated/dataModel";
import { auditEvent } from "../model/audit";
import { LEDGER_SHARDS } from "../model/usage";

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
    // A key's day is up to LEDGER_SHARDS rows: read that many times the report's bound, and sum them.
    const rows = await ctx.db
      .query("usageDaily")
      .withIndex("by_tenantId_and_day", (q) => q.eq("tenantId", id).gte("day", args.from).lte("day", args.to ?? "9999-12-31"))
      .take(MAX_ROWS * LEDGER_SHARDS);
    const totals = new Map<string, { day: string; apiKeyId: Id<"apiKeys">; requests: number; promptTokens: number; completionTokens: number }>();
    for (const row of rows) {
      const total = totals.get(`${row.day}/${row.apiKeyId}`) ?? { day: row.day, apiKeyId: row.apiKeyId, requests: 0, promptTokens: 0, completionTokens: 0 };
      total.requests += row.requests;
      total.promptTokens += row.promptTokens;
      total.completionTokens += row.completionTokens;
      totals.set(`${row.day}/${row.apiKeyId}`, total);
    }
    return [...totals.values()].slice(0, MAX_ROWS);
  },
});
