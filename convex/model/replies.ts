// Storing a generation's outcome: the assistant's reply (or its failure) in the conversation, the
// conversation released, and the token reservation settled against real usage. Shared by client-tool
// mode's `finish` and agent mode's stream end.
import { v, type Infer } from "convex/values";
import type { MutationCtx } from "../_generated/server";
import type { Doc } from "../_generated/dataModel";
import { transcriptMessage } from "../openai/transcript";
import { finishReason, type FinishReason } from "../openai/finishReason";
import { usage, type Usage } from "../openai/usage";
import type { GatewayError } from "../openai/errors";
import { messageStatus } from "./validators";
import { reconcileTokens } from "./limits";
import { recordTokens } from "./usage";

export const replyOutcome = {
  conversationId: v.id("conversations"),
  requestId: v.string(),
  apiKeyId: v.id("apiKeys"),
  tokenEstimate: v.number(),
  message: transcriptMessage,
  status: messageStatus,
  finishReason: v.optional(finishReason),
  usage: v.optional(usage),
  error: v.optional(v.string()),
};

/** The result part of a reply's outcome: finished (with its reason and usage), or failed and why. */
export function replyResult(finishReason: FinishReason | null, usage: Usage, failure: GatewayError | null) {
  return failure === null
    ? { status: "complete" as const, finishReason: finishReason ?? "stop", usage }
    : { status: failure.code === "upstream_timeout" ? ("timeout" as const) : ("error" as const), error: failure.message, usage };
}

export const replyOutcomeValidator = v.object(replyOutcome);
export type ReplyOutcome = Infer<typeof replyOutcomeValidator>;

/** Stores the assistant's reply (or its failure), releases the conversation and settles usage. */
export async function storeReply(ctx: MutationCtx, outcome: ReplyOutcome): Promise<void> {
  const { conversationId, requestId, apiKeyId, tokenEstimate, message, ...result } = outcome;
  const now = Date.now();
  const conversation = await ctx.db.get("conversations", conversationId);
  if (conversation === null) return;
  await ctx.db.insert("messages", { conversationId, position: conversation.messageCount, message, requestId, ...result });
  await ctx.db.patch("conversations", conversationId, { messageCount: conversation.messageCount + 1, busySince: null, updatedAt: now });
  await settleUsage(ctx, conversation, apiKeyId, tokenEstimate, result.usage, now);
}

/** Reconciles the reserved estimate with what was really used, and records the usage in the ledger. */
async function settleUsage(
  ctx: MutationCtx,
  conversation: Doc<"conversations">,
  apiKeyId: Doc<"apiKeys">["_id"],
  tokenEstimate: number,
  used: { promptTokens: number; completionTokens: number; totalTokens: number } | undefined,
  now: number,
): Promise<void> {
  const tenant = await ctx.db.get("tenants", conversation.tenantId);
  if (tenant === null) return;
  const actual = used ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  await reconcileTokens(ctx, tenant, tokenEstimate, actual.totalTokens);
  await recordTokens(ctx, tenant._id, apiKeyId, actual, now);
}
