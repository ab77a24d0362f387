// The usage ledger: requests and tokens per key, UTC day, model and serving target, recorded once per request when its turn
// settles. A key's day is LEDGER_SHARDS rows (a sharded counter kept in the app's own table: no
// component, one indexed write per request, and reports still read plain rows), so concurrent
// requests of one key rarely write the same document. Reports sum a day's shards.
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import type { Usage } from "../openai/usage";

/** Rows per key and day; a request writes one of them. */
export const LEDGER_SHARDS = 8;

/** UTC calendar day, the ledger's bucket. */
export function dayOf(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

export interface LedgerEntry {
  tenantId: Id<"tenants">;
  apiKeyId: Id<"apiKeys">;
  /** The model id the client asked for. */
  model: string | undefined;
  /** `provider/model-id` of the target that served it (a request that failed over is counted on the fallback). */
  upstream: string | undefined;
  /** Which of the key's rows for the day to add to, in [0, LEDGER_SHARDS). */
  shard: number;
}

/** Adds one request and its tokens to the ledger. */
export async function recordUsage(ctx: MutationCtx, entry: LedgerEntry, usage: Usage, now: number): Promise<void> {
  const day = dayOf(now);
  const shard = entry.shard % LEDGER_SHARDS;
  const row = await ctx.db
    .query("usageDaily")
    .withIndex("by_apiKeyId_and_day_and_model_and_upstream_and_shard", (q) =>
      q.eq("apiKeyId", entry.apiKeyId).eq("day", day).eq("model", entry.model).eq("upstream", entry.upstream).eq("shard", shard),
    )
    .unique();
  if (row === null) {
    await ctx.db.insert("usageDaily", {
      tenantId: entry.tenantId,
      apiKeyId: entry.apiKeyId,
      day,
      ...(entry.model !== undefined ? { model: entry.model } : {}),
      ...(entry.upstream !== undefined ? { upstream: entry.upstream } : {}),
      shard,
      requests: 1,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
    });
    return;
  }
  await ctx.db.patch("usageDaily", row._id, {
    requests: row.requests + 1,
    promptTokens: row.promptTokens + usage.promptTokens,
    completionTokens: row.completionTokens + usage.completionTokens,
  });
}
