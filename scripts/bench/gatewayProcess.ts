// The bench's gateway, in its own process so its CPU work never delays the bench's clocks or the fake
// upstream's: the local gateway (the real convex/ functions on convex-test) with the bench seed. It
// reports its origin over IPC and answers what the HTTP API cannot: when each chunk of an agent-mode
// stream was written (the relay's write-to-client delay), and what the Convex function calls since a
// mark cost (the meter of convex/testing/convexLimits/). With BENCH_MAINTAIN_EVERY_MS set (the soak),
// the local gateway's maintenance (the retention cron's job) runs that often instead of hourly.
import { startLocalGateway } from "../local-gateway/gateway";
import { hotDocuments, usage, writeSet, type Usage } from "../../convex/testing/convexLimits/convexLimits.testing";
import type { ProtocolFakeUrls } from "./protocolFakes";
import { BENCH_SEED, providerSeed, SOAK_SEED } from "./seed";

export interface WrittenStream {
  requestId: string;
  /** The stream's chunks in order, each with its write time (epoch ms, the row's _creationTime). */
  chunks: Array<{ text: string; writtenAt: number }>;
  completionTokens: number;
}

/** The app's own function calls since a mark (components' calls are counted apart), and their paths. */
export interface MeteredUsage {
  app: Usage;
  components: Usage;
  byPath: Record<string, number>;
  /** Requests (HTTP actions with all they called and scheduled) since the mark. */
  requests: number;
  /** The largest share of those requests that wrote any single document (0 when none was written twice). */
  hottestShare: number;
}

export type GatewayRequest = { kind: "streams"; requestIds: string[] } | { kind: "mark" } | { kind: "usage"; since: number };
export type GatewayMessage =
  | { kind: "ready"; origin: string }
  | { kind: "streams"; streams: WrittenStream[] }
  | { kind: "mark"; mark: number }
  | { kind: "usage"; usage: MeteredUsage };

const maintainEveryMs = Number(process.env.BENCH_MAINTAIN_EVERY_MS ?? 0);
// Set by startGateway's `providers` (the per-kind overhead): the protocol fakes' base URLs.
const providerUrls = process.env.BENCH_PROVIDER_URLS ? (JSON.parse(process.env.BENCH_PROVIDER_URLS) as ProtocolFakeUrls) : null;
const gateway = await startLocalGateway({
  port: 0,
  seed: maintainEveryMs > 0 ? SOAK_SEED : providerUrls ? providerSeed(providerUrls) : BENCH_SEED,
  // The soak compresses time: the hourly retention cron runs every BENCH_MAINTAIN_EVERY_MS.
  ...(maintainEveryMs > 0 ? { maintenance: { sweepEveryMs: maintainEveryMs, jobsEveryMs: maintainEveryMs } } : {}),
});

process.on("message", (request: GatewayRequest) => {
  void (async () => {
    if (request.kind === "mark") return send({ kind: "mark", mark: gateway.meter.mark() });
    if (request.kind === "usage") {
      const calls = gateway.meter.since(request.since);
      const byPath: Record<string, number> = {};
      for (const call of calls) byPath[call.path] = (byPath[call.path] ?? 0) + 1;
      const requests = [...gateway.meter.byRequest(calls).values()].filter((group) => group[0]!.kind === "httpAction");
      return send({
        kind: "usage",
        usage: {
          app: usage(calls.filter((call) => call.component === "")),
          components: usage(calls.filter((call) => call.component !== "")),
          byPath,
          requests: requests.length,
          hottestShare: hotDocuments(requests.map(writeSet))[0]?.share ?? 0,
        },
      });
    }
    const wanted = new Set(request.requestIds);
    const streams = await gateway.convex.run(async (ctx) => {
      const found: WrittenStream[] = [];
      // The bench's own tables, read once at the end: a full scan is fine here.
      for (const stream of await ctx.db.query("streams").collect()) {
        if (!wanted.has(stream.requestId)) continue;
        const chunks = await ctx.db
          .query("streamChunks")
          .withIndex("by_streamId_and_index", (q) => q.eq("streamId", stream._id))
          .collect();
        found.push({
          requestId: stream.requestId,
          chunks: chunks.map((chunk) => ({ text: chunk.text, writtenAt: chunk._creationTime })),
          completionTokens: stream.usage?.completionTokens ?? 0,
        });
      }
      return found;
    });
    send({ kind: "streams", streams });
  })();
});

function send(message: GatewayMessage): void {
  process.send!(message);
}

send({ kind: "ready", origin: gateway.origin });
