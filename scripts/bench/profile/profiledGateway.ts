// The local gateway with the bench seed in a child process that profiles itself on request: the
// parent sends "start", then "stop" with a file path, and gets the path back once the V8 CPU profile
// (sampled every SAMPLING_INTERVAL_US) is written there. The profiler runs in-process through
// node:inspector, so only the requests between the two messages are in the profile. It also notes, on
// the profile's clock, when each upstream call was in flight (from the call to the end of its body),
// which is when the gateway's own work delays nobody; the intervals are written beside the profile.
import { writeFileSync } from "node:fs";
import type { Interval } from "./attribution";
import { Session } from "node:inspector/promises";
import { startLocalGateway } from "../../local-gateway/gateway";
import { BENCH_SEED } from "../seed";

const SAMPLING_INTERVAL_US = 250;

export type ProfilerRequest = { kind: "start" } | { kind: "stop"; file: string };
export type ProfilerMessage = { kind: "ready"; origin: string } | { kind: "started" } | { kind: "stopped"; file: string };

/** The profile's clock: V8's CPU profiles and process.hrtime both read CLOCK_MONOTONIC. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
const upstreamOrigin = new URL(process.env.OPENAI_BASE_URL!).origin;
const inFlight: Interval[] = [];
const fetchUpstream = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (!url.startsWith(upstreamOrigin)) return fetchUpstream(input, init);
  const start = nowUs();
  const response = await fetchUpstream(input, init);
  if (response.body === null) {
    inFlight.push([start, nowUs()]);
    return response;
  }
  // A body cancelled before its end leaves no interval: its samples count as the client's wait.
  const body = response.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ flush: () => void inFlight.push([start, nowUs()]) }));
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
};

const gateway = await startLocalGateway({ port: 0, seed: BENCH_SEED });
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });

process.on("message", (request: ProfilerRequest) => {
  void (async () => {
    if (request.kind === "start") {
      inFlight.length = 0;
      await session.post("Profiler.start");
      return send({ kind: "started" });
    }
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(request.file, JSON.stringify(profile));
    writeFileSync(`${request.file}.upstream.json`, JSON.stringify(inFlight));
    send({ kind: "stopped", file: request.file });
  })();
});

function send(message: ProfilerMessage): void {
  process.send!(message);
}

send({ kind: "ready", origin: gateway.origin });
