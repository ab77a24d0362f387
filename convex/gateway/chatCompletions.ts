// POST /api/v1/chat/completions: parse and validate, authorise everything in one mutation, then
// call the upstream with streamText and relay its reply. Once `begin` has stored the turn, every way
// out ends the turn (stored as complete or failed) and releases the conversation.
import { streamText, type LanguageModel } from "ai";
import { internal } from "../_generated/api";
import { parseChatCompletionRequest, parseJsonBody } from "../openai/parseRequest";
import { toModelMessages } from "../openai/modelMessages";
import { toTranscriptMessage, type TranscriptMessage } from "../openai/transcript";
import { clientTools, generationSettings, responseOutput, toolChoice } from "../model/generation";
import { replyResult } from "../model/replies";
import { bearerKeyHash, readBody } from "./requestInput";
import { gatewayAction } from "./gatewayAction";
import { relay, type RelayOutcome } from "./relay";
import type { GatewayError } from "../openai/errors";
import { ReplyBuilder } from "../openai/replyBuilder";
import { relayStream } from "./streamRelay";
import type { ActionCtx } from "../_generated/server";
import type { ChatCompletionRequest } from "../openai/request";
import type { ResponseIdentity } from "../openai/chunks";
import type { Admitted } from "../model/requestDecision";
import type { Responder } from "./responses";
import { failoverTargets } from "../upstream/targets";
import { requestFacts } from "../upstream/parameterSupport";
import { targetLabel } from "../upstream/providerConfig";

export const chatCompletions = gatewayAction(async (ctx, request, responder) => {
  const keyHash = bearerKeyHash(request);
  const body = parseJsonBody(await readBody(request));
  const parsed = body.ok ? parseChatCompletionRequest(body.value) : body;
  if (!parsed.ok) {
    // Authentication comes first: an invalid body is reported only to a valid key. Valid bodies skip
    // this check; `begin` authenticates them in the same transaction as everything else.
    const key = await ctx.runMutation(internal.model.keyCheck.check, { keyHash, requestId: responder.requestId, bodyError: parsed.error });
    return responder.error(key ?? parsed.error);
  }
  const chat = parsed.value;
  const agentMode = (chat.tools ?? []).length === 0;

  const decision = await responder.timing.measure("auth", () =>
    ctx.runMutation(internal.model.chat.begin, {
      keyHash,
      requestId: responder.requestId,
      model: chat.model,
      conversationId: request.headers.get("x-conversation-id"),
      messages: chat.messages.map(toTranscriptMessage),
      requestedMaxTokens: chat.max_completion_tokens ?? chat.max_tokens ?? null,
      // Without client tools the agent runs server-side, in a scheduled action, with these settings.
      agentRequest: agentMode ? JSON.stringify({ ...chat, messages: [] }) : null,
      // Settings some provider kinds cannot honour: refused for the model's provider, fallbacks that cannot are skipped.
      parameters: requestFacts(chat),
    }),
  );
  responder.setRateLimits(decision.rateLimits);
  if (!decision.ok) return responder.error(decision.error);
  responder.headers.set("x-conversation-id", decision.conversationId);
  responder.recordUpstreamStart();
  const identity = { id: `chatcmpl-${responder.requestId.slice(4)}`, created: Math.floor(Date.now() / 1000), model: chat.model };
  const includeUsage = chat.stream_options?.include_usage === true;
  if (decision.streamId !== null) {
    const forecastKey = `${decision.tenantId}/${chat.model}`;
    return relayStream({ ctx, streamId: decision.streamId, forecastKey, identity, stream: chat.stream === true, includeUsage, responder });
  }

  let settled = false;
  const finish = async ({ reply, error, upstream }: RelayOutcome) => {
    settled = true;
    const message: TranscriptMessage = { role: "assistant", content: reply.content };
    if (reply.toolCalls.length > 0) message.toolCalls = reply.toolCalls;
    await ctx.runMutation(internal.model.chat.finish, {
      conversationId: decision.conversationId,
      requestId: responder.requestId,
      message,
      upstream,
      ...replyResult(reply.finishReason, reply.usage, error),
    });
  };
  try {
    return await callUpstream({ ctx, request, responder, chat, decision, identity, finish });
  } catch (failure) {
    // The turn is stored and the conversation busy: whatever failed, the turn ends as failed now and
    // the conversation is released, so the next turn is served at once.
    if (settled) throw failure;
    const error: GatewayError = { code: "upstream_error", message: "The gateway could not send this conversation to the upstream model." };
    await finish({ reply: new ReplyBuilder(null), error, upstream: targetLabel(failoverTargets(decision.target)[0]!) });
    return responder.error(error);
  }
});

interface UpstreamCall {
  ctx: ActionCtx;
  request: Request;
  responder: Responder;
  chat: ChatCompletionRequest;
  decision: Admitted;
  identity: ResponseIdentity;
  finish: (outcome: RelayOutcome) => Promise<void>;
}

/** Client-tool mode: streams the upstream's reply to the client; `finish` stores how it ended. */
async function callUpstream({ ctx, request, responder, chat, decision, identity, finish }: UpstreamCall): Promise<Response> {
  const tools = clientTools(chat);
  const output = responseOutput(chat);
  const call = (model: LanguageModel, abortSignal: AbortSignal) =>
    streamText({
      model,
      messages: toModelMessages(decision.systemPrompts, decision.transcript),
      ...generationSettings(chat, decision.target),
      ...(Object.keys(tools).length > 0 ? { tools, toolChoice: toolChoice(chat) } : {}),
      ...(output ? { output } : {}),
      // The client's system and developer messages are its own instructions, relayed on purpose.
      allowSystemInMessages: true,
      // Failures are handled from the stream; the SDK's default logging would print the prompt.
      onError: () => undefined,
      abortSignal,
      // Retries follow the provider's `retries` (upstream/failover.ts), never the SDK's own.
      maxRetries: 0,
    }).fullStream;

  return await relay({
    failover: {
      targets: failoverTargets(decision.target),
      call,
      signal: request.signal,
      onTargetFailed: (target) => ctx.runMutation(internal.upstream.cooldowns.start, { provider: target.provider.name }),
    },
    identity,
    stream: chat.stream === true,
    includeUsage: chat.stream_options?.include_usage === true,
    responder,
    scanOutput: decision.scanOutput,
    renewLease: (streamedCharacters) => ctx.runMutation(internal.model.settle.renew, { requestId: responder.requestId, streamedCharacters }),
    onDone: finish,
  });
}

