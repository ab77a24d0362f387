// The headline of issue #14: this gateway's overhead beside Portkey's, in one run against the same fake upstream.
// Four targets: the fake directly, Portkey in front of it (portkey.ts), and this gateway in client-tool and in
// agent mode. At concurrency 1 they take turns request by request (roundOrder: each target in each position equally
// often), non-streaming then streaming, so all four see the same machine at the same moment; the figures are
// non-streaming latency and time to first token, p50/p95, and each target's overhead over direct in ms and as a
// ratio. Then throughput at concurrency 8: a fixed number of non-streaming requests to each target in turn (a
// fresh gateway per mode, so one mode's stored rows do not slow the other). Every loop is bounded by a count.
// `npm run bench -- --overhead` runs only this (overheadMain: bench-output/overhead.json); `npm run bench` and
// `--costs` run it first and put it in their JSON under `overheadAgainstPortkey`.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { requestBodies, type Mode } from "./latency";
import { runLoad } from "./load";
import { portkeyHeaders, portkeyVersion, startPortkey } from "./portkey";
import { startGateway, startUpstream, type Child } from "./processes";
import { format, table } from "./report";
import { BENCH_KEY } from "./seed";
import { percentiles, type Percentiles } from "./stats";
import { timedRequest } from "./timedRequest";

export type Target = "direct" | "portkey" | "client-tool" | "agent";
export const TARGETS: Target[] = ["direct", "portkey", "client-tool", "agent"];
type Metric = "nonStreaming" | "firstToken";
const METRICS: Metric[] = ["nonStreaming", "firstToken"];

/** The fake's timing when overheadMain starts its own (the full bench's is the same). */
const TIMING = { firstTokenMs: 50, interTokenMs: 10 };
/** Words per reply: about 60 ms per reply from the fake, as in the issue's own run. */
export const REPLY_TOKENS = 2;
/** Unrecorded rounds first: JIT, connections, the gateway's first calls. */
const WARM_ROUNDS = 5;
export const THROUGHPUT = { requests: 400, concurrency: 8, warmRequests: 16 };
const UPSTREAM_KEY = "sk-bench-upstream";
const OUTPUT = fileURLToPath(new URL("../../bench-output/overhead.json", import.meta.url));

/** How one target is called: its base URL (…/v1), key, extra headers and body for a prompt. */
export interface Endpoint {
  url: string;
  key: string;
  headers: Record<string, string>;
  body: (prompt: string, stream: boolean) => object;
}

/** This gateway in one mode. */
export function gatewayEndpoint(gatewayUrl: string, mode: Mode): Endpoint {
  return { url: gatewayUrl, key: BENCH_KEY, headers: {}, body: (prompt, stream) => requestBodies(mode, prompt, stream).gateway };
}

export function endpoints(urls: { upstream: string; portkey: string; gateway: string }): Record<Target, Endpoint> {
  // Direct and Portkey send what the gateway sends upstream in client-tool mode (its system prompt and the tool).
  const upstreamBody = (prompt: string, stream: boolean) => requestBodies("client-tool", prompt, stream).direct;
  return {
    direct: { url: urls.upstream, key: UPSTREAM_KEY, headers: {}, body: upstreamBody },
    portkey: { url: urls.portkey, key: UPSTREAM_KEY, headers: portkeyHeaders(urls.upstream), body: upstreamBody },
    "client-tool": gatewayEndpoint(urls.gateway, "client-tool"),
    agent: gatewayEndpoint(urls.gateway, "agent"),
  };
}

/**
 * The order of the targets in round `round`: rotated by one every second round and reversed every other round,
 * so over each 8 rounds every target sends first, second, third and last twice, after each other target.
 */
export function roundOrder(round: number): Target[] {
  const shift = Math.floor(round / 2) % TARGETS.length;
  const rotated = [...TARGETS.slice(shift), ...TARGETS.slice(0, shift)];
  return round % 2 === 0 ? rotated : rotated.reverse();
}

export type Samples = Record<Target, { nonStreaming: number[]; firstToken: number[]; failures: number }>;

export function emptySamples(): Samples {
  return Object.fromEntries(TARGETS.map((target) => [target, { nonStreaming: [], firstToken: [], failures: 0 }])) as unknown as Samples;
}

export interface OverheadRow {
  target: Target;
  metric: Metric;
  figures: Percentiles;
  /** Over direct's figure of the same percentile, in ms (0 for direct). */
  overheadMs: { p50: number; p95: number };
  /** This target's figure over direct's (1 for direct). */
  ratio: { p50: number; p95: number };
}

/** The headline rows: per metric, every target against direct. */
export function overheadRows(samples: Samples): OverheadRow[] {
  return METRICS.flatMap((metric) => {
    const direct = percentiles(samples.direct[metric]);
    return TARGETS.map((target) => {
      const figures = percentiles(samples[target][metric]);
      return {
        target,
        metric,
        figures,
        overheadMs: { p50: figures.p50 - direct.p50, p95: figures.p95 - direct.p95 },
        ratio: { p50: figures.p50 / direct.p50, p95: figures.p95 / direct.p95 },
      };
    });
  });
}

export interface ThroughputRow {
  target: "upstream alone" | Exclude<Target, "direct">;
  requests: number;
  /** Answered 200. */
  ok: number;
  failed: number;
  elapsedMs: number;
  /** 200s per second of the whole run. */
  requestsPerSecond: number;
}

/** A throughput run's statuses and duration as a row: only 200s count as served. */
export function throughputRow(target: ThroughputRow["target"], statuses: Record<number, number>, elapsedMs: number): ThroughputRow {
  const requests = Object.values(statuses).reduce((sum, count) => sum + count, 0);
  const ok = statuses[200] ?? 0;
  return { target, requests, ok, failed: requests - ok, elapsedMs, requestsPerSecond: ok / (elapsedMs / 1000) };
}

export interface OverheadResult {
  portkeyVersion: string;
  replyTokens: number;
  rounds: number;
  concurrency: 1;
  rows: OverheadRow[];
  failures: Record<Target, number>;
  throughput: { concurrency: number; requestsPerTarget: number; rows: ThroughputRow[] } | null;
  loadAverage: { before: number[]; after: number[] };
  durationSeconds: number;
}

async function sideBySide(targets: Record<Target, Endpoint>, rounds: number, label: string): Promise<Samples> {
  const samples = emptySamples();
  for (let round = 0; round < rounds; round++) {
    const prompt = `[[words:${REPLY_TOKENS}]] overhead ${label} ${round}`;
    for (const stream of [false, true]) {
      for (const target of roundOrder(round)) {
        const endpoint = targets[target];
        const timed = await timedRequest(`${endpoint.url}/chat/completions`, endpoint.key, endpoint.body(prompt, stream), endpoint.headers);
        const series = samples[target];
        if (timed.status !== 200 || (stream && timed.firstTokenMs === null)) series.failures++;
        else if (stream) series.firstToken.push(timed.firstTokenMs!);
        else series.nonStreaming.push(timed.totalMs);
      }
    }
  }
  return samples;
}

async function throughputOf(target: ThroughputRow["target"], endpoint: Endpoint, requests: number): Promise<ThroughputRow> {
  const result = await runLoad({
    baseUrl: endpoint.url,
    key: endpoint.key,
    headers: endpoint.headers,
    total: requests,
    concurrency: THROUGHPUT.concurrency,
    body: (index) => endpoint.body(`[[words:${REPLY_TOKENS}]] throughput ${target} ${index}`, false),
  });
  return throughputRow(target, result.statuses, result.elapsedMs);
}

/** The gateway modes' throughput, each on a fresh gateway warmed by a few requests first. */
async function gatewayThroughput(upstreamUrl: string, mode: Mode): Promise<ThroughputRow> {
  const gateway = await startGateway(upstreamUrl);
  try {
    const endpoint = gatewayEndpoint(gateway.url, mode);
    await throughputOf(mode, endpoint, THROUGHPUT.warmRequests);
    return await throughputOf(mode, endpoint, THROUGHPUT.requests);
  } finally {
    await gateway.stop();
  }
}

/** The whole step against a running fake upstream; starts and stops Portkey and the gateways it uses. */
export async function measureOverhead(options: { upstreamUrl: string; rounds: number; throughput: boolean }): Promise<OverheadResult> {
  const started = Date.now();
  const before = loadavg();
  let portkey: Child | null = null;
  let gateway: Child | null = null;
  try {
    portkey = await startPortkey();
    gateway = await startGateway(options.upstreamUrl);
    const targets = endpoints({ upstream: options.upstreamUrl, portkey: portkey.url, gateway: gateway.url });
    console.log(`overhead: Portkey ${portkey.url}, gateway ${gateway.url}; ${WARM_ROUNDS} warm-up rounds, then ${options.rounds} rounds of ${TARGETS.join(", ")}`);
    await sideBySide(targets, WARM_ROUNDS, "warm");
    const samples = await sideBySide(targets, options.rounds, "measure");
    await gateway.stop();
    gateway = null;

    let throughput: OverheadResult["throughput"] = null;
    if (options.throughput) {
      console.log(`overhead: throughput, ${THROUGHPUT.requests} non-streaming requests per target at concurrency ${THROUGHPUT.concurrency}`);
      const rows = [await throughputOf("upstream alone", targets.direct, THROUGHPUT.requests), await throughputOf("portkey", targets.portkey, THROUGHPUT.requests)];
      for (const mode of ["client-tool", "agent"] as const) rows.push(await gatewayThroughput(options.upstreamUrl, mode));
      throughput = { concurrency: THROUGHPUT.concurrency, requestsPerTarget: THROUGHPUT.requests, rows };
    }
    return {
      portkeyVersion: portkeyVersion(),
      replyTokens: REPLY_TOKENS,
      rounds: options.rounds,
      concurrency: 1,
      rows: overheadRows(samples),
      failures: Object.fromEntries(TARGETS.map((target) => [target, samples[target].failures])) as Record<Target, number>,
      throughput,
      loadAverage: { before, after: loadavg() },
      durationSeconds: (Date.now() - started) / 1000,
    };
  } finally {
    await gateway?.stop();
    await portkey?.stop();
  }
}

export function machine() {
  return { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "unknown", memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform };
}

export function printOverhead(result: OverheadResult): void {
  const metricNames: Record<Metric, string> = { nonStreaming: "non-streaming", firstToken: "time to first token" };
  const pair = (p50: number, p95: number, digits?: number) => (digits === undefined ? `${format(p50)} / ${format(p95)}` : `${p50.toFixed(digits)} / ${p95.toFixed(digits)}`);
  console.log(
    `\nOverhead against Portkey ${result.portkeyVersion}, ms (p50 / p95): ${result.rounds} rounds at concurrency 1, the four targets interleaved ` +
      `request by request; ${result.replyTokens}-token replies`,
  );
  console.log(
    table(
      ["target", "metric", "n", "latency", "overhead", "ratio"],
      result.rows.map((row) => [
        row.target,
        metricNames[row.metric],
        row.figures.count,
        pair(row.figures.p50, row.figures.p95),
        row.target === "direct" ? "-" : pair(row.overheadMs.p50, row.overheadMs.p95, 1),
        row.target === "direct" ? "-" : pair(row.ratio.p50, row.ratio.p95, 2),
      ]),
    ),
  );
  console.log(`Failed requests: ${TARGETS.map((target) => `${target} ${result.failures[target]}`).join(", ")}`);
  if (result.throughput) {
    const upstream = result.throughput.rows.find((row) => row.target === "upstream alone")!;
    console.log(`\nThroughput at concurrency ${result.throughput.concurrency}, ${result.throughput.requestsPerTarget} non-streaming requests per target (a fresh gateway per mode)`);
    console.log(
      table(
        ["target", "requests", "ok", "failed", "seconds", "requests/s", "of upstream's"],
        result.throughput.rows.map((row) => [row.target, row.requests, row.ok, row.failed, row.elapsedMs / 1000, row.requestsPerSecond, `${((row.requestsPerSecond / upstream.requestsPerSecond) * 100).toFixed(0)}%`]),
      ),
    );
  }
  console.log(`Load average (1/5/15 min) before ${result.loadAverage.before.map((value) => value.toFixed(2)).join(" ")}, after ${result.loadAverage.after.map((value) => value.toFixed(2)).join(" ")}`);
}

/** `npm run bench -- --overhead`: its own fake upstream, the side-by-side run and the throughput; bench-output/overhead.json. */
export async function overheadMain(rounds: number): Promise<void> {
  const upstream = await startUpstream(TIMING);
  try {
    const result = await measureOverhead({ upstreamUrl: upstream.url, rounds, throughput: true });
    const output = { date: new Date().toISOString(), command: "npm run bench -- --overhead", machine: machine(), upstream: { ...TIMING }, overheadAgainstPortkey: result };
    mkdirSync(dirname(OUTPUT), { recursive: true });
    writeFileSync(OUTPUT, `${JSON.stringify(output, null, 2)}\n`);
    printOverhead(result);
    const { cpus: count, cpuModel, memoryGb, node } = output.machine;
    console.log(`Machine: ${count} x ${cpuModel}, ${memoryGb} GB, Node ${node}. Wrote ${OUTPUT} in ${result.durationSeconds.toFixed(0)} s`);
  } finally {
    await upstream.stop();
  }
}
