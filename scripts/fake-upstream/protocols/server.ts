// The node:http server shared by the provider-protocol fakes (Anthropic, Bedrock, Google): recording of every
// request (readable over GET /__requests, cleared by POST /__reset, as on the OpenAI fake, so client.ts works
// against each), the JSON body read once, and an abort signal for a client that goes away.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { closeServer, listenOn, sendJson, type JsonBody } from "../http-io";
import { createRecorder } from "../recorder";
import type { RecordedRequest } from "../types";
import type { StreamTiming } from "../wire";

export interface ProtocolFakeOptions {
  port?: number;
  host?: string;
  firstTokenDelayMs?: number;
  interTokenDelayMs?: number;
}

export interface ProtocolFake {
  /** The base URL to give the provider (its documented base, e.g. ".../v1" for Anthropic). */
  url: string;
  requests: RecordedRequest[];
  reset(): void;
  /** Stops the server, destroying open connections (hung requests included). */
  close(): Promise<void>;
}

/** What a protocol's handler gets for one recorded request. */
export interface ExchangeContext {
  url: URL;
  method: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: JsonBody;
  /** The body as received, for checks over its exact bytes (Bedrock's SigV4 payload hash). */
  rawBody: string;
  timing: StreamTiming;
  /** Aborts when the connection closes. */
  signal: AbortSignal;
  /** Destroys the socket on purpose, so the recording does not blame the client. */
  dropConnection: () => void;
}

export type ExchangeHandler = (response: ServerResponse, context: ExchangeContext) => Promise<void>;

export async function startProtocolFake(options: ProtocolFakeOptions, basePath: string, handle: ExchangeHandler): Promise<ProtocolFake> {
  const host = options.host ?? "127.0.0.1";
  const timing: StreamTiming = { firstTokenDelayMs: options.firstTokenDelayMs ?? 5, interTokenDelayMs: options.interTokenDelayMs ?? 2 };
  const recorder = createRecorder();

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://fake-upstream");
    const method = request.method ?? "GET";
    if (url.pathname === "/__requests" && method === "GET") return sendJson(response, 200, recorder.matching(url.searchParams.get("contains")));
    if (url.pathname === "/__reset" && method === "POST") {
      recorder.reset();
      return sendJson(response, 200, { reset: true });
    }
    const { recorded, signal, dropConnection } = recorder.track(request, response, url.pathname + url.search);
    const rawBody = await readText(request);
    const body = parseJson(rawBody);
    recorded.body = body.ok ? body.value : null;
    await handle(response, {
      url,
      method,
      headers: recorded.headers,
      body,
      rawBody,
      timing,
      signal,
      dropConnection,
    });
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (response.headersSent) response.destroy();
      else sendJson(response, 500, { message: `Fake upstream bug: ${String(error)}` });
    });
  });
  const origin = await listenOn(server, options.port ?? 0, host);
  return {
    url: `${origin}${basePath}`,
    requests: recorder.requests,
    reset: recorder.reset,
    close: () => closeServer(server),
  };
}

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): JsonBody {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
