// The persistent stream of an agent-mode generation: created and scheduled by the authorising
// mutation, written in batches by the agent action, read by cursor by the polling relay, and ended
// with a terminal state (done, error or timeout). A stream the action never ends is expired by a
// scheduled check, so no conversation stays busy for ever.
import { v } from "convex/values";
import { internalMutation, internalQuery, type MutationCtx } from "../_generated/server";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { finishReason } from "../openai/finishReason";
import { usage } from "../openai/usage";
import { transcriptMessage, type TranscriptMessage } from "../openai/transcript";
import { gatewayError, type ResolvedTarget } from "../model/requestDecision";
import { replyOutcome, storeReply } from "../model/replies";
import { appendMessages } from "../model/conversations";
import { isBuiltInTool } from "./tools/builtInTools";

/** Longer than any run can last (Convex ends actions after 10 minutes), so expiry only catches dead runs. */
export const STREAM_EXPIRY_MS = 11 * 60 * 1000;
/** The most chunks one poll returns; a relay that falls behind catches up over a few polls. */
const MAX_CHUNKS_PER_READ = 200;

export interface AgentRunInput {
  conversationId: Id<"conversations">;
  requestId: string;
  apiKeyId: Id<"apiKeys">;
  tenantId: Id<"tenants">;
  tokenEstimate: number;
  scanOutput: boolean;
  target: ResolvedTarget;
  systemPrompts: string[];
  transcript: TranscriptMessage[];
  request: string;
}

/** Creates the stream, schedules the run and its expiry; returns the stream's id. */
export async function startAgentRun(ctx: MutationCtx, input: AgentRunInput): Promise<Id<"streams">> {
  const now = Date.now();
  const streamId = await ctx.db.insert("streams", {
    conversationId: input.conversationId,
    requestId: input.requestId,
    status: "pending",
    chunkCount: 0,
    updatedAt: now,
  });
  const webhooks = [];
  for (const name of input.target.serverTools.filter((name) => !isBuiltInTool(name))) {
    const tool = await ctx.db
      .query("webhookTools")
      .withIndex("by_tenantId_and_name", (q) => q.eq("tenantId", input.tenantId).eq("name", name))
      .unique();
    // Only what the model must see; the URL and secret are read when the tool runs.
    if (tool) webhooks.push({ name: tool.name, description: tool.description, parameters: tool.parameters });
  }
  await ctx.scheduler.runAfter(0, internal.agent.run.run, { ...input, streamId, webhooks });
  await ctx.scheduler.runAfter(STREAM_EXPIRY_MS, internal.agent.stream.expire, {
    streamId,
    apiKeyId: input.apiKeyId,
    tokenEstimate: input.tokenEstimate,
  });
  return streamId;
}

export const append = internalMutation({
  args: { streamId: v.id("streams"), text: v.string() },
  returns: v.null(),
  handler: async (ctx, { streamId, text }) => {
    const stream = await ctx.db.get("streams", streamId);
    if (stream === null || !isOpen(stream.status)) return null;
    await ctx.db.insert("streamChunks", { streamId, index: stream.chunkCount, text });
    await ctx.db.patch("streams", streamId, { status: "streaming", chunkCount: stream.chunkCount + 1, updatedAt: Date.now() });
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
      chunks: v.array(v.object({ index: v.number(), text: v.string() })),
      finishReason: v.optional(finishReason),
      usage: v.optional(usage),
      error: v.optional(gatewayError),
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
      chunks: chunks.map(({ index, text }) => ({ index, text })),
      ...(caughtUp && stream.finishReason ? { finishReason: stream.finishReason } : {}),
      ...(caughtUp && stream.usage ? { usage: stream.usage } : {}),
      ...(caughtUp && stream.error ? { error: stream.error } : {}),
    };
  },
});

/** Ends a stream: its terminal state, and the reply stored in the conversation, in one transaction. */
export const end = internalMutation({
  args: {
    streamId: v.id("streams"),
    streamError: v.optional(gatewayError),
    ...replyOutcome,
  },
  returns: v.null(),
  handler: async (ctx, { streamId, streamError, ...outcome }) => {
    const stream = await ctx.db.get("streams", streamId);
    if (stream === null || !isOpen(stream.status)) return null;
    await ctx.db.patch("streams", streamId, {
      status: outcome.status === "complete" ? "done" : outcome.status,
      updatedAt: Date.now(),
      ...(outcome.finishReason ? { finishReason: outcome.finishReason } : {}),
      ...(outcome.usage ? { usage: outcome.usage } : {}),
      ...(streamError ? { error: streamError } : {}),
    });
    await storeReply(ctx, outcome);
    return null;
  },
});

/** The scheduled check: a stream still open this long after it started belonged to a run that died. */
export const expire = internalMutation({
  args: { streamId: v.id("streams"), apiKeyId: v.id("apiKeys"), tokenEstimate: v.number() },
  returns: v.null(),
  handler: async (ctx, { streamId, apiKeyId, tokenEstimate }) => {
    const stream = await ctx.db.get("streams", streamId);
    if (stream === null || !isOpen(stream.status)) return null;
    const chunks = await ctx.db
      .query("streamChunks")
      .withIndex("by_streamId_and_index", (q) => q.eq("streamId", streamId))
      .take(10_000);
    const error = { code: "upstream_timeout" as const, message: "The agent run did not finish in time." };
    await ctx.db.patch("streams", streamId, { status: "timeout", error, updatedAt: Date.now() });
    await storeReply(ctx, {
      conversationId: stream.conversationId,
      requestId: stream.requestId,
      apiKeyId,
      tokenEstimate,
      message: { role: "assistant", content: chunks.map((chunk) => chunk.text).join("") || null },
      status: "timeout",
      error: error.message,
    });
    return null;
  },
});

function isOpen(status: string): boolean {
  return status === "pending" || status === "streaming";
}
