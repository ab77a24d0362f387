/*
 * A loopback fake of Google's Generative Language API (Gemini): POST /v1beta/models/{model}:generateContent
 * and :streamGenerateContent?alt=sse, scripted by the same [[...]] directives as the OpenAI fake
 * (directives.ts). It reproduces, from ai.google.dev/api ("Generating content", "Function calling",
 * "Troubleshooting"/error codes):
 * - auth by the `x-goog-api-key` header or the `key` query parameter (else 403 PERMISSION_DENIED);
 * - the reply: {candidates: [{content: {role: "model", parts: [{text} | {functionCall: {name, args}}]},
 *   finishReason: STOP | MAX_TOKENS | SAFETY, index: 0}], usageMetadata: {promptTokenCount,
 *   candidatesTokenCount, totalTokenCount}, modelVersion, responseId}; a function call finishes with STOP;
 * - the stream (alt=sse) as "data: <GenerateContentResponse>\r\n\r\n" per chunk, each chunk a partial
 *   candidate with usageMetadata, the last one with finishReason; a function call arrives whole in one part
 *   (Gemini does not stream function-call arguments);
 * - errors as {error: {code, message, status}}: 400 INVALID_ARGUMENT, 403 PERMISSION_DENIED (Google's answer
 *   to a bad API key, used for [[fault:401]]), 429 RESOURCE_EXHAUSTED with a google.rpc.RetryInfo
 *   retryDelay in details (no retry-after header), 500 INTERNAL.
 * Mapping from the planner: finish "length" is MAX_TOKENS, "content_filter" is SAFETY with a blocked rating.
 */
import type { ServerResponse } from "node:http";
import { sendJson } from "../http-io";
import type { Reply } from "../replies";
import { contentDelay, parsedArguments, planChat, play, type ErrorReply, type Protocol, type TimedEvent, type Usage } from "../protocols/play";
import { startProtocolFake, type ProtocolFake, type ProtocolFakeOptions } from "../protocols/server";
import { parseGenerateContentRequest } from "./request";

const finishReasons: Record<Reply["finishReason"], string> = {
  stop: "STOP",
  length: "MAX_TOKENS",
  tool_calls: "STOP",
  content_filter: "SAFETY",
};

const blockedRating = { category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "HIGH", blocked: true };

function googleError(code: number, status: string, message: string, details: unknown[] = []): ErrorReply {
  return { status: code, body: { error: { code, message, status, ...(details.length > 0 ? { details } : {}) } }, headers: {} };
}

const protocol: Protocol<object> = {
  streamContentType: "text/event-stream",
  successHeaders: () => ({}),
  encode: (chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`,
  malformedFrame: "data: {not json\r\n\r\n",
  statusError: (status) =>
    status === 401
      ? googleError(403, "PERMISSION_DENIED", "API key not valid. Please pass a valid API key. (the fake upstream was told to reject it)")
      : status === 429
        ? googleError(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (the fake upstream was told to refuse).", [
            { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "2s" },
          ])
        : googleError(500, "INTERNAL", "An internal error has occurred (the fake upstream was told to fail)."),
};

const route = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

export async function startGoogleFake(options: ProtocolFakeOptions = {}): Promise<ProtocolFake> {
  const counters = { responses: 0 };
  return startProtocolFake(options, "/v1beta", async (response, context) => {
    const match = route.exec(context.url.pathname);
    if (context.method !== "POST" || !match) return reply(response, googleError(404, "NOT_FOUND", `Unknown route: ${context.method} ${context.url.pathname}`));
    if (!context.headers["x-goog-api-key"] && !context.url.searchParams.get("key")) {
      return reply(response, googleError(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers. Please use API Key or other form of API consumer identity to call this API."));
    }
    if (!context.body.ok) return reply(response, googleError(400, "INVALID_ARGUMENT", "Invalid JSON payload received."));
    const model = decodeURIComponent(match[1] ?? "");
    const parsed = parseGenerateContentRequest(context.body.value, model);
    if (!parsed.success) return reply(response, googleError(400, "INVALID_ARGUMENT", parsed.message));
    const planned = planChat(parsed.chat, context.timing, () => "unused");
    if ("directiveError" in planned) return reply(response, googleError(400, "INVALID_ARGUMENT", planned.directiveError));
    const { plan, usage } = planned;
    const identity = { modelVersion: model, responseId: `fake-response-${(counters.responses += 1)}` };
    const usageMetadata = { promptTokenCount: usage.promptTokens, candidatesTokenCount: usage.completionTokens, totalTokenCount: usage.promptTokens + usage.completionTokens };
    await play(protocol, {
      response,
      stream: match[2] === "streamGenerateContent",
      events: streamChunks(identity, plan.reply, usage, (position) => contentDelay(plan, position)),
      json: { candidates: [{ ...candidate(parts(plan.reply)), ...finish(plan.reply) }], usageMetadata, ...identity },
      fault: plan.fault,
      signal: context.signal,
      dropConnection: context.dropConnection,
    });
  });
}

function candidate(contentParts: object[]): object {
  return { content: { role: "model", parts: contentParts }, index: 0 };
}

function finish(reply: Reply): object {
  return { finishReason: finishReasons[reply.finishReason], ...(reply.finishReason === "content_filter" ? { safetyRatings: [blockedRating] } : {}) };
}

function parts(reply: Reply): object[] {
  const text = reply.contentPieces.join("");
  return [
    ...(text !== "" || reply.toolCalls.length === 0 ? [{ text }] : []),
    ...reply.toolCalls.map((call) => ({ functionCall: { name: call.name, args: parsedArguments(call) } })),
  ];
}

function streamChunks(identity: object, reply: Reply, usage: Usage, delay: (position: number) => number): TimedEvent<object>[] {
  const running = (completionTokens: number) => ({
    promptTokenCount: usage.promptTokens,
    candidatesTokenCount: completionTokens,
    totalTokenCount: usage.promptTokens + completionTokens,
  });
  const pieces: object[][] = [
    ...reply.contentPieces.map((piece) => [{ text: piece }]),
    ...reply.toolCalls.map((call) => [{ functionCall: { name: call.name, args: parsedArguments(call) } }]),
  ];
  if (pieces.length === 0) pieces.push([{ text: "" }]);
  let tokens = 0;
  return pieces.map((chunkParts, position) => {
    const last = position === pieces.length - 1;
    tokens = last ? usage.completionTokens : tokens + 1;
    return {
      delayMs: delay(position),
      content: true,
      event: { candidates: [{ ...candidate(chunkParts), ...(last ? finish(reply) : {}) }], usageMetadata: running(tokens), ...identity },
    };
  });
}

function reply(response: ServerResponse, error: ErrorReply): void {
  sendJson(response, error.status, error.body, error.headers);
}
