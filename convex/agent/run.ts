// The agent run: a scheduled action that receives only its stream's id and reads its inputs with one
// query (runInput.ts: the agent's instructions, the stored transcript scrubbed as the policy says, the
// request's generation settings, applied to every step, and the agent's server tools); then calls the
// upstream through the failover plan (upstream/failover.ts), writing text to the persistent stream in
// batches and tool steps to the conversation, and ends the stream with its terminal state (the end
// carries the last batch: one call fewer per run). It runs whether or not the client is still connected.
import { v } from "convex/values";
import { stepCountIs, streamText, type LanguageModel, type TextStreamPart, type ToolSet } from "ai";
import { internalAction } from "../_generated/server";
import { internal } from "../_generated/api";
import type { GatewayError } from "../openai/errors";
import type { ChatCompletionRequest } from "../openai/request";
import { ReplyBuilder } from "../openai/replyBuilder";
import { toModelMessages } from "../openai/modelMessages";
import type { TranscriptMessage } from "../openai/transcript";
import { generationSettings, responseOutput } from "../model/generation";
import { replyResult } from "../model/replies";
import { readFailure } from "../upstream/failures";
import { openUpstream } from "../upstream/failover";
import { certainTarget, failoverTargets } from "../upstream/targets";
import { targetLabel } from "../upstream/providerConfig";
import { StreamRedactor } from "../pii/streamRedactor";
import { redactWrittenText } from "../pii";
import { serverTools } from "./tools/serverTools";
import { StepRecorder } from "./steps";
import { StreamWriter } from "./streamWriter";

/** The most model calls one run makes: tool round trips plus the final answer. */
export const MAX_STEPS = 8;

export const run = internalAction({
  args: { streamId: v.id("streams") },
  returns: v.null(),
  handler: async (ctx, { streamId }) => {
    const args = await ctx.runQuery(internal.agent.runInput.load, { streamId });
    // The stream ended before the run started (expired, or gone): nothing to do.
    if (args === null) return null;
    const chat = JSON.parse(args.settings) as ChatCompletionRequest;
    /** The target serving the run, once the failover plan has opened one. */
    let upstream: string | null = null;
    const writer = new StreamWriter(
      // Every batch names the target writing it: the relay's x-gateway-upstream, known with the first text.
      async (text) => void (await ctx.runMutation(internal.agent.stream.append, { streamId, text, upstream: upstream ?? undefined })),
      args.scanOutput ? new StreamRedactor() : null,
    );
    const steps = new StepRecorder();
    const recordStep = (part: TextStreamPart<ToolSet>) => {
      const messages = steps.observe(part);
      if (messages) writer.then(() => ctx.runMutation(internal.agent.stream.recordSteps, { conversationId: args.conversationId, requestId: args.requestId, messages }));
    };

    const output = responseOutput(chat);
    const call = (model: LanguageModel, abortSignal: AbortSignal) =>
      observed(
        streamText({
          model,
          messages: toModelMessages(args.systemPrompts, args.transcript),
          ...generationSettings(chat, args.target),
          tools: serverTools(ctx, { tenantId: args.tenantId, requestId: args.requestId }, args.target.serverTools, args.webhooks),
          stopWhen: stepCountIs(MAX_STEPS),
          ...(output ? { output } : {}),
          allowSystemInMessages: true,
          // Failures are handled from the stream; the SDK's default logging would print the prompt.
          onError: () => undefined,
          abortSignal,
          // Retries follow the provider's `retries` (upstream/failover.ts), never the SDK's own.
          maxRetries: 0,
        }).fullStream,
        recordStep,
      );

    // Tries the agent's targets in order until one produces content (upstream/failover.ts).
    const targets = failoverTargets(args.target);
    const opened = await openUpstream({
      targets,
      call,
      newReply: () => new ReplyBuilder(),
      onTargetFailed: (target) => ctx.runMutation(internal.upstream.cooldowns.start, { provider: target.provider.name }),
    });
    const { reader, reply } = opened;
    upstream = targetLabel(opened.target);
    // A plan that could fail over names its target now (begin named a certain one on the stream already),
    // so a stream that starts with keep-alives before any text still carries x-gateway-upstream.
    if (certainTarget(targets) === null) await ctx.runMutation(internal.agent.stream.setUpstream, { streamId, upstream });
    let failure: GatewayError | null = null;
    let pending = opened.first;
    for (;;) {
      const next = pending ?? (await reader.next(Infinity));
      pending = null;
      if (next.kind === "event" && next.event.kind === "delta") {
        if (next.event.delta.content) writer.add(next.event.delta.content);
        continue;
      }
      failure = readFailure(next);
      break;
    }

    /** The text not written yet: `end` writes it with the terminal state. */
    let rest = "";
    try {
      rest = await writer.close();
    } catch {
      failure ??= { code: "upstream_error", message: "The gateway could not record the agent's output." };
    }
    const content = reply.content !== null && args.scanOutput ? redactWrittenText(reply.content).text : reply.content;
    const message: TranscriptMessage = { role: "assistant", content };
    await ctx.runMutation(internal.agent.stream.end, {
      streamId,
      ...(rest !== "" ? { text: rest } : {}),
      conversationId: args.conversationId,
      requestId: args.requestId,
      message,
      upstream,
      ...replyResult(reply.finishReason, reply.usage, failure),
      ...(failure ? { streamError: failure } : {}),
    });
    return null;
  },
});

/** Passes the parts through unchanged, showing each to `observe` on the way. */
async function* observed(parts: AsyncIterable<TextStreamPart<ToolSet>>, observe: (part: TextStreamPart<ToolSet>) => void) {
  for await (const part of parts) {
    observe(part);
    yield part;
  }
}
