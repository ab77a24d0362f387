// `npm run bench -- --providers` (and the last step of `npm run bench`): the gateway's overhead per provider
// kind. Starts the OpenAI fake and the provider-protocol fakes (scripts/fake-upstream/protocols/main.ts), each
// in its own process with the same timing, and a bench gateway seeded with one provider of each kind pointing
// at them (seed.ts, providerSeed). For each kind it compares, interleaved request by request in one run, calling
// the fake directly with the AI SDK provider the gateway itself uses (generateText / streamText) against calling
// the gateway over HTTP in client-tool mode: non-streaming latency and streaming time to first token, p50/p95,
// overhead in ms and the gateway/direct ratio. Bounded: PAIRS rounds per kind (4 requests each), then it stops.
// Prints a table and writes bench-output/providers.json, with how many requests each fake received (4 per round).
import { createAmazonBedrock } from "@ai-sdk/amazon-bedrock";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, jsonSchema, streamText, tool, type LanguageModel } from "ai";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { recordedRequests } from "../fake-upstream/client";
import { startGateway, startUpstream } from "./processes";
import { startProtocolFakes, type ProtocolFakeUrls } from "./protocolFakes";
import { format, table } from "./report";
import { BENCH_KEY, BENCH_PROVIDER_SECRETS, providerAgentSlug, PROVIDER_MODELS, type ProviderKind } from "./seed";
import { percentiles, type Percentiles } from "./stats";
import { timedRequest } from "./timedRequest";

const TIMING = { firstTokenMs: 50, interTokenMs: 10 };
const TOKENS = 10;
/** Rounds per kind; each round sends four requests: direct and gateway, streaming and not. */
const PAIRS = 30;
const WARM_ROUNDS = 2;
const KINDS: ProviderKind[] = ["openai-compatible", "anthropic", "bedrock", "google"];
const OUTPUT = fileURLToPath(new URL("../../bench-output/providers.json", import.meta.url));
// The gateway sends the agent's instructions as the system message; the direct call carries the same text.
const SYSTEM_PROMPT = "You are a benchmark bot.";
const TOOL_SCHEMA = { type: "object", properties: { id: { type: "string" } } } as const;

interface Series {
  direct: { nonStreaming: number[]; firstToken: number[] };
  gateway: { nonStreaming: number[]; firstToken: number[] };
  failures: number;
}

/** The AI SDK model for a kind, pointing at its fake, built as convex/upstream/ builds it. */
function directModel(kind: ProviderKind, urls: ProtocolFakeUrls & { openai: string }): LanguageModel {
  const model = PROVIDER_MODELS[kind];
  if (kind === "anthropic") return createAnthropic({ baseURL: urls.anthropic, apiKey: BENCH_PROVIDER_SECRETS.BENCH_ANTHROPIC_KEY })(model);
  if (kind === "google") return createGoogleGenerativeAI({ baseURL: urls.google, apiKey: BENCH_PROVIDER_SECRETS.BENCH_GOOGLE_KEY })(model);
  if (kind === "bedrock") {
    return createAmazonBedrock({
      region: "us-east-1",
      baseURL: urls.bedrock,
      accessKeyId: BENCH_PROVIDER_SECRETS.BENCH_AWS_ACCESS_KEY_ID,
      secretAccessKey: BENCH_PROVIDER_SECRETS.BENCH_AWS_SECRET_ACCESS_KEY,
    })(model);
  }
  return createOpenAI({ baseURL: urls.openai, apiKey: "sk-bench-upstream" }).chat(model);
}

function fakeUrl(kind: ProviderKind, urls: ProtocolFakeUrls & { openai: string }): string {
  return kind === "openai-compatible" ? urls.openai : urls[kind];
}

/** One direct call through the AI SDK: the whole reply, or the time to its first text delta. */
async function direct(model: LanguageModel, prompt: string, stream: boolean): Promise<number | null> {
  const call = {
    model,
    system: SYSTEM_PROMPT,
    prompt,
    tools: { lookup_order: tool({ inputSchema: jsonSchema(TOOL_SCHEMA) }) },
    maxRetries: 0,
  };
  const started = performance.now();
  try {
    if (!stream) {
      const result = await generateText(call);
      return result.text.length > 0 ? performance.now() - started : null;
    }
    let firstToken: number | null = null;
    for await (const text of streamText({ ...call, onError: () => {} }).textStream) {
      if (text.length > 0) firstToken ??= performance.now() - started;
    }
    return firstToken;
  } catch {
    return null;
  }
}

async function gateway(gatewayUrl: string, kind: ProviderKind, prompt: string, stream: boolean): Promise<number | null> {
  const body = {
    model: providerAgentSlug(kind),
    messages: [{ role: "user", content: prompt }],
    tools: [{ type: "function", function: { name: "lookup_order", parameters: TOOL_SCHEMA } }],
    ...(stream ? { stream: true } : {}),
  };
  const timed = await timedRequest(`${gatewayUrl}/chat/completions`, BENCH_KEY, body);
  if (timed.status !== 200) return null;
  return stream ? timed.firstTokenMs : timed.totalMs;
}

/** `rounds` rounds over every kind, the kinds and the two targets taking turns going first. */
async function measure(gatewayUrl: string, models: Record<ProviderKind, LanguageModel>, rounds: number, label: string): Promise<Record<ProviderKind, Series>> {
  const empty = (): Series => ({ direct: { nonStreaming: [], firstToken: [] }, gateway: { nonStreaming: [], firstToken: [] }, failures: 0 });
  const series = Object.fromEntries(KINDS.map((kind) => [kind, empty()])) as Record<ProviderKind, Series>;
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < KINDS.length; turn++) {
      const kind = KINDS[(round + turn) % KINDS.length]!;
      const prompt = `[[words:${TOKENS}]] ${label} ${kind} ${round}`;
      const order = round % 2 === 0 ? (["direct", "gateway"] as const) : (["gateway", "direct"] as const);
      for (const stream of [false, true]) {
        for (const target of order) {
          const ms = target === "direct" ? await direct(models[kind], prompt, stream) : await gateway(gatewayUrl, kind, prompt, stream);
          if (ms === null) series[kind].failures++;
          else series[kind][target][stream ? "firstToken" : "nonStreaming"].push(ms);
        }
      }
    }
  }
  return series;
}

function rows(series: Record<ProviderKind, Series>) {
  return KINDS.flatMap((kind) =>
    (["nonStreaming", "firstToken"] as const).map((metric) => {
      const directFigures = percentiles(series[kind].direct[metric]);
      const gatewayFigures = percentiles(series[kind].gateway[metric]);
      return {
        kind,
        metric,
        direct: directFigures,
        gateway: gatewayFigures,
        overheadMs: { p50: gatewayFigures.p50 - directFigures.p50, p95: gatewayFigures.p95 - directFigures.p95 },
        ratio: { p50: gatewayFigures.p50 / directFigures.p50, p95: gatewayFigures.p95 / directFigures.p95 },
        failures: series[kind].failures,
      };
    }),
  );
}

const pair = (figures: Percentiles) => `${format(figures.p50)} / ${format(figures.p95)}`;

/** The whole step; `upstreamUrl` reuses a running OpenAI fake (the full bench's), else one is started. */
export async function measureProviderKinds(options: { upstreamUrl?: string; command: string }): Promise<void> {
  const started = Date.now();
  const ownUpstream = options.upstreamUrl ? null : await startUpstream(TIMING);
  const openai = options.upstreamUrl ?? ownUpstream!.url;
  const fakes = await startProtocolFakes(TIMING);
  const loadBefore = loadavg();
  try {
    const urls = { ...fakes.urls, openai };
    const gatewayChild = await startGateway(openai, { providers: fakes.urls });
    try {
      console.log(`providers: fakes ${JSON.stringify(urls)} (${TIMING.firstTokenMs} ms to first token, ${TIMING.interTokenMs} ms per token), gateway ${gatewayChild.url}`);
      const models = Object.fromEntries(KINDS.map((kind) => [kind, directModel(kind, urls)])) as Record<ProviderKind, LanguageModel>;
      await measure(gatewayChild.url, models, WARM_ROUNDS, "warm");
      console.log(`providers: ${PAIRS} rounds per kind (direct and gateway, streaming and not), interleaved`);
      const result = rows(await measure(gatewayChild.url, models, PAIRS, "measure"));
      // What each fake received: both targets' requests of its kind, so a gateway routing a kind elsewhere shows.
      const received = Object.fromEntries(
        await Promise.all(KINDS.map(async (kind) => [kind, (await recordedRequests(fakeUrl(kind, urls), `measure ${kind} `)).length] as const)),
      );
      const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "unknown", memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, loadBefore, loadAfter: loadavg() };
      const output = {
        date: new Date().toISOString(),
        command: options.command,
        machine,
        upstream: { ...TIMING, tokensPerReply: TOKENS, models: PROVIDER_MODELS },
        roundsPerKind: PAIRS,
        upstreamRequests: { expectedPerKind: PAIRS * 4, received },
        mode: "client-tool",
        rows: result,
        durationSeconds: (Date.now() - started) / 1000,
      };
      mkdirSync(dirname(OUTPUT), { recursive: true });
      writeFileSync(OUTPUT, `${JSON.stringify(output, null, 2)}\n`);
      const metricNames = { nonStreaming: "non-streaming", firstToken: "time to first token" };
      console.log(`\nOverhead per provider kind, ms (p50 / p95), ${TOKENS}-token replies, client-tool mode; direct = the AI SDK provider against the fake`);
      console.log(
        table(
          ["kind", "metric", "n", "direct", "gateway", "overhead", "ratio", "failed"],
          result.map((row) => [
            row.kind,
            metricNames[row.metric],
            row.gateway.count,
            pair(row.direct),
            pair(row.gateway),
            `${format(row.overheadMs.p50)} / ${format(row.overheadMs.p95)}`,
            `${row.ratio.p50.toFixed(2)} / ${row.ratio.p95.toFixed(2)}`,
            row.failures,
          ]),
        ),
      );
      console.log(`Requests each fake received (expected ${PAIRS * 4}, direct and gateway): ${KINDS.map((kind) => `${kind} ${received[kind]}`).join(", ")}`);
      console.log(`Load average (1/5/15 min) before ${loadBefore.map((value) => value.toFixed(2)).join(" ")}, after ${machine.loadAfter.map((value) => value.toFixed(2)).join(" ")}`);
      console.log(`Wrote ${OUTPUT} in ${output.durationSeconds.toFixed(0)} s`);
    } finally {
      await gatewayChild.stop();
    }
  } finally {
    await fakes.stop();
    await ownUpstream?.stop();
  }
}
