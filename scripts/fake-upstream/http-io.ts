// Reading request bodies, writing responses and listening on node:http, shared by every fake upstream.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

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
export function writeFlushed(response: ServerResponse, data: string | Uint8Array, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      signal.removeEventListener("abort", done);
      resolve();
    };
    signal.addEventListener("abort", done, { once: true });
    if (signal.aborted) done();
    else response.write(data, done);
  });
}

/** Stops accepting connections, drops the open ones, and resolves once the server has closed. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * How long a fake keeps an idle connection open. Node's 5 s default let a client whose event loop was
 * busy for longer (a loaded CI machine) send its next request on a connection the fake was closing:
 * "fetch failed", which the gateway rightly reports as a 502 and a test then fails on. Clients close
 * idle connections well before this.
 */
const IDLE_CONNECTION_MS = 120_000;

/** Starts listening (port 0: any free port) and resolves with the server's base origin, e.g. http://127.0.0.1:5123. */
export async function listenOn(server: Server, port: number, host: string): Promise<string> {
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
}
