// The persistent stream of an agent-mode generation: created and scheduled by the authorising
// mutation (model/agentRuns.ts), written in batches by the agent action, read by cursor by the polling
// relay, and ended with a terminal state (done, error or timeout). A stream the action never ends is
// expired by a scheduled check, so no conversation stays busy for ever; a run that ends its stream
// cancels that check. Either way the stream is deleted a grace period after it ended (streamCleanup.ts).
import { v } from "convex/values";
import { internalMutation, internalQuery, type MutationCtx } from "../_generated/server";
import type { Doc } from "../_generated/dataModel";
import { finishReason } from "../openai/finishReason";
import { usage } from "../openai/usage";
import { transcriptMessage } from "../openai/transcript";
import { gatewayError } from "../model/requestDecision";
import { replyOutcome, storeReply } from "../model/replies";
import { appendMessages } from "../model/conversations";
import { scheduleStreamCleanup } from "./streamCleanup";

/** The most chunks one poll returns; a relay that falls behind catches up over a few polls. */
const MAX_CHUNKS_PER_READ = 200;
/** The most of an expired stream's text stored as its reply (characters): a message must fit in a 1 MiB document. */
export const EXPIRED_TEXT_LIMIT = 512 * 1024;

export const append = internalMutation({
  /** `upstream`: the target writing (upstream/failover.ts), for the relay's x-gateway-upstream. */
  args: { streamId: v.id("streams"), text: v.string(), upstream: v.optional(v.string()) },
  returns: v.null(),
  handler: async (ctx, { streamId, text, upstream }) => {
    const stream = await ctx.db.get("streams", streamId);
    if (stream === null || !isOpen(stream.status)) return null;
    await ctx.db.insert("streamChunks", { streamId, index: stream.chunkCount, text });
    await ctx.db.patch("streams", streamId, { status: "streaming", chunkCount: stream.chunkCount + 1, updatedAt: Date.now(), ...(upstream !== undefined ? { upstream } : {}) });
    return null;
  },
});

/** Names the target a run that could fail over settled on, once it has (agent/run.ts): the relay's x-gateway-upstream. */
export const setUpstream = internalMutation({
  args: { streamId: v.id("streams"), upstream: v.string() },
  returns: v.null(),
  handler: async (ctx, { streamId, upstream }) => {
    const stream = await ctx.db.get("streams", streamId);
    if (stream === null || !isOpen(stream.status)) return null;
    await ctx.db.patch("streams", streamId, { upstream });
    return null;
  },
});

/** Stores server-side tool steps (the assistant's calls and the tools' results) in the conversation. */
export const recordSteps = internalMutation({
  args: { conversationId: v.id("conversations"), requestId: v.string(), messages: v.array(transcriptMessage) },
  returns: v.null(),
  handler: async (ctx, { conversationId, requestId, messages }) => {
    const conversation = await ctx.db.get("conversations", conversationId);
    if (conversation === null) return null;
    await appendMessages(ctx, conversation, requestId, messages, Date.now(), { serverStep: true });
    return null;
  },
});

export const read = internalQuery({
  args: { streamId: v.id("streams"), after: v.number() },
  returns: v.union(
    v.object({
      status: v.union(v.literal("pending"), v.literal("streaming"), v.literal("done"), v.literal("error"), v.literal("timeout")),
      chunks: v.array(v.object({ index: v.number(), text: v.string(), writtenAt: v.number() })),
      finishReason: v.optional(finishReason),
      usage: v.optional(usage),
      error: v.optional(gatewayError),
      upstream: v.optional(v.string()),
    }),
    v.null(),
  ),
  handler: async (ctx, { streamId, after }) => {
    const stream = await ctx.db.get("streams", streamId);
    if (stream === null) return null;
    // Only chunks past the cursor: each poll reads what is new, never the whole stream again.
    const chunks = await ctx.db
      .query("streamChunks")
      .withIndex("by_streamId_and_index", (q) => q.eq("streamId", streamId).gt("index", after))
      .take(MAX_CHUNKS_PER_READ);
    const caughtUp = chunks.length < MAX_CHUNKS_PER_READ;
    return {
      // A terminal state is reported only once every chunk before it has been read.
      status: caughtUp ? stream.status : "streaming",
      chunks: chunks.map(({ index, text, _creationTime }) => ({ index, text, writtenAt: _creationTime })),
      ...(caughtUp && stream.finishReason ? { finishReason: stream.finishReason } : {}),
      ...(caughtUp && stream.usage ? { usage: stream.usage } : {}),
      ...(caughtUp && stream.error ? { error: stream.error } : {}),
      ...(stream.upstream !== undefined ? { upstream: stream.upstream } : {}),
    };
  },
});

/**
 * Ends a stream: the text the run had not written yet (its last batch), the terminal state, and the
 * reply stored in the conversation, in one transaction; a relay reads the last text and the end together.
 */
export const end = internalMutation({
  args: {
    streamId: v.id("streams"),
    text: v.optional(v.string()),
    streamError: v.optional(gatewayError),
    ...replyOutcome,
  },
  returns: v.null(),
  handler: async (ctx, { streamId, text, streamError, ...outcome }) => {
    const stream = await ctx.db.get("streams", streamId);
    if (stream === null || !isOpen(stream.status)) return null;
    const now = Date.now();
    if (text) await ctx.db.insert("streamChunks", { streamId, index: stream.chunkCount, text });
    await ctx.db.patch("streams", streamId, {
      chunkCount: stream.chunkCount + (text ? 1 : 0),
      status: outcome.status === "complete" ? "done" : outcome.status,
      updatedAt: now,
      endedAt: now,
      ...(outcome.finishReason ? { finishReason: outcome.finishReason } : {}),
      ...(outcome.usage ? { usage: outcome.usage } : {}),
      ...(streamError ? { error: streamError } : {}),
      ...(outcome.upstream !== undefined ? { upstream: outcome.upstream } : {}),
    });
    await storeReply(ctx, outcome);
    await afterEnd(ctx, stream);
    return null;
  },
});

/** The scheduled check: a stream still open this long after it started belonged to a run that died. */
export const expire = internalMutation({
  args: { streamId: v.id("streams") },
  returns: v.null(),
  handler: async (ctx, { streamId }) => {
    const stream = await ctx.db.get("streams", streamId);
    if (stream === null || !isOpen(stream.status)) return null;
    // The partial text is stored as the reply: read in order, at most EXPIRED_TEXT_LIMIT of it.
    let text = "";
    for await (const chunk of ctx.db.query("streamChunks").withIndex("by_streamId_and_index", (q) => q.eq("streamId", streamId))) {
      if (text.length + chunk.text.length > EXPIRED_TEXT_LIMIT) break;
      text += chunk.text;
    }
    const error = { code: "upstream_timeout" as const, message: "The agent run did not finish in time." };
    const now = Date.now();
    await ctx.db.patch("streams", streamId, { status: "timeout", error, updatedAt: now, endedAt: now });
    // storeReply settles the request's reservation once; a turn already settled is left as it is.
    await storeReply(ctx, {
      conversationId: stream.conversationId,
      requestId: stream.requestId,
      message: { role: "assistant", content: text || null },
      status: "timeout",
      error: error.message,
    });
    await afterEnd(ctx, stream);
    return null;
  },
});

/** Once a stream has ended: its expiry check is no longer needed, and its rows age out. */
async function afterEnd(ctx: MutationCtx, stream: Doc<"streams">): Promise<void> {
  if (stream.expiryId !== undefined) {
    const expiry = await ctx.db.system.get("_scheduled_functions", stream.expiryId);
    if (expiry?.state.kind === "pending") await ctx.scheduler.cancel(stream.expiryId);
  }
  await scheduleStreamCleanup(ctx, stream._id);
}

function isOpen(status: string): boolean {
  return status === "pending" || status === "streaming";
}
