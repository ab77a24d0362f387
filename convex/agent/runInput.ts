// The agent run's one read before it calls the upstream: given the stream's id, everything the run
// needs. The run's record (target, system prompts, generation settings), the webhook tools its agent
// names (only what the model sees: name, description, parameters), and the transcript loaded from the
// stored conversation, scrubbed with the tenant's PII mode exactly as `begin` scrubs it.
import { v } from "convex/values";
import { internalQuery, type QueryCtx } from "../_generated/server";
import type { Id } from "../_generated/dataModel";
import { transcriptMessage, type TranscriptMessage } from "../openai/transcript";
import { agentRunInput } from "../model/requestDecision";
import { loadHistory } from "../model/conversations";
import { redactTranscript } from "../model/transcriptPii";
import { isBuiltInTool } from "../model/builtInTools";

const webhookSpec = v.object({ name: v.string(), description: v.string(), parameters: v.string() });

export const load = internalQuery({
  args: { streamId: v.id("streams") },
  returns: v.union(
    v.object({
      ...agentRunInput,
      transcript: v.array(transcriptMessage),
      webhooks: v.array(webhookSpec),
    }),
    v.null(),
  ),
  handler: async (ctx, { streamId }) => {
    const stream = await ctx.db.get("streams", streamId);
    // A stream already ended (expired before the run started) needs no run.
    if (stream === null || (stream.status !== "pending" && stream.status !== "streaming")) return null;
    const run = await ctx.db
      .query("agentRuns")
      .withIndex("by_streamId", (q) => q.eq("streamId", streamId))
      .unique();
    const tenant = run && (await ctx.db.get("tenants", run.tenantId));
    if (run === null || tenant === null) return null;
    const { _id, _creationTime, streamId: _stream, ...input } = run;
    return {
      ...input,
      transcript: await transcript(ctx, run.conversationId, tenant.policy.pii),
      webhooks: await webhookSpecs(ctx, run.tenantId, run.target.serverTools),
    };
  },
});

/** The stored conversation (this request's turns included), scrubbed as the policy says. */
async function transcript(ctx: QueryCtx, conversationId: Id<"conversations">, pii: "off" | "redact" | "block"): Promise<TranscriptMessage[]> {
  const messages = (await loadHistory(ctx, conversationId)).map((turn) => turn.message);
  return pii === "off" ? messages : redactTranscript(messages).messages;
}

/** Only what the model must see; the URL and secret are read when a tool runs. */
async function webhookSpecs(ctx: QueryCtx, tenantId: Id<"tenants">, names: string[]) {
  const specs = [];
  for (const name of names.filter((name) => !isBuiltInTool(name))) {
    const tool = await ctx.db
      .query("webhookTools")
      .withIndex("by_tenantId_and_name", (q) => q.eq("tenantId", tenantId).eq("name", name))
      .unique();
    if (tool) specs.push({ name: tool.name, description: tool.description, parameters: tool.parameters });
  }
  return specs;
}
