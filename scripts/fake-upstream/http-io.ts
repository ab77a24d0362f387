// Reading request bodies and writing JSON responses on node:http.
import type { IncomingMessage, ServerResponse } from "node:http";

export type JsonBody = { ok: true; value: unknown } | { ok: false };

/** The request body parsed as JSON; an empty or unparsable body is not ok. */
export async function readJsonBody(request: IncomingMessage): Promise<JsonBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

/**
 * Writes and waits until the data has left for the socket, so a connection dropped next cannot swallow it.
 * Also settles when the client goes away: a write to a destroyed socket never calls back.
 */
export function writeFlushed(response: ServerResponse, text: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      signal.removeEventListener("abort", done);
      resolve();
    };
    signal.addEventListener("abort", done, { once: true });
    if (signal.aborted) done();
    else response.write(text, done);
  });
}
