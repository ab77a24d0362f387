/*
 * A loopback fake of the Anthropic Messages API (POST /v1/messages), scripted by the same [[...]] directives
 * as the OpenAI fake (directives.ts). It reproduces, from Anthropic's documentation
 * (docs.anthropic.com: "Messages", "Streaming Messages", "Errors", "Rate limits"):
 * - auth by the `x-api-key` header (401 authentication_error without it) and a required `anthropic-version`
 *   header (400 invalid_request_error without it); `max_tokens` is required;
 * - the JSON reply: {id: "msg_…", type: "message", role, model, content: [text | tool_use{id, name, input}],
 *   stop_reason: end_turn | max_tokens | tool_use | refusal, stop_sequence, usage: {input_tokens, output_tokens}};
 * - the SSE stream, each event as "event: <type>\ndata: <json>\n\n": message_start (usage so far), a ping,
 *   per content block content_block_start / content_block_delta (text_delta, or input_json_delta with the
 *   tool input as partial JSON) / content_block_stop, message_delta {stop_reason, stop_sequence, usage:
 *   {output_tokens}}, message_stop;
 * - errors as {type: "error", error: {type, message}} with the documented types (authentication_error,
 *   rate_limit_error with a `retry-after` header in seconds, api_error), and `request-id` on every reply.
 * Mapping from the planner: finish "length" is max_tokens, "content_filter" is refusal (the AI SDK maps it to
 * content-filter), "tool_calls" is tool_use. A stop sequence cuts the text but reports end_turn.
 */
import type { ServerResponse } from "node:http";
import { sendJson } from "../http-io";
import type { Reply } from "../replies";
import { contentDelay, parsedArguments, planChat, play, type ErrorReply, type Protocol, type TimedEvent, type Usage } from "../protocols/play";
import { startProtocolFake, type ExchangeContext, type ProtocolFake, type ProtocolFakeOptions } from "../protocols/server";
import { parseMessagesRequest } from "./request";

interface AnthropicEvent {
  type: string;
  [field: string]: unknown;
}

const stopReasons: Record<Reply["finishReason"], string> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  content_filter: "refusal",
};

function anthropicError(status: number, type: string, message: string, headers: Record<string, string> = {}): ErrorReply {
  return { status, body: { type: "error", error: { type, message } }, headers };
}

const protocol: Protocol<AnthropicEvent> = {
  streamContentType: "text/event-stream; charset=utf-8",
  successHeaders: () => ({ "request-id": `req_fake_${Date.now()}` }),
  encode: (event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`,
  malformedFrame: "event: content_block_delta\ndata: {not json\n\n",
  statusError: (status) =>
    status === 401
      ? anthropicError(401, "authentication_error", "invalid x-api-key (the fake upstream was told to reject it)")
      : status === 429
        ? anthropicError(429, "rate_limit_error", "Number of requests has exceeded your rate limit (the fake upstream was told to refuse).", { "retry-after": "2" })
        : anthropicError(500, "api_error", "Internal server error (the fake upstream was told to fail)."),
};

export async function startAnthropicFake(options: ProtocolFakeOptions = {}): Promise<ProtocolFake> {
  const counters = { messages: 0, toolUses: 0 };
  return startProtocolFake(options, "/v1", async (response, context) => {
    if (context.method !== "POST" || context.url.pathname !== "/v1/messages") {
      return reply(response, anthropicError(404, "not_found_error", `Unknown route: ${context.method} ${context.url.pathname}`));
    }
    if (!context.headers["x-api-key"]) return reply(response, anthropicError(401, "authentication_error", "x-api-key header is required"));
    if (!context.headers["anthropic-version"]) return reply(response, anthropicError(400, "invalid_request_error", "anthropic-version: header is required"));
    await handleMessages(response, context, {
      messageId: () => `msg_fake_${(counters.messages += 1)}`,
      toolUseId: () => `toolu_fake_${(counters.toolUses += 1)}`,
    });
  });
}

async function handleMessages(response: ServerResponse, context: ExchangeContext, ids: { messageId: () => string; toolUseId: () => string }): Promise<void> {
  if (!context.body.ok) return reply(response, anthropicError(400, "invalid_request_error", "The request body is not valid JSON."));
  const parsed = parseMessagesRequest(context.body.value);
  if (!parsed.success) return reply(response, anthropicError(400, "invalid_request_error", parsed.message));
  const planned = planChat(parsed.chat, context.timing, ids.toolUseId);
  if ("directiveError" in planned) return reply(response, anthropicError(400, "invalid_request_error", planned.directiveError));
  const { plan, usage } = planned;
  const message = { id: ids.messageId(), type: "message", role: "assistant", model: parsed.request.model };
  await play(protocol, {
    response,
    stream: parsed.request.stream === true,
    events: streamEvents(message, plan.reply, usage, (position) => contentDelay(plan, position)),
    json: {
      ...message,
      content: contentBlocks(plan.reply),
      stop_reason: stopReasons[plan.reply.finishReason],
      stop_sequence: null,
      usage: { input_tokens: usage.promptTokens, output_tokens: usage.completionTokens },
    },
    fault: plan.fault,
    signal: context.signal,
    dropConnection: context.dropConnection,
  });
}

function contentBlocks(reply: Reply): unknown[] {
  const text = reply.contentPieces.join("");
  return [
    ...(text !== "" || reply.toolCalls.length === 0 ? [{ type: "text", text }] : []),
    ...reply.toolCalls.map((call) => ({ type: "tool_use", id: call.id, name: call.name, input: parsedArguments(call) })),
  ];
}

function streamEvents(message: object, reply: Reply, usage: Usage, delay: (position: number) => number): TimedEvent<AnthropicEvent>[] {
  const content: TimedEvent<AnthropicEvent>[] = [];
  let position = 0;
  const next = (event: AnthropicEvent): void => {
    content.push({ delayMs: delay(position), content: true, event });
    position += 1;
  };
  const at = (event: AnthropicEvent): void => {
    content.push({ delayMs: 0, event });
  };
  let index = 0;
  if (reply.contentPieces.length > 0) {
    at({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
    for (const piece of reply.contentPieces) next({ type: "content_block_delta", index, delta: { type: "text_delta", text: piece } });
    at({ type: "content_block_stop", index });
    index += 1;
  }
  for (const call of reply.toolCalls) {
    at({ type: "content_block_start", index, content_block: { type: "tool_use", id: call.id, name: call.name, input: {} } });
    for (const piece of call.argumentPieces) next({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: piece } });
    at({ type: "content_block_stop", index });
    index += 1;
  }
  return [
    {
      delayMs: 0,
      event: {
        type: "message_start",
        message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.promptTokens, output_tokens: 1 } },
      },
    },
    { delayMs: 0, event: { type: "ping" } },
    ...content,
    {
      delayMs: 0,
      event: {
        type: "message_delta",
        delta: { stop_reason: stopReasons[reply.finishReason], stop_sequence: null },
        usage: { output_tokens: usage.completionTokens },
      },
    },
    { delayMs: 0, event: { type: "message_stop" } },
  ];
}

function reply(response: ServerResponse, error: ErrorReply): void {
  sendJson(response, error.status, error.body, error.headers);
}
