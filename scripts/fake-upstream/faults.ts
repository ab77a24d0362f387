// Misbehaviours scripted with [[fault:...]]: error statuses, hangs, dropped connections and broken bodies,
// so the gateway's retries, timeouts and upstream-error mapping can be tested against a real socket.
import type { ServerResponse } from "node:http";
import type { ChatCompletion } from "openai/resources/chat/completions";
import type { Fault } from "./directives";
import { sendJson, writeFlushed } from "./http-io";
import { startEventStream, writeChunks } from "./sse";
import { errorBody, type OpenAIErrorBody, type TimedChunk } from "./wire";

export interface FaultTarget {
  response: ServerResponse;
  stream: boolean;
  /** The stream the reply would have been. */
  chunks: TimedChunk[];
  /** The chat.completion the reply would have been. */
  completion: ChatCompletion;
  signal: AbortSignal;
  /** Destroys the socket on purpose, so the recording does not blame the client. */
  dropConnection: () => void;
}

const statusFaults: Record<401 | 429 | 500, { body: OpenAIErrorBody; headers: Record<string, string> }> = {
  401: {
    body: errorBody("Incorrect API key provided (the fake upstream was told to reject it).", "invalid_request_error", "invalid_api_key"),
    headers: {},
  },
  429: {
    body: errorBody("Rate limit reached (the fake upstream was told to refuse). Please try again in 2s.", "requests", "rate_limit_exceeded"),
    headers: { "retry-after": "2" },
  },
  500: {
    body: errorBody("The server had an error while processing your request (the fake upstream was told to fail).", "server_error"),
    headers: {},
  },
};

// Chunks of a stream, counting the role chunk, that go out before the connection is dropped or broken.
const chunksBeforeReset = 3;
const chunksBeforeMalformed = 2;

export async function respondWithFault(fault: Fault, target: FaultTarget): Promise<void> {
  const { response, stream, chunks, signal } = target;
  switch (fault.kind) {
    case "status": {
      const { body, headers } = statusFaults[fault.status];
      return sendJson(response, fault.status, body, headers);
    }
    case "hang":
      return;
    case "hang-after":
      // A non-streaming reply is all or nothing, so it simply hangs.
      if (stream) {
        startEventStream(response);
        await writeChunks(response, chunks.slice(0, 1 + fault.chunks), signal);
      }
      return;
    case "reset":
      if (stream) {
        startEventStream(response);
        if (await writeChunks(response, chunks.slice(0, chunksBeforeReset), signal)) target.dropConnection();
      } else {
        const body = JSON.stringify(target.completion);
        response.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
        await writeFlushed(response, body.slice(0, body.length / 2), signal);
        target.dropConnection();
      }
      return;
    case "malformed":
      if (!stream) return sendRaw(response, "application/json", "{not json");
      startEventStream(response);
      if (await writeChunks(response, chunks.slice(0, chunksBeforeMalformed), signal)) response.end("data: {not json\n\n");
      return;
    case "empty":
      return sendRaw(response, stream ? "text/event-stream; charset=utf-8" : "application/json", "");
  }
}

function sendRaw(response: ServerResponse, contentType: string, body: string): void {
  response.writeHead(200, { "content-type": contentType, "content-length": String(Buffer.byteLength(body)) });
  response.end(body);
}
