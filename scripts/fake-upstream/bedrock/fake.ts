/*
 * A loopback fake of the Amazon Bedrock runtime's Converse and ConverseStream operations
 * (POST /model/{modelId}/converse and /model/{modelId}/converse-stream), scripted by the same [[...]]
 * directives as the OpenAI fake (directives.ts). It reproduces, from the Bedrock API reference
 * (docs.aws.amazon.com/bedrock/latest/APIReference: API_runtime_Converse, API_runtime_ConverseStream,
 * "Common Errors") and the event-stream encoding page:
 * - SigV4 auth: a well-formed AWS4-HMAC-SHA256 `authorization` header scoped to the region and the
 *   "bedrock" service, and with `secrets` given a correct signature over the exact request (sigv4.ts), else
 *   403 MissingAuthenticationTokenException / InvalidSignatureException / UnrecognizedClientException;
 * - the JSON reply: {output: {message: {role, content: [{text} | {toolUse: {toolUseId, name, input}}]}},
 *   stopReason: end_turn | max_tokens | tool_use | content_filtered, usage: {inputTokens, outputTokens,
 *   totalTokens}, metrics: {latencyMs}} with an `x-amzn-requestid` header;
 * - the stream as binary event-stream frames (application/vnd.amazon.eventstream, event-stream.ts):
 *   messageStart {role}, text as contentBlockDelta {delta: {text}} (Bedrock sends no contentBlockStart for
 *   text), a tool call as contentBlockStart {start: {toolUse: {toolUseId, name}}} then contentBlockDelta
 *   {delta: {toolUse: {input: <partial JSON string>}}}, contentBlockStop, messageStop {stopReason},
 *   metadata {usage, metrics}; each payload carries the "p" padding field Bedrock adds;
 * - errors as {message} with the type in the `x-amzn-errortype` header: 400 ValidationException,
 *   429 ThrottlingException (Bedrock sends no retry-after), 500 InternalServerException, and for
 *   [[fault:401]] the 403 UnrecognizedClientException AWS answers to credentials it does not know.
 * [[fault:malformed]] on a stream sends a frame whose message CRC32 is wrong.
 */
import type { ServerResponse } from "node:http";
import { sendJson } from "../http-io";
import type { Reply } from "../replies";
import { contentDelay, parsedArguments, planChat, play, type ErrorReply, type Protocol, type TimedEvent } from "../protocols/play";
import { startProtocolFake, type ProtocolFake, type ProtocolFakeOptions } from "../protocols/server";
import { eventFrame } from "./event-stream";
import { parseConverseRequest } from "./request";
import { checkSigV4 } from "./sigv4";

export interface BedrockFakeOptions extends ProtocolFakeOptions {
  /** The region the SigV4 credential scope must name; default us-east-1. */
  region?: string;
  /** Secrets by access key id: when given, the fake verifies each signature, not only its form. */
  secrets?: Record<string, string>;
}

interface BedrockEvent {
  type: string;
  payload: object;
}

const stopReasons: Record<Reply["finishReason"], string> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  content_filter: "content_filtered",
};

/** Bedrock pads each stream event with a "p" field of letters, so payload sizes do not reveal the content. */
const padding = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ";

function bedrockError(status: number, type: string, message: string): ErrorReply {
  return { status, body: { message }, headers: { "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` } };
}

const signatureErrors = {
  missing: "MissingAuthenticationTokenException",
  malformed: "InvalidSignatureException",
  "unknown-key": "UnrecognizedClientException",
  mismatch: "InvalidSignatureException",
} as const;

const route = /^\/model\/([^/]+)\/(converse|converse-stream)$/;

function brokenFrame(): Uint8Array {
  const frame = eventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "broken" }, p: padding });
  frame[frame.length - 1] = (frame[frame.length - 1] ?? 0) ^ 0xff;
  return frame;
}

export async function startBedrockFake(options: BedrockFakeOptions = {}): Promise<ProtocolFake> {
  const region = options.region ?? "us-east-1";
  const counters = { requests: 0, toolUses: 0 };
  const protocol: Protocol<BedrockEvent> = {
    streamContentType: "application/vnd.amazon.eventstream",
    successHeaders: () => ({ "x-amzn-requestid": `fake-request-${(counters.requests += 1)}` }),
    encode: (event) => eventFrame(event.type, { ...event.payload, p: padding }),
    malformedFrame: brokenFrame(),
    statusError: (status) =>
      status === 401
        ? bedrockError(403, "UnrecognizedClientException", "The security token included in the request is invalid.")
        : status === 429
          ? bedrockError(429, "ThrottlingException", "Too many requests, please wait before trying again.")
          : bedrockError(500, "InternalServerException", "The server encountered an internal error (the fake upstream was told to fail)."),
  };
  return startProtocolFake(options, "", async (response, context) => {
    const match = route.exec(context.url.pathname);
    if (context.method !== "POST" || !match) return reply(response, bedrockError(404, "UnknownOperationException", `Unknown operation: ${context.method} ${context.url.pathname}`));
    const signature = checkSigV4(
      { method: context.method, target: context.url.pathname + context.url.search, headers: context.headers, body: context.rawBody },
      { region, service: "bedrock", secrets: options.secrets },
    );
    if (!signature.ok) return reply(response, bedrockError(403, signatureErrors[signature.reason], signature.message));
    if (!context.body.ok) return reply(response, bedrockError(400, "ValidationException", "The request body is not valid JSON."));
    const modelId = decodeURIComponent(match[1] ?? "");
    const parsed = parseConverseRequest(context.body.value, modelId);
    if (!parsed.success) return reply(response, bedrockError(400, "ValidationException", parsed.message));
    const planned = planChat(parsed.chat, context.timing, () => `tooluse_fake_${(counters.toolUses += 1)}`);
    if ("directiveError" in planned) return reply(response, bedrockError(400, "ValidationException", planned.directiveError));
    const { plan, usage } = planned;
    const usageBody = { inputTokens: usage.promptTokens, outputTokens: usage.completionTokens, totalTokens: usage.promptTokens + usage.completionTokens };
    await play(protocol, {
      response,
      stream: match[2] === "converse-stream",
      events: streamEvents(plan.reply, usageBody, (position) => contentDelay(plan, position)),
      json: {
        output: { message: { role: "assistant", content: contentBlocks(plan.reply) } },
        stopReason: stopReasons[plan.reply.finishReason],
        usage: usageBody,
        metrics: { latencyMs: 1 },
      },
      fault: plan.fault,
      signal: context.signal,
      dropConnection: context.dropConnection,
    });
  });
}

function contentBlocks(reply: Reply): unknown[] {
  const text = reply.contentPieces.join("");
  return [
    ...(text !== "" || reply.toolCalls.length === 0 ? [{ text }] : []),
    ...reply.toolCalls.map((call) => ({ toolUse: { toolUseId: call.id, name: call.name, input: parsedArguments(call) } })),
  ];
}

function streamEvents(reply: Reply, usage: object, delay: (position: number) => number): TimedEvent<BedrockEvent>[] {
  const events: TimedEvent<BedrockEvent>[] = [{ delayMs: 0, event: { type: "messageStart", payload: { role: "assistant" } } }];
  let position = 0;
  const next = (type: string, payload: object): void => {
    events.push({ delayMs: delay(position), content: true, event: { type, payload } });
    position += 1;
  };
  const at = (type: string, payload: object): void => {
    events.push({ delayMs: 0, event: { type, payload } });
  };
  let index = 0;
  if (reply.contentPieces.length > 0) {
    for (const piece of reply.contentPieces) next("contentBlockDelta", { contentBlockIndex: index, delta: { text: piece } });
    at("contentBlockStop", { contentBlockIndex: index });
    index += 1;
  }
  for (const call of reply.toolCalls) {
    at("contentBlockStart", { contentBlockIndex: index, start: { toolUse: { toolUseId: call.id, name: call.name } } });
    for (const piece of call.argumentPieces) next("contentBlockDelta", { contentBlockIndex: index, delta: { toolUse: { input: piece } } });
    at("contentBlockStop", { contentBlockIndex: index });
    index += 1;
  }
  at("messageStop", { stopReason: stopReasons[reply.finishReason] });
  at("metadata", { usage, metrics: { latencyMs: 1 } });
  return events;
}

function reply(response: ServerResponse, error: ErrorReply): void {
  sendJson(response, error.status, error.body, error.headers);
}
