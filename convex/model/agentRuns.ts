// Starting an agent-mode run, inside the authorising mutation: the persistent stream and the run's
// inputs are stored, and the agent action and its expiry check are scheduled with the stream's id
// only. Scheduled arguments stay a few hundred bytes whatever the conversation holds (Convex limits
// one scheduled call's arguments to 4 MiB); the action reads the rest with one query
// (agent/runInput.ts), the transcript from the stored conversation.
import type { MutationCtx } from "../_generated/server";
import type { Id } from "../_generated/dataModel";
import { internal } from "../_generated/api";
import type { AgentRunInput } from "./requestDecision";
import { certainTarget, failoverTargets } from "../upstream/targets";
import { targetLabel } from "../upstream/providerConfig";

/** Longer than any run can last (Convex ends actions after 10 minutes), so expiry only catches dead runs. */
export const STREAM_EXPIRY_MS = 11 * 60 * 1000;

/** Creates the stream and the run's record, schedules the run and its expiry; returns the stream's id. */
export async function startAgentRun(ctx: MutationCtx, input: AgentRunInput): Promise<Id<"streams">> {
  const certain = certainTarget(failoverTargets(input.target));
  const streamId = await ctx.db.insert("streams", {
    conversationId: input.conversationId,
    requestId: input.requestId,
    status: "pending",
    chunkCount: 0,
    updatedAt: Date.now(),
    // A plan that cannot fail over names its target at once, so the relay's first poll can set x-gateway-upstream.
    ...(certain !== null ? { upstream: targetLabel(certain) } : {}),
  });
  await ctx.db.insert("agentRuns", { streamId, ...input });
  await ctx.scheduler.runAfter(0, internal.agent.run.run, { streamId });
  const expiryId = await ctx.scheduler.runAfter(STREAM_EXPIRY_MS, internal.agent.stream.expire, { streamId });
  await ctx.db.patch("streams", streamId, { expiryId });
  return streamId;
}
