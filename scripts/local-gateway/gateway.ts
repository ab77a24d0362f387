// The local gateway: the real convex/ functions on convex-test's runtime behind node:http. Requests
// are piped chunk by chunk; SSE responses too (headers flushed first), so they stream as they would
// from a Convex deployment, and a client that disconnects aborts its request; other responses go out
// whole, in one write. Convex's documented limits
// are enforced and every function call metered (convex/testing/convexLimits/) unless
// GATEWAY_CONVEX_LIMITS=0, which keeps the meter but enforces nothing. Chat requests whose upstream
// call failed are reported one by one (upstreamFailures.ts); a gateway in front of the offline demo
// model says so in a response header. The crons of convex/crons.ts run on their schedule (maintenance.ts).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestConvex } from "convex-test";
import schema from "../../convex/schema";
import { internal } from "../../convex/_generated/api";
import { convexTestWithLimits, meterOf, type ConvexMeter } from "../../convex/testing/convexLimits/convexLimits.testing";
import { randomizeDocumentIds } from "./documentIds";
import { appModules, componentModules } from "./modules";
import { closeServer } from "../fake-upstream/http-io";
import { RequestBody } from "./requestBody";
import { FailureWatch, type UpstreamFailure } from "./upstreamFailures";
import { startMaintenance, type MaintenanceSchedule } from "./maintenance";

/** Sent on every response of a local gateway whose upstream is the built-in offline demo model. */
export const OFFLINE_DEMO_HEADER = "x-local-gateway-upstream";
export const OFFLINE_DEMO_VALUE = "offline-demo";

const CHAT_COMPLETIONS_PATH = "/api/v1/chat/completions";

export interface LocalGateway {
  /** e.g. http://127.0.0.1:3211 */
  origin: string;
  /** The OpenAI base URL: `${origin}/api/v1`. */
  baseUrl: string;
  /** The convex-test instance serving it, for benchmarks and tests that read its tables. */
  convex: TestConvex<typeof schema>;
  /** Every Convex function call the gateway made, with what it read and wrote. */
  meter: ConvexMeter;
  close(): Promise<void>;
}

export interface LocalGatewayOptions {
  port?: number;
  host?: string;
  /** The seed object or its JSON text, applied through the same mutation real deployments use. */
  seed: unknown;
  /** Enforce Convex's limits (default: unless env GATEWAY_CONVEX_LIMITS=0). Calls are metered either way. */
  convexLimits?: boolean;
  /** The upstream is the built-in offline demo model (directive-scripted): say so in OFFLINE_DEMO_HEADER. */
  offlineDemo?: boolean;
  /** Called once for each chat request whose upstream call failed. */
  onUpstreamFailure?: (failure: UpstreamFailure) => void;
  /** The crons and clean-up a deployment runs by itself (maintenance.ts); defaults to the crons' own schedule. */
  maintenance?: MaintenanceSchedule;
}

interface RelaySettings {
  offlineDemo: boolean;
  onUpstreamFailure: ((failure: UpstreamFailure) => void) | null;
}

export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const enforce = options.convexLimits ?? process.env.GATEWAY_CONVEX_LIMITS !== "0";
  const t = convexTestWithLimits(schema, appModules(), { enforce });
  for (const component of componentModules()) {
    const componentSchema = ((await component.schema()) as { default: Parameters<typeof t.registerComponent>[1] }).default;
    t.registerComponent(component.name, componentSchema, component.modules);
  }
  await randomizeDocumentIds(t);
  await t.mutation(internal.admin.seed.apply, { seed: options.seed });
  const stopMaintenance = startMaintenance(t, options.maintenance);

  const settings: RelaySettings = { offlineDemo: options.offlineDemo ?? false, onUpstreamFailure: options.onUpstreamFailure ?? null };
  const server = createServer((request, response) => {
    handle(t, request, response, settings).catch((error: unknown) => {
      console.error("local gateway: request failed:", error instanceof Error ? error.message : error);
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 3211, options.host ?? "127.0.0.1", resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const origin = `http://${host}:${address.port}`;
  return {
    origin,
    baseUrl: `${origin}/api/v1`,
    convex: t,
    meter: meterOf(t),
    close: () => {
      stopMaintenance();
      return closeServer(server);
    },
  };
}

async function handle(t: TestConvex<typeof schema>, request: IncomingMessage, response: ServerResponse, settings: RelaySettings): Promise<void> {
  const disconnected = new AbortController();
  response.on("close", () => {
    if (!response.writableFinished) disconnected.abort();
  });
  const isChat = request.method === "POST" && (request.url ?? "").split("?")[0] === CHAT_COMPLETIONS_PATH;
  const watch = isChat && settings.onUpstreamFailure ? new FailureWatch(settings.onUpstreamFailure) : null;
  const body = request.method !== "GET" && request.method !== "HEAD" ? new RequestBody(request, watch ? (chunk) => watch.requestChunk(chunk) : undefined) : null;
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const reply = await t.fetch(request.url ?? "/", {
    method: request.method ?? "GET",
    headers,
    signal: disconnected.signal,
    ...(body ? { body: body.stream, duplex: "half" } : {}),
  } as RequestInit);
  await body?.discardUnread();

  const outHeaders: Record<string, string> = {};
  reply.headers.forEach((value, name) => (outHeaders[name] = value));
  if (settings.offlineDemo) outHeaders[OFFLINE_DEMO_HEADER] = OFFLINE_DEMO_VALUE;
  watch?.responseHead(reply.status, reply.headers);
  if (!reply.headers.get("content-type")?.startsWith("text/event-stream")) {
    // A whole reply (JSON, the docs and dashboard pages) leaves in one write with its length, head and
    // body together, as a deployment sends it: three socket writes per request cost more than the
    // rest of this file in the profile (docs/benchmarks.md). Its size is bounded by the HTTP action
    // response limit (convex/testing/convexLimits/).
    const body = reply.body === null ? null : new Uint8Array(await reply.arrayBuffer());
    if (body) watch?.responseChunk(body);
    watch?.responseEnd();
    response.writeHead(reply.status, { ...outHeaders, "content-length": String(body?.byteLength ?? 0) });
    response.end(body);
    return;
  }
  response.writeHead(reply.status, outHeaders);
  response.flushHeaders();
  if (reply.body === null) {
    watch?.responseEnd();
    response.end();
    return;
  }
  const reader = reply.body.getReader();
  disconnected.signal.addEventListener("abort", () => void reader.cancel().catch(() => undefined));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (disconnected.signal.aborted) break;
      watch?.responseChunk(value);
      if (!response.write(value)) await drained(response, disconnected.signal);
    }
  } catch {
    // The client went away mid-stream; cancelling the reader already told the gateway.
  } finally {
    watch?.responseEnd();
    response.end();
  }
}

/** Waits for the socket to take more data, or for the client to go away. */
function drained(response: ServerResponse, disconnected: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off("drain", done);
      disconnected.removeEventListener("abort", done);
      resolve();
    };
    response.once("drain", done);
    disconnected.addEventListener("abort", done);
  });
}
