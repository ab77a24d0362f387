// POST /v1/chat/completions: validates the request, plans the reply, then plays it as one chat.completion,
// as a stream of chunks, or as the fault the prompt asked for.
import type { ServerResponse } from "node:http";
import { DirectiveError } from "./directives";
import { respondWithFault } from "./faults";
import { sendJson, type JsonBody } from "./http-io";
import { planReply, type Plan } from "./replies";
import { parseChatRequest } from "./request";
import { doneEvent, startEventStream, writeChunks } from "./sse";
import { sleep } from "./sleep";
import { promptTokens } from "./tokens";
import { completion, errorBody, streamChunks, totalDelay, usageFor, type StreamTiming } from "./wire";

export interface CompletionContext {
  timing: StreamTiming;
  newCompletionId: () => string;
  newToolCallId: () => string;
  /** Aborts when the connection closes. */
  signal: AbortSignal;
  dropConnection: () => void;
}

export async function handleChatCompletion(body: JsonBody, response: ServerResponse, context: CompletionContext): Promise<void> {
  if (!body.ok) {
    return sendJson(response, 400, errorBody("The request body is not valid JSON.", "invalid_request_error", "invalid_json"));
  }
  const parsed = parseChatRequest(body.value);
  if (!parsed.success) {
    return sendJson(response, 400, errorBody(parsed.message, "invalid_request_error", "invalid_value", parsed.param));
  }
  const request = parsed.request;
  let plan: Plan;
  try {
    plan = planReply(request, { ...context.timing, newToolCallId: context.newToolCallId });
  } catch (error) {
    if (!(error instanceof DirectiveError)) throw error;
    return sendJson(response, 400, errorBody(error.message, "invalid_request_error", "invalid_value", "messages"));
  }

  const identity = { id: context.newCompletionId(), created: Math.floor(Date.now() / 1000), model: request.model };
  const usage = usageFor(promptTokens(request), plan.reply);
  const includeUsage = request.stream_options?.include_usage === true;
  const chunks = streamChunks(identity, plan.reply, plan, includeUsage ? usage : null);
  const chatCompletion = completion(identity, plan.reply, usage);
  const stream = request.stream === true;
  const { signal } = context;

  if (plan.fault) {
    return respondWithFault(plan.fault, { response, stream, chunks, completion: chatCompletion, signal, dropConnection: context.dropConnection });
  }
  if (stream) {
    startEventStream(response);
    if (await writeChunks(response, chunks, signal)) response.end(doneEvent);
    return;
  }
  await sleep(totalDelay(chunks), signal);
  if (!signal.aborted) sendJson(response, 200, chatCompletion);
}
