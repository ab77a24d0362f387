// `npm run bench:profile`: where the gateway's time goes, per request, at concurrency 1. Starts the fake
// upstream (50 ms to first token, 10 ms per token) and a local gateway that profiles itself
// (profiledGateway.ts); per mode, warms up, then profiles PROFILED_REQUESTS requests sent one at a time
// (alternately non-streaming and streaming, 10-token replies). With nothing else in flight, the busy time
// in the profile is the gateway's work for those requests; attribution.ts charges it to its owners, and
// the part outside the upstream's generations (profiledGateway.ts notes them) is what the client waits
// for. Prints ms per request by owner, both ways, and this project's costliest functions, and writes
// bench-output/profile.json and bench-output/profile-<mode>.cpuprofile (open them in Chrome DevTools or
// speedscope for a flame graph). About a minute.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { requestBodies, type Mode } from "../latency";
import { ipcQuestions, startUpstream } from "../processes";
import { table } from "../report";
import { BENCH_KEY } from "../seed";
import { timedRequest } from "../timedRequest";
import { attribute, OWNERS, type CpuProfile, type Interval } from "./attribution";
import type { ProfilerMessage, ProfilerRequest } from "./profiledGateway";

const MODES: Mode[] = ["client-tool", "agent"];

interface ModeProfile {
  mode: Mode;
  requests: number;
  busyMsPerRequest: number;
  msPerRequestByOwner: Record<string, number>;
  /** Outside the upstream's generations: the work the client waits for. */
  onPathMsPerRequest: number;
  onPathMsPerRequestByOwner: Record<string, number>;
  projectFunctions: Array<{ name: string; msPerRequest: number }>;
}
const WARM_REQUESTS = 30;
const PROFILED_REQUESTS = 200;
const TOKENS = 10;
const TOP_FUNCTIONS = 12;
const OUTPUT_DIRECTORY = fileURLToPath(new URL("../../../bench-output/", import.meta.url));
const gatewayMain = fileURLToPath(new URL("./profiledGateway.ts", import.meta.url));

mkdirSync(OUTPUT_DIRECTORY, { recursive: true });
const loadBefore = loadavg()[0]!;
const upstream = await startUpstream({ firstTokenMs: 50, interTokenMs: 10 });
const child = spawn(process.execPath, ["--import", "tsx", gatewayMain], {
  stdio: ["ignore", "inherit", "inherit", "ipc"],
  env: { ...process.env, OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: "sk-bench-upstream" },
});
const { next, ask } = ipcQuestions<ProfilerMessage, ProfilerRequest>(child, "the profiled gateway");

try {
  const { origin } = await next("ready");
  const results: ModeProfile[] = [];
  for (const mode of MODES) {
    const send = async (index: number, label: string) => {
      const body = requestBodies(mode, `[[words:${TOKENS}]] profile ${label} ${index}`, index % 2 === 1).gateway;
      const timed = await timedRequest(`${origin}/api/v1/chat/completions`, BENCH_KEY, body);
      if (timed.status !== 200) throw new Error(`a profiled request got ${timed.status}`);
    };
    for (let index = 0; index < WARM_REQUESTS; index++) await send(index, "warm");
    await ask({ kind: "start" }, "started");
    for (let index = 0; index < PROFILED_REQUESTS; index++) await send(index, mode);
    const { file } = await ask({ kind: "stop", file: `${OUTPUT_DIRECTORY}profile-${mode}.cpuprofile` }, "stopped");
    const upstreamCalls = JSON.parse(readFileSync(`${file}.upstream.json`, "utf8")) as Interval[];
    const attribution = attribute(JSON.parse(readFileSync(file, "utf8")) as CpuProfile, upstreamCalls);
    const perRequest = (ms: number) => ms / PROFILED_REQUESTS;
    results.push({
      mode,
      requests: PROFILED_REQUESTS,
      busyMsPerRequest: perRequest(attribution.busyMs),
      msPerRequestByOwner: Object.fromEntries(OWNERS.map((owner) => [owner, perRequest(attribution.byOwner[owner])])),
      onPathMsPerRequest: perRequest(attribution.onPath.busyMs),
      onPathMsPerRequestByOwner: Object.fromEntries(OWNERS.map((owner) => [owner, perRequest(attribution.onPath.byOwner[owner])])),
      projectFunctions: attribution.projectFunctions.slice(0, TOP_FUNCTIONS).map(({ name, ms }) => ({ name, msPerRequest: perRequest(ms) })),
    });
  }
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "unknown", memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
  const output = { date: new Date().toISOString(), command: "npm run bench:profile", machine, loadAverage: { before: loadBefore, after: loadavg()[0]! }, tokensPerReply: TOKENS, results };
  writeFileSync(`${OUTPUT_DIRECTORY}profile.json`, `${JSON.stringify(output, null, 2)}\n`);

  console.log(`\nBusy CPU per request at concurrency 1, ms (${PROFILED_REQUESTS} requests per mode, half streaming; idle time left out):`);
  console.log("all of it, and the part outside the upstream's generations (the client waits for it)");
  const modeColumns = MODES.flatMap((mode) => [`${mode}, all`, `${mode}, waited for`]);
  const row = (owner: string) => [
    owner,
    ...results.flatMap((result) =>
      owner === "total" ? [result.busyMsPerRequest, result.onPathMsPerRequest] : [result.msPerRequestByOwner[owner]!, result.onPathMsPerRequestByOwner[owner]!],
    ),
  ];
  console.log(table(["owner", ...modeColumns], [...OWNERS, "total"].map(row)));
  for (const result of results) {
    console.log(`\nThis project's costliest functions, ${result.mode} mode (ms per request, with the Node internals they called)`);
    console.log(table(["function", "ms"], result.projectFunctions.map(({ name, msPerRequest }) => [name, msPerRequest])));
  }
  console.log(`\nWrote ${OUTPUT_DIRECTORY}profile.json and the .cpuprofile files beside it (load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after)`);
} finally {
  child.kill("SIGTERM");
  await upstream.stop();
}
