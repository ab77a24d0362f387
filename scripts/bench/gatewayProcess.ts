// The bench's gateway, in its own process so its CPU work never delays the bench's clocks or the fake
// upstream's: the local gateway (the real convex/ functions on convex-test) with the bench seed. It
// reports its origin over IPC and answers what the HTTP API cannot: when each chunk of an agent-mode
// stream was written (the relay's write-to-client delay), and what the Convex function calls since a
// mark cost (the meter of convex/testing/convexLimits/). With BENCH_MAINTAIN_EVERY_MS set (the soak),
// it runs the retention cron's job that often, as a deployment's cron would run it hourly.
import { startLocalGateway } from "../local-gateway/gateway";
import { usage, type Usage } from "../../convex/testing/convexLimits/convexLimits.testing";
import { internal } from "../../convex/_generated/api";
import { BENCH_SEED, SOAK_SEED } from "./seed";

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
}

export type GatewayRequest = { kind: "streams"; requestIds: string[] } | { kind: "mark" } | { kind: "usage"; since: number };
export type GatewayMessage =
  | { kind: "ready"; origin: string }
  | { kind: "streams"; streams: WrittenStream[] }
  | { kind: "mark"; mark: number }
  | { kind: "usage"; usage: MeteredUsage };

const maintainEveryMs = Number(process.env.BENCH_MAINTAIN_EVERY_MS ?? 0);
/** Finished scheduled-function records kept this long (a deployment keeps them 7 days, but never scans them). */
const FINISHED_JOBS_KEPT_MS = 60_000;
const gateway = await startLocalGateway({ port: 0, seed: maintainEveryMs > 0 ? SOAK_SEED : BENCH_SEED });
if (maintainEveryMs > 0) {
  const maintain = setInterval(() => void maintenance().catch(() => undefined), maintainEveryMs);
  maintain.unref();
}

/**
 * The soak's maintenance, every BENCH_MAINTAIN_EVERY_MS: the retention cron's job (model/retention:sweep),
 * and what a deployment does by itself: finished scheduled-function records are dropped. convex-test
 * keeps them for ever and scans every stored document, system ones included, on each query.
 */
async function maintenance(): Promise<void> {
  await gateway.convex.mutation(internal.model.retention.sweep, { cursor: null });
  await gateway.convex.run(async (ctx) => {
    const before = Date.now() - FINISHED_JOBS_KEPT_MS;
    // Convex functions cannot delete system rows; convex-test's `t.run` can, which is what this stands in for.
    const store = ctx.db as unknown as { delete(id: string): Promise<void> };
    for (const job of await ctx.db.system.query("_scheduled_functions").collect()) {
      // A cancelled job is finished however far ahead it was scheduled (a run's 11-minute expiry check).
      const finished = job.state.kind === "canceled" || ((job.state.kind === "success" || job.state.kind === "failed") && (job.completedTime ?? job.scheduledTime) < before);
      if (finished) await store.delete(job._id);
    }
  });
}

process.on("message", (request: GatewayRequest) => {
  void (async () => {
    if (request.kind === "mark") return send({ kind: "mark", mark: gateway.meter.mark() });
    if (request.kind === "usage") {
      const calls = gateway.meter.since(request.since);
      const byPath: Record<string, number> = {};
      for (const call of calls) byPath[call.path] = (byPath[call.path] ?? 0) + 1;
      return send({
        kind: "usage",
        usage: { app: usage(calls.filter((call) => call.component === "")), components: usage(calls.filter((call) => call.component !== "")), byPath },
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
