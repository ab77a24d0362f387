// `npm run bench`: the gateway against the upstream it fronts, side by side in one run. Starts the
// fake upstream with fixed timing and the local gateway, each in its own process, then measures:
// latency (non-streaming, time to first token, stream total; p50/p95/p99) direct and through the
// gateway, interleaved request by request, in client-tool and agent mode at concurrency 1 and 16;
// the Convex function calls before the upstream request; agent mode's relay (write-to-client delay,
// stream writes per 1,000 tokens); the Convex function calls and bytes each request kind costs, and the
// calls of a minute of agent-mode streaming; PII scrubbing per request and in MB/s; 2,000 requests at
// concurrency 32; and the rate limiter's exactness under a burst. Prints one table and writes
// bench-output/bench.json. Every loop is bounded; the whole run takes about seven minutes.
// `npm run bench -- --costs` runs only the latency at concurrency 1, the costs and the relay (about two minutes);
// `npm run bench -- --soak` runs only the soak (soakMain.ts); `npm run bench -- --providers` only the overhead per
// provider kind (providerKinds.ts), which the full run also ends with (bench-output/providers.json).
// Every run but the soak and --providers begins with the overhead against Portkey (overhead.ts: direct, Portkey and
// both modes side by side; throughput at concurrency 8 except in --costs), printed first and stored under
// `overheadAgainstPortkey`; `npm run bench -- --overhead` runs only that (under two minutes).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { measureCell, requestBodies, type CellResult, type Mode } from "./latency";
import { limiterBurst, runLoad } from "./load";
import { measureBegin, measureScrubbing } from "./piiCost";
import { measureProviderKinds } from "./providerKinds";
import { measureOutputScanning, printOutputScanning } from "./outputScanCost";
import { machine, measureOverhead, overheadMain, printOverhead, type OverheadResult } from "./overhead";
import { startGateway, startUpstream, type GatewayChild } from "./processes";
import { measureRelay } from "./relayDelay";
import { measureHotDocuments, measureKinds, measureStreamMinute, type HotDocumentShare, type KindCost, type StreamMinute } from "./functionCalls";
import { ratios, spread, table } from "./report";
import { BENCH_KEY, LIMITED_BUDGET, LIMITED_KEY } from "./seed";
import { percentiles } from "./stats";
import { timedRequest } from "./timedRequest";

const UPSTREAM_TIMING = { firstTokenMs: 50, interTokenMs: 10 };
const TOKENS = 10;
const CELLS: Array<{ concurrency: number; rounds: number }> = [
  { concurrency: 1, rounds: 30 },
  { concurrency: 16, rounds: 4 },
];
const MODES: Mode[] = ["client-tool", "agent"];
const RELAY = { requests: 8, concurrency: 4, tokens: 200 };
const LOAD = { total: 2_000, concurrency: 32, tokens: 5 };
const BURST = { count: 600, windowMarginMs: 25_000 };
const BEGIN_REPEATS = 5;
const COSTS = { requests: 10, streamSeconds: 30 };
/** The hot-document check: many requests of one tenant at once, as issue #11 asks (target: at most about 1/shards). */
const HOT = { requests: 200, concurrency: 8 };
/** Rounds of the side-by-side run against Portkey (overhead.ts); each sends every target two requests. */
const OVERHEAD_ROUNDS = { full: 100, costs: 30 };
const COSTS_ONLY = process.argv.includes("--costs");
const OUTPUT = fileURLToPath(new URL(`../../bench-output/${COSTS_ONLY ? "costs" : "bench"}.json`, import.meta.url));

if (process.argv.includes("--soak")) {
  await (await import("./soakMain")).soak();
  process.exit(0);
}
if (process.argv.includes("--providers")) {
  await measureProviderKinds({ command: "npm run bench -- --providers" });
  process.exit(0);
}
if (process.argv.includes("--overhead")) {
  await overheadMain(OVERHEAD_ROUNDS.full);
  process.exit(0);
}

const started = Date.now();
const log = (text: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${text}`);

const upstream = await startUpstream(UPSTREAM_TIMING);
let gateway: GatewayChild | null = null;
try {
  // First, with its own gateways and Portkey, so the rows the rest of the run stores do not weigh on it.
  log("overhead against Portkey (overhead.ts)");
  const overhead = await measureOverhead({ upstreamUrl: upstream.url, rounds: COSTS_ONLY ? OVERHEAD_ROUNDS.costs : OVERHEAD_ROUNDS.full, throughput: !COSTS_ONLY });
  // Printed at once as well as first in the final report, so a later step's failure does not lose it.
  printOverhead(overhead);
  gateway = await startGateway(upstream.url);
  log(`fake upstream ${upstream.url} (${UPSTREAM_TIMING.firstTokenMs} ms to first token, ${UPSTREAM_TIMING.interTokenMs} ms per token), gateway ${gateway.url}`);
  const targets = { upstreamUrl: upstream.url, gatewayUrl: gateway.url };

  // Warm both paths (JIT, connections, the gateway's first calls) before anything is measured.
  for (const mode of MODES) await measureCell(targets, { mode, concurrency: 2, rounds: 2, tokens: TOKENS });

  const cells: CellResult[] = [];
  for (const { concurrency, rounds } of COSTS_ONLY ? CELLS.slice(0, 1) : CELLS) {
    for (const mode of MODES) {
      log(`latency: ${mode} mode, concurrency ${concurrency}`);
      cells.push(await measureCell(targets, { mode, concurrency, rounds, tokens: TOKENS }));
    }
  }

  log(`costs: ${COSTS.requests} requests of each kind, and one ${COSTS.streamSeconds}-second agent-mode stream`);
  const kinds = await measureKinds(gateway, { requests: COSTS.requests, tokens: TOKENS });
  const minute = await measureStreamMinute(gateway, COSTS.streamSeconds);
  log(`hot documents: ${HOT.requests} requests of one tenant, ${HOT.concurrency} at a time`);
  const hot = await measureHotDocuments(gateway, HOT);
  log(`relay: ${RELAY.requests} agent-mode streams of ${RELAY.tokens} tokens`);
  const relay = await measureRelay(gateway, RELAY);
  if (COSTS_ONLY) {
    reportCosts(overhead, cells, kinds, minute, hot, relay);
  } else {

    // The begin requests first: the two measurements after them hold the event loop for seconds,
    // past the gateway's keep-alive timeout, and a request sent on an idle connection just as the
    // gateway closes it fails ("other side closed").
    log("the begin mutation with PII scrubbing on and off");
    const begin = await measureBegin(gateway.url, BEGIN_REPEATS);
    log("PII scrubbing");
    const scrubbing = measureScrubbing();
    log("output scanning, blocked terms and JSON-aware redaction");
    const outputScanning = measureOutputScanning();

    // A fresh gateway for the load, so the rows the latency runs stored do not weigh on it.
    await gateway.stop();
    gateway = await startGateway(upstream.url);
    log(`load: ${LOAD.total} requests at concurrency ${LOAD.concurrency}`);
    const load = await runLoad({
      baseUrl: gateway.url,
      key: BENCH_KEY,
      total: LOAD.total,
      concurrency: LOAD.concurrency,
      body: (index) => requestBodies(index % 2 === 0 ? "client-tool" : "agent", `[[words:${LOAD.tokens}]] load ${index}`, index % 4 < 2).gateway,
    });
    log(`rate limiter: ${BURST.count} requests at once against ${LIMITED_BUDGET} per minute`);
    const burst = await limiterBurst({
      baseUrl: gateway.url,
      key: LIMITED_KEY,
      budget: LIMITED_BUDGET,
      count: BURST.count,
      body: requestBodies("client-tool", "[[words:1]] burst", false).gateway,
      windowMarginMs: BURST.windowMarginMs,
    });
    // One more request shows the gateway still answers after all that.
    const after = await timedRequest(`${gateway.url}/chat/completions`, BENCH_KEY, requestBodies("agent", "[[words:3]] after", false).gateway);

    report({ overhead, cells, kinds, minute, hot, relay, scrubbing, outputScanning, begin, load, burst, healthyAfterLoad: after.status === 200 });
    // Last, with its own gateway and the provider-protocol fakes: the overhead per provider kind (bench-output/providers.json).
    await gateway.stop();
    log("overhead per provider kind");
    await measureProviderKinds({ upstreamUrl: upstream.url, command: "npm run bench" });
  }
} finally {
  await gateway?.stop();
  await upstream.stop();
}

function report(results: {
  overhead: OverheadResult;
  cells: CellResult[];
  kinds: KindCost[];
  minute: StreamMinute;
  hot: HotDocumentShare;
  relay: Awaited<ReturnType<typeof measureRelay>>;
  scrubbing: ReturnType<typeof measureScrubbing>;
  outputScanning: ReturnType<typeof measureOutputScanning>;
  begin: Awaited<ReturnType<typeof measureBegin>>;
  load: Awaited<ReturnType<typeof runLoad>>;
  burst: Awaited<ReturnType<typeof limiterBurst>>;
  healthyAfterLoad: boolean;
}): void {
  const { overhead, cells, kinds, minute, hot, relay, scrubbing, outputScanning, begin, load, burst } = results;
  const latency = latencyRows(cells);
  const calls = Object.fromEntries(MODES.map((mode) => [mode, [...new Set(cells.filter((cell) => cell.mode === mode).flatMap((cell) => cell.callsBeforeUpstream))]]));
  const relayDelay = percentiles(relay.delays);
  const output = {
    date: new Date().toISOString(),
    command: "npm run bench",
    machine: machine(),
    upstream: { ...UPSTREAM_TIMING, tokensPerReply: TOKENS },
    overheadAgainstPortkey: overhead,
    latency,
    failures: cells.reduce((sum, cell) => sum + cell.failures, 0),
    callsBeforeUpstream: calls,
    costPerRequest: kinds,
    agentStreamMinute: minute,
    hotDocuments: hot,
    beginMs: Object.fromEntries(cells.map((cell) => [`${cell.mode} c${cell.concurrency}`, percentiles(cell.auth)])),
    relay: { requests: relay.requests, tokens: relay.tokens, writes: relay.writes, writesPerThousandTokens: relay.writesPerThousandTokens, writeToClientMs: relayDelay },
    piiScrubbing: scrubbing,
    outputScanning,
    beginWithTranscript: begin,
    load: { ...LOAD, statuses: load.statuses, failures: load.failures.slice(0, 20), elapsedMs: load.elapsedMs, requestsPerSecond: load.requestsPerSecond, healthyAfter: results.healthyAfterLoad },
    rateLimiter: { budget: LIMITED_BUDGET, ...BURST, ...burst },
    durationSeconds: (Date.now() - started) / 1000,
  };
  mkdirSync(dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, `${JSON.stringify(output, null, 2)}\n`);

  printOverhead(overhead);
  printLatency(latency);
  printCosts(kinds, minute, hot);
  console.log(`\nConvex function calls before the upstream request (Server-Timing calls-before-upstream): ${MODES.map((mode) => `${mode} ${calls[mode]!.join(",")}`).join("; ")}`);
  console.log(`Failed requests in the latency runs: ${output.failures}`);
  printRelay(relay);
  console.log("\nPII scrubbing (redactTranscript over realistic chat text)");
  console.log(table(["transcript", "runs", "ms per request", "MB/s"], scrubbing.map((row) => [row.label, row.runs, row.milliseconds, row.megabytesPerSecond])));
  printOutputScanning(outputScanning);
  console.log("\nThe begin mutation (Server-Timing auth, median ms) for a request carrying the transcript");
  console.log(table(["transcript", "scrubbing on", "scrubbing off"], begin.map((row) => [row.label, row.withScrubbingMs, row.withoutScrubbingMs])));
  console.log(
    `\nLoad: ${LOAD.total} requests at concurrency ${LOAD.concurrency}: ${JSON.stringify(load.statuses)} in ${(load.elapsedMs / 1000).toFixed(1)} s ` +
      `(${load.requestsPerSecond.toFixed(0)} requests/s), ${load.incomplete} incomplete; gateway healthy after: ${results.healthyAfterLoad}`,
  );
  console.log(
    `Rate limiter: ${BURST.count} requests at once, budget ${LIMITED_BUDGET}/min (${burst.expectedAdmitted} left in the window): ` +
      `${burst.admitted} admitted, ${burst.limited} x 429, other ${JSON.stringify(burst.other)}; window ends spread ${burst.windowSpreadMs} ms`,
  );
  console.log(`\nWrote ${OUTPUT} in ${output.durationSeconds.toFixed(0)} s`);
}

function latencyRows(cells: CellResult[]) {
  return cells.flatMap((cell) =>
    (["nonStreaming", "firstToken", "streamTotal"] as const).map((metric) => {
      const direct = percentiles(cell.direct[metric]);
      const gateway = percentiles(cell.gateway[metric]);
      return { mode: cell.mode, concurrency: cell.concurrency, metric, direct, gateway, addedMsP50: gateway.p50 - direct.p50, ratio: { p50: gateway.p50 / direct.p50, p95: gateway.p95 / direct.p95, p99: gateway.p99 / direct.p99 } };
    }),
  );
}

function printLatency(latency: ReturnType<typeof latencyRows>): void {
  const metricNames = { nonStreaming: "non-streaming", firstToken: "time to first token", streamTotal: "stream total" };
  console.log(`\nLatency, ms (p50 / p95 / p99), ${TOKENS}-token replies; gateway/direct ratios`);
  console.log(
    table(
      ["mode", "conc", "metric", "n", "direct", "gateway", "ratio", "added p50"],
      latency.map((row) => [row.mode, row.concurrency, metricNames[row.metric], row.gateway.count, spread(row.direct), spread(row.gateway), ratios(row.gateway, row.direct), row.addedMsP50]),
    ),
  );
}

function printCosts(kinds: KindCost[], minute: StreamMinute, hot: HotDocumentShare): void {
  console.log(`\nConvex function calls and data per request (${TOKENS}-token replies; app calls, then the rate limiter component's)`);
  console.log(
    table(
      ["request kind", "calls", "queries", "mutations", "actions", "HTTP", "component calls", "docs read", "KB read", "docs written", "KB written"],
      kinds.map((row) => [row.kind, row.calls, row.byKind.query, row.byKind.mutation, row.byKind.action, row.byKind.httpAction, row.componentCalls, row.documentsRead, row.bytesRead / 1024, row.documentsWritten, row.bytesWritten / 1024]),
    ),
  );
  console.log(
    `Agent-mode stream of ${minute.seconds.toFixed(1)} s: ${minute.calls} app calls, ${minute.callsPerMinute.toFixed(0)} per stream-minute ` +
      `(stream writes ${minute.writesPerMinute.toFixed(0)}/min, relay polls ${minute.pollsPerMinute.toFixed(0)}/min)`,
  );
  console.log(
    `Hot documents: over ${hot.requests} requests of one tenant (${hot.concurrency} at a time, both modes), ` +
      `the most-written document was written by ${(hot.largestShare * 100).toFixed(1)}% of them`,
  );
}

/** `--costs`: the concurrency-1 latency, the costs and the relay only. */
function reportCosts(overhead: OverheadResult, cells: CellResult[], kinds: KindCost[], minute: StreamMinute, hot: HotDocumentShare, relay: Awaited<ReturnType<typeof measureRelay>>): void {
  const latency = latencyRows(cells);
  const relayDelay = percentiles(relay.delays);
  const relayFigures = { requests: relay.requests, tokens: relay.tokens, writes: relay.writes, writesPerThousandTokens: relay.writesPerThousandTokens, writeToClientMs: relayDelay };
  mkdirSync(dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, `${JSON.stringify({ date: new Date().toISOString(), command: "npm run bench -- --costs", machine: machine(), overheadAgainstPortkey: overhead, latency, costPerRequest: kinds, agentStreamMinute: minute, hotDocuments: hot, relay: relayFigures }, null, 2)}\n`);
  printOverhead(overhead);
  printLatency(latency);
  printCosts(kinds, minute, hot);
  printRelay(relay);
  console.log(`\nWrote ${OUTPUT} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function printRelay(relay: Awaited<ReturnType<typeof measureRelay>>): void {
  const delay = percentiles(relay.delays);
  console.log(
    `\nAgent-mode relay: write-to-client p50 ${delay.p50.toFixed(0)} ms, p95 ${delay.p95.toFixed(0)} ms, p99 ${delay.p99.toFixed(0)} ms over ${relay.writes} writes; ` +
      `${relay.writesPerThousandTokens.toFixed(0)} stream writes per 1,000 tokens (${relay.tokens} tokens)`,
  );
}
