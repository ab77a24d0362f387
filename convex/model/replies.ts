// Storing a generation's outcome: the assistant's reply (or its failure) in the conversation, the
// conversation released, the token reservation settled against what was used (the upstream's
// count, else an estimate), and the request's row in the request log. Shared by client-tool mode's `finish`, the safety net of settle.ts, and
// agent mode's stream end and expiry.
import { v, type Infer } from "convex/values";
import type { MutationCtx } from "../_generated/server";
import type { Id } from "../_generated/dataModel";
import { transcriptMessage, type TranscriptMessage } from "../openai/transcript";
import { finishReason, type FinishReason } from "../openai/finishReason";
import { usage, type Usage } from "../openai/usage";
import type { GatewayError } from "../openai/errors";
import { messageStatus } from "./validators";
import { chargedUsage, findReservation, settleReservation } from "./reservations";
import { outputCharacters } from "./tokenEstimate";
import { appendReply } from "./conversations";
import { errorCode } from "./requestDecision";
import { logTurnEnd } from "./requestLog";

export const replyOutcome = {
  conversationId: v.id("conversations"),
  requestId: v.string(),
  message: transcriptMessage,
  status: messageStatus,
  finishReason: v.optional(finishReason),
  usage: v.optional(usage),
  error: v.optional(v.string()),
  /** A failure's error code, for the request log. */
  errorCode: v.optional(errorCode),
  /** `provider/model-id` of the target that produced the reply (or was tried last); absent: the one `begin` resolved. */
  upstream: v.optional(v.string()),
};

/** The result part of a reply's outcome: finished (with its reason and usage), or failed and why. */
export function replyResult(finishReason: FinishReason | null, usage: Usage, failure: GatewayError | null) {
  return failure === null
    ? { status: "complete" as const, finishReason: finishReason ?? "stop", usage }
    : {
        status: failure.code === "upstream_timeout" ? ("timeout" as const) : ("error" as const),
        error: failure.message,
        errorCode: failure.code,
        usage,
      };
}

export const replyOutcomeValidator = v.object(replyOutcome);
export type ReplyOutcome = Infer<typeof replyOutcomeValidator>;

/** The most rows read to count an agent run's server-side steps: its reply, and 8 steps of a call and a result. */
const MAX_STEP_MESSAGES = 17;

/**
 * Stores the assistant's reply (or its failure), releases the conversation and settles the request's
 * reservation. Runs once per request: a reservation already settled (by the safety net, or an earlier
 * outcome) means the turn is over, and a late outcome changes nothing.
 */
export async function storeReply(ctx: MutationCtx, outcome: ReplyOutcome): Promise<void> {
  const { conversationId, requestId, message, errorCode, upstream, ...result } = outcome;
  const now = Date.now();
  const reservation = await findReservation(ctx, requestId);
  if (reservation === null) return;
  const conversation = await ctx.db.get("conversations", conversationId);
  if (conversation !== null) {
    await appendReply(
      ctx,
      conversation,
      {
        message,
        requestId,
        status: result.status,
        ...(upstream !== undefined ? { upstream } : {}),
        ...(result.finishReason ? { finishReason: result.finishReason } : {}),
        ...(result.usage ? { usage: result.usage } : {}),
        ...(result.error !== undefined ? { error: result.error } : {}),
      },
      now,
    );
  }
  // Only agent runs (no lease: the action is scheduled, not the relay) store server-side steps.
  const steps = reservation.leaseUntil === null ? await serverSteps(ctx, conversationId, requestId) : [];
  const used = chargedUsage(reservation, result.usage, {
    characters: outputCharacters(message) + steps.reduce((sum, step) => sum + outputCharacters(step), 0),
    modelCalls: 1 + steps.filter((step) => step.role === "assistant").length,
  });
  await settleReservation(ctx, reservation, used, now, upstream ?? reservation.upstream);
  await logTurnEnd(
    ctx,
    {
      tenantId: reservation.tenantId,
      requestId,
      receivedAt: reservation._creationTime,
      keyPrefix: reservation.keyPrefix ?? "",
      model: reservation.model ?? null,
      upstream: upstream ?? reservation.upstream ?? null,
      mode: reservation.leaseUntil === null ? "agent" : "client_tools",
      result: result.status,
      errorCode,
      used,
    },
    now,
  );
}

/**
 * The server-side tool steps an agent run stored for this request, newest first: the rows just before
 * its reply, read one at a time and no further than the first row that is not a step (the request's
 * own turns), so the client's turns and older history are never read.
 */
async function serverSteps(ctx: MutationCtx, conversationId: Id<"conversations">, requestId: string): Promise<TranscriptMessage[]> {
  const steps: TranscriptMessage[] = [];
  let read = 0;
  const newestFirst = ctx.db
    .query("messages")
    .withIndex("by_conversationId_and_position", (q) => q.eq("conversationId", conversationId))
    .order("desc");
  for await (const row of newestFirst) {
    // The first row is the reply itself; past it, steps until the request's own turns.
    if (row.requestId !== requestId || ++read > MAX_STEP_MESSAGES) break;
    if (row.serverStep === true) steps.push(row.message);
    else if (read > 1) break;
  }
  return steps;
}
