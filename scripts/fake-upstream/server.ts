// The fake OpenAI-compatible upstream: a node:http server used by the test suite, by the local gateway as
// its offline demo model, and by benchmarks. Replies are deterministic and scripted from the prompt (see
// directives.ts). Every /v1 request is recorded (see recorder.ts) and readable over GET /__requests.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { handleChatCompletion } from "./chat-completions";
import { closeServer, listenOn, readJsonBody, sendJson } from "./http-io";
import { createRecorder, type Recorder } from "./recorder";
import type { RecordedRequest } from "./types";
import { errorBody, modelList, type StreamTiming } from "./wire";

export type { RecordedRequest } from "./types";

export interface FakeUpstreamOptions {
  port?: number;
  host?: string;
  firstTokenDelayMs?: number;
  interTokenDelayMs?: number;
}

export interface FakeUpstream {
  /** Base URL ending in "/v1", e.g. http://127.0.0.1:41234/v1 */
  url: string;
  requests: RecordedRequest[];
  reset(): void;
  /** Stops the server, destroying open connections (hung requests included) so it never waits on them. */
  close(): Promise<void>;
}

export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const host = options.host ?? "127.0.0.1";
  const timing: StreamTiming = { firstTokenDelayMs: options.firstTokenDelayMs ?? 5, interTokenDelayMs: options.interTokenDelayMs ?? 2 };
  const recorder = createRecorder();
  const counters = { completions: 0, toolCalls: 0 };
  const services: Services = {
    recorder,
    timing,
    newCompletionId: () => `chatcmpl-fake-${(counters.completions += 1)}`,
    newToolCallId: () => `call_${(counters.toolCalls += 1)}`,
  };

  const server = createServer((request, response) => {
    route(request, response, services).catch((error: unknown) => {
      // A bug in the fake itself: say so in the response when it is still possible.
      if (response.headersSent) response.destroy();
      else sendJson(response, 500, errorBody(`Fake upstream bug: ${String(error)}`, "server_error"));
    });
  });
  const origin = await listenOn(server, options.port ?? 0, host);

  return {
    url: `${origin}/v1`,
    requests: recorder.requests,
    reset: recorder.reset,
    close: () => closeServer(server),
  };
}

interface Services {
  recorder: Recorder;
  timing: StreamTiming;
  newCompletionId: () => string;
  newToolCallId: () => string;
}

async function route(request: IncomingMessage, response: ServerResponse, services: Services): Promise<void> {
  const url = new URL(request.url ?? "/", "http://fake-upstream");
  const method = request.method ?? "GET";
  const { recorder } = services;
  if (url.pathname === "/__requests" && method === "GET") {
    return sendJson(response, 200, recorder.matching(url.searchParams.get("contains")));
  }
  if (url.pathname === "/__reset" && method === "POST") {
    recorder.reset();
    return sendJson(response, 200, { reset: true });
  }
  if (!url.pathname.startsWith("/v1/")) return sendNotFound(response, method, url.pathname);

  const { recorded, signal, dropConnection } = recorder.track(request, response, url.pathname);
  const body = await readJsonBody(request);
  recorded.body = body.ok ? body.value : null;

  if (!/^Bearer\s+\S/.test(request.headers.authorization ?? "")) {
    const message = "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.";
    return sendJson(response, 401, errorBody(message, "invalid_request_error", "invalid_api_key"));
  }
  if (url.pathname === "/v1/chat/completions" && method === "POST") {
    return handleChatCompletion(body, response, {
      timing: services.timing,
      newCompletionId: services.newCompletionId,
      newToolCallId: services.newToolCallId,
      signal,
      dropConnection,
    });
  }
  if (url.pathname === "/v1/models" && method === "GET") return sendJson(response, 200, modelList());
  return sendNotFound(response, method, url.pathname);
}

function sendNotFound(response: ServerResponse, method: string, path: string): void {
  sendJson(response, 404, errorBody(`Unknown request URL: ${method} ${path}.`, "invalid_request_error", "unknown_url"));
}
