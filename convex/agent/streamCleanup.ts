// Deleting a stream once it has ended: its text is already stored in the conversation (the reply), so
// the chunks only duplicate it. A grace period after the end lets a relay that is still catching up
// read to the terminal state; then the chunks go in batches of CLEANUP_BATCH, each batch scheduling the
// next, and last the run's record and the stream row itself.
import { v } from "convex/values";
import { internalMutation, type MutationCtx } from "../_generated/server";
import type { Id } from "../_generated/dataModel";
import { internal } from "../_generated/api";

/** How long an ended stream stays readable. A relay reads up to 200 chunks per poll, so it catches up in seconds. */
export const STREAM_GRACE_MS = 2 * 60 * 1000;
/** Chunks deleted per transaction: each is one batch of at most ~4 KB of text (streamWriter.ts), so a batch reads ~1 MB at most. */
export const CLEANUP_BATCH = 256;

export async function scheduleStreamCleanup(ctx: MutationCtx, streamId: Id<"streams">): Promise<void> {
  await ctx.scheduler.runAfter(STREAM_GRACE_MS, internal.agent.streamCleanup.deleteStream, { streamId });
}

export const deleteStream = internalMutation({
  args: { streamId: v.id("streams") },
  returns: v.null(),
  handler: async (ctx, { streamId }) => {
    const chunks = await ctx.db
      .query("streamChunks")
      .withIndex("by_streamId_and_index", (q) => q.eq("streamId", streamId))
      .take(CLEANUP_BATCH);
    for (const chunk of chunks) await ctx.db.delete("streamChunks", chunk._id);
    if (chunks.length === CLEANUP_BATCH) {
      await ctx.scheduler.runAfter(0, internal.agent.streamCleanup.deleteStream, { streamId });
      return null;
    }
    const run = await ctx.db
      .query("agentRuns")
      .withIndex("by_streamId", (q) => q.eq("streamId", streamId))
      .unique();
    if (run !== null) await ctx.db.delete("agentRuns", run._id);
    if ((await ctx.db.get("streams", streamId)) !== null) await ctx.db.delete("streams", streamId);
    return null;
  },
});
