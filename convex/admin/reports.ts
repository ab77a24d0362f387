// Operator reports (`npx convex run admin/reports:<name>`, and the admin API's /usage, /requests and
// /audit routes): a tenant's usage by day and model, its request log and its audit log. Lists are
// cursor pages, newest first; refusals are ConvexError({ code, param, message }) as in keys.ts.
import { v } from "convex/values";
import { internalQuery } from "../_generated/server";
import { auditEvent } from "../model/audit";
import { requestLogFields } from "../model/requestLog";
import { adminError, tenantBySlug } from "./keys";
import { pageArgs, pageOf } from "./pages";

const nextCursor = v.union(v.string(), v.null());

export const audit = internalQuery({
  args: { tenant: v.string(), ...pageArgs },
  returns: v.object({
    data: v.array(
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
    nextCursor,
  }),
  handler: async (ctx, args) => {
    const tenant = await tenantBySlug(ctx, args.tenant);
    const page = await pageOf(
      ctx.db
        .query("auditEvents")
        .withIndex("by_tenantId_and_at", (q) => q.eq("tenantId", tenant._id))
        .order("desc"),
      args,
    );
    const data = page.data.map(({ at, event, code, requestId, apiKeyId, piiCounts, detail }) => ({
      at,
      event,
      ...(code !== undefined ? { code } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
      ...(apiKeyId !== undefined ? { apiKeyId } : {}),
      ...(piiCounts !== undefined ? { piiCounts } : {}),
      ...(detail !== undefined ? { detail } : {}),
    }));
    return { data, nextCursor: page.nextCursor };
  },
});

const { tenantId: _tenant, ...logged } = requestLogFields;

/** The request log, newest first: one row per chat request (model/requestLog.ts); never message text. */
export const requests = internalQuery({
  args: { tenant: v.string(), ...pageArgs },
  returns: v.object({ data: v.array(v.object(logged)), nextCursor }),
  handler: async (ctx, args) => {
    const tenant = await tenantBySlug(ctx, args.tenant);
    const page = await pageOf(
      ctx.db
        .query("requestLog")
        .withIndex("by_tenantId_and_at", (q) => q.eq("tenantId", tenant._id))
        .order("desc"),
      args,
    );
    return { data: page.data.map(({ _id, _creationTime, tenantId: _tenantId, ...row }) => row), nextCursor: page.nextCursor };
  },
});

/** The longest range one usage report covers, in days. */
export const MAX_USAGE_DAYS = 92;
/** Ledger rows one report reads: a key's day is up to LEDGER_SHARDS (8) rows per model. */
const MAX_LEDGER_ROWS = 8000;
const DAY_MS = 24 * 3600 * 1000;

function day(value: string, param: "from" | "to"): number {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  if (Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== value) {
    throw adminError("invalid_value", param, `${param} must be a UTC day, YYYY-MM-DD; got '${value}'.`);
  }
  return parsed;
}

/**
 * Requests and tokens per UTC day and model, between two days inclusive (at most MAX_USAGE_DAYS),
 * summed over keys and shards. Rows written before the ledger kept the model report it as null.
 * `truncated` says the ledger had more than MAX_LEDGER_ROWS rows for the range: narrow it.
 */
export const usage = internalQuery({
  args: { tenant: v.string(), from: v.string(), to: v.string() },
  returns: v.object({
    from: v.string(),
    to: v.string(),
    data: v.array(v.object({ day: v.string(), model: v.union(v.string(), v.null()), requests: v.number(), promptTokens: v.number(), completionTokens: v.number() })),
    truncated: v.boolean(),
  }),
  handler: async (ctx, args) => {
    const from = day(args.from, "from");
    const to = day(args.to, "to");
    if (to < from) throw adminError("invalid_value", "to", `to (${args.to}) is before from (${args.from}).`);
    if ((to - from) / DAY_MS + 1 > MAX_USAGE_DAYS) throw adminError("invalid_value", "to", `A report covers at most ${MAX_USAGE_DAYS} days.`);
    const tenant = await tenantBySlug(ctx, args.tenant);
    const rows = await ctx.db
      .query("usageDaily")
      .withIndex("by_tenantId_and_day", (q) => q.eq("tenantId", tenant._id).gte("day", args.from).lte("day", args.to))
      .take(MAX_LEDGER_ROWS + 1);
    const totals = new Map<string, { day: string; model: string | null; requests: number; promptTokens: number; completionTokens: number }>();
    for (const row of rows.slice(0, MAX_LEDGER_ROWS)) {
      const model = row.model ?? null;
      const id = JSON.stringify([row.day, model]);
      const total = totals.get(id) ?? { day: row.day, model, requests: 0, promptTokens: 0, completionTokens: 0 };
      total.requests += row.requests;
      total.promptTokens += row.promptTokens;
      total.completionTokens += row.completionTokens;
      totals.set(id, total);
    }
    const data = [...totals.values()].sort((a, b) => a.day.localeCompare(b.day) || String(a.model).localeCompare(String(b.model)));
    return { from: args.from, to: args.to, data, truncated: rows.length > MAX_LEDGER_ROWS };
  },
});
