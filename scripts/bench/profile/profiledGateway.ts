// The local gateway with the bench seed in a child process that profiles itself on request: the
// parent sends "start", then "stop" with a file path, and gets the path back once the V8 CPU profile
// (sampled every SAMPLING_INTERVAL_US) is written there. The profiler runs in-process through
// node:inspector, so only the requests between the two messages are in the profile.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { startLocalGateway } from "../../local-gateway/gateway";
import { BENCH_SEED } from "../seed";

const SAMPLING_INTERVAL_US = 250;

export type ProfilerRequest = { kind: "start" } | { kind: "stop"; file: string };
export type ProfilerMessage = { kind: "ready"; origin: string } | { kind: "started" } | { kind: "stopped"; file: string };

const gateway = await startLocalGateway({ port: 0, seed: BENCH_SEED });
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });

process.on("message", (request: ProfilerRequest) => {
  void (async () => {
    if (request.kind === "start") {
      await session.post("Profiler.start");
      return send({ kind: "started" });
    }
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(request.file, JSON.stringify(profile));
    send({ kind: "stopped", file: request.file });
  })();
});

function send(message: ProfilerMessage): void {
  process.send!(message);
}

send({ kind: "ready", origin: gateway.origin });
