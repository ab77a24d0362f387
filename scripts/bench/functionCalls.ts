// What a request costs on Convex's bill: the function calls (queries, mutations, actions, HTTP actions)
// and the documents and bytes they read and wrote, per request kind (client-tool and agent mode, JSON
// and SSE), from the local gateway's meter (convex/testing/convexLimits/). And what one agent-mode
// stream costs per minute of streaming: the writes and polls that scale with its length. And the
// hot-document share: of many concurrent requests of one tenant, the largest share that wrote any one
// document (on a deployment, requests writing one document conflict and retry).
import { requestBodies, type Mode } from "./latency";
import type { GatewayChild } from "./processes";
import { BENCH_KEY } from "./seed";
import { timedRequest } from "./timedRequest";
import type { MeteredUsage } from "./gatewayProcess";

export interface KindCost {
  kind: string;
  requests: number;
  /** Per request, the app's own calls (components such as the rate limiter apart). */
  calls: number;
  byKind: Record<"query" | "mutation" | "action" | "httpAction", number>;
  componentCalls: number;
  documentsRead: number;
  bytesRead: number;
  documentsWritten: number;
  bytesWritten: number;
}

export interface StreamMinute {
  seconds: number;
  calls: number;
  callsPerMinute: number;
  writesPerMinute: number;
  pollsPerMinute: number;
}

/** Time for a run's last calls (its end, after the response has ended) to land in the meter. */
const SETTLE_MS = 500;
const KINDS: Array<{ kind: string; mode: Mode; stream: boolean }> = [
  { kind: "client-tool JSON", mode: "client-tool", stream: false },
  { kind: "client-tool SSE", mode: "client-tool", stream: true },
  { kind: "agent JSON", mode: "agent", stream: false },
  { kind: "agent SSE", mode: "agent", stream: true },
];

/** `requests` requests of each kind, one at a time, each a `tokens`-token reply; the meter's totals divided by `requests`. */
export async function measureKinds(gateway: GatewayChild, options: { requests: number; tokens: number }): Promise<KindCost[]> {
  const costs: KindCost[] = [];
  for (const { kind, mode, stream } of KINDS) {
    const mark = await gateway.mark();
    for (let index = 0; index < options.requests; index++) {
      const timed = await timedRequest(`${gateway.url}/chat/completions`, BENCH_KEY, requestBodies(mode, `[[words:${options.tokens}]] cost ${kind} ${index}`, stream).gateway);
      if (timed.status !== 200) throw new Error(`a ${kind} request failed with ${timed.status}`);
    }
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    costs.push(perRequest(kind, options.requests, await gateway.usage(mark)));
  }
  return costs;
}

function perRequest(kind: string, requests: number, metered: MeteredUsage): KindCost {
  const { app, components } = metered;
  const each = (value: number) => value / requests;
  return {
    kind,
    requests,
    calls: each(app.calls),
    byKind: { query: each(app.byKind.query), mutation: each(app.byKind.mutation), action: each(app.byKind.action), httpAction: each(app.byKind.httpAction) },
    componentCalls: each(components.calls),
    documentsRead: each(app.documentsRead + components.documentsRead),
    bytesRead: each(app.bytesRead + components.bytesRead),
    documentsWritten: each(app.documentsWritten + components.documentsWritten),
    bytesWritten: each(app.bytesWritten + components.bytesWritten),
  };
}

/** One agent-mode SSE stream of about `seconds` (a word every 100 ms): its calls, scaled to a minute. */
export async function measureStreamMinute(gateway: GatewayChild, seconds: number): Promise<StreamMinute> {
  const mark = await gateway.mark();
  const started = Date.now();
  const words = Math.round((seconds * 1000) / 100);
  const timed = await timedRequest(`${gateway.url}/chat/completions`, BENCH_KEY, requestBodies("agent", `[[words:${words}]] [[trickle:100]] minute`, true).gateway);
  if (timed.status !== 200) throw new Error(`the long stream failed with ${timed.status}`);
  const elapsed = (Date.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const { app, byPath } = await gateway.usage(mark);
  const perMinute = (count: number) => (count / elapsed) * 60;
  return {
    seconds: elapsed,
    calls: app.calls,
    callsPerMinute: perMinute(app.calls),
    writesPerMinute: perMinute(byPath["agent/stream:append"] ?? 0),
    pollsPerMinute: perMinute(byPath["agent/stream:read"] ?? 0),
  };
}

export interface HotDocumentShare {
  requests: number;
  concurrency: number;
  /** The largest share of the requests that wrote any single document. */
  largestShare: number;
}

/** `requests` requests of one tenant, `concurrency` at a time, half in each mode: the hottest document's share. */
export async function measureHotDocuments(gateway: GatewayChild, options: { requests: number; concurrency: number }): Promise<HotDocumentShare> {
  const mark = await gateway.mark();
  for (let sent = 0; sent < options.requests; sent += options.concurrency) {
    await Promise.all(
      Array.from({ length: Math.min(options.concurrency, options.requests - sent) }, async (_, index) => {
        const mode: Mode = (sent + index) % 2 === 0 ? "client-tool" : "agent";
        const timed = await timedRequest(`${gateway.url}/chat/completions`, BENCH_KEY, requestBodies(mode, `[[words:3]] hot ${sent + index}`, false).gateway);
        if (timed.status !== 200) throw new Error(`a hot-document request failed with ${timed.status}`);
      }),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const metered = await gateway.usage(mark);
  return { requests: metered.requests, concurrency: options.concurrency, largestShare: metered.hottestShare };
}
