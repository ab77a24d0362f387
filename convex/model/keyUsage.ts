// Bookkeeping on a key row. Written at most once a minute per key, so a busy key does not turn every
// request into a write on one hot document.
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";

const LAST_USED_RESOLUTION_MS = 60_000;

export async function touchKey(ctx: MutationCtx, key: Doc<"apiKeys">, now: number): Promise<void> {
  if (key.lastUsedAt !== null && now - key.lastUsedAt < LAST_USED_RESOLUTION_MS) return;
  await ctx.db.patch("apiKeys", key._id, { lastUsedAt: now });
}
