// The bench's gateway, in its own process so its CPU work never delays the bench's clocks or the fake
// upstream's: the local gateway (the real convex/ functions on convex-test) with the bench seed. It
// reports its origin over IPC and answers one question the HTTP API cannot: when each chunk of an
// agent-mode stream was written, for the relay's write-to-client delay.
import { startLocalGateway } from "../local-gateway/gateway";
import { BENCH_SEED } from "./seed";

export interface WrittenStream {
  requestId: string;
  /** The stream's chunks in order, each with its write time (epoch ms, the row's _creationTime). */
  chunks: Array<{ text: string; writtenAt: number }>;
  completionTokens: number;
}

export type GatewayRequest = { kind: "streams"; requestIds: string[] };
export type GatewayMessage = { kind: "ready"; origin: string } | { kind: "streams"; streams: WrittenStream[] };

const gateway = await startLocalGateway({ port: 0, seed: BENCH_SEED });

process.on("message", (request: GatewayRequest) => {
  void (async () => {
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
    process.send!({ kind: "streams", streams } satisfies GatewayMessage);
  })();
});

process.send!({ kind: "ready", origin: gateway.origin } satisfies GatewayMessage);
