// The usage ledger: requests and tokens per tenant, key and day, and the tenant's monthly token total
// that the budget is checked against.
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import type { GatewayError } from "../openai/errors";
import type { Usage } from "../openai/usage";

/** UTC calendar day and month, the ledger's buckets. */
export function dayOf(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}
export function monthOf(now: number): string {
  return new Date(now).toISOString().slice(0, 7);
}

async function dailyRow(ctx: MutationCtx, tenantId: Id<"tenants">, apiKeyId: Id<"apiKeys">, day: string) {
  const found = await ctx.db
    .query("usageDaily")
    .withIndex("by_apiKeyId_and_day", (q) => q.eq("apiKeyId", apiKeyId).eq("day", day))
    .unique();
  if (found) return found;
  const id = await ctx.db.insert("usageDaily", { tenantId, apiKeyId, day, requests: 0, promptTokens: 0, completionTokens: 0 });
  return (await ctx.db.get("usageDaily", id))!;
}

export async function recordRequest(ctx: MutationCtx, tenantId: Id<"tenants">, apiKeyId: Id<"apiKeys">, now: number) {
  const row = await dailyRow(ctx, tenantId, apiKeyId, dayOf(now));
  await ctx.db.patch("usageDaily", row._id, { requests: row.requests + 1 });
}

export async function recordTokens(
  ctx: MutationCtx,
  tenantId: Id<"tenants">,
  apiKeyId: Id<"apiKeys">,
  usage: Usage,
  now: number,
): Promise<void> {
  const row = await dailyRow(ctx, tenantId, apiKeyId, dayOf(now));
  await ctx.db.patch("usageDaily", row._id, {
    promptTokens: row.promptTokens + usage.promptTokens,
    completionTokens: row.completionTokens + usage.completionTokens,
  });
  const month = monthOf(now);
  const monthly = await ctx.db
    .query("usageMonthly")
    .withIndex("by_tenantId_and_month", (q) => q.eq("tenantId", tenantId).eq("month", month))
    .unique();
  if (monthly) await ctx.db.patch("usageMonthly", monthly._id, { tokens: monthly.tokens + usage.totalTokens });
  else await ctx.db.insert("usageMonthly", { tenantId, month, tokens: usage.totalTokens });
}

/** 429 insufficient_quota once the tenant's tokens this month have reached its budget. */
export async function budgetExceeded(ctx: QueryCtx, tenant: Doc<"tenants">, now: number): Promise<GatewayError | null> {
  const budget = tenant.policy.monthlyTokenBudget;
  if (budget === null) return null;
  const month = monthOf(now);
  const monthly = await ctx.db
    .query("usageMonthly")
    .withIndex("by_tenantId_and_month", (q) => q.eq("tenantId", tenant._id).eq("month", month))
    .unique();
  if ((monthly?.tokens ?? 0) < budget) return null;
  return {
    code: "insufficient_quota",
    message: "You exceeded your organization's monthly token budget. Ask your administrator to raise it.",
  };
}
