// Gateway against direct, side by side: the same request sent straight to the upstream and through the
// gateway, alternating between the two (and between streaming and not) request by request, so both
// see the same machine at the same moment. One cell is one mode at one concurrency.
import { BENCH_KEY, BENCH_MODEL, UPSTREAM_MODEL } from "./seed";
import { timedRequest, type Timed } from "./timedRequest";

export type Mode = "client-tool" | "agent";

export interface Targets {
  /** The upstream's base URL, ending in /v1. */
  upstreamUrl: string;
  /** The gateway's base URL, ending in /api/v1. */
  gatewayUrl: string;
}

export interface CellOptions {
  mode: Mode;
  concurrency: number;
  /** Rounds per worker; each round sends four requests: direct and gateway, streaming and not. */
  rounds: number;
  /** Tokens in each reply. */
  tokens: number;
}

export interface Series {
  nonStreaming: number[];
  firstToken: number[];
  streamTotal: number[];
}

export interface CellResult {
  mode: Mode;
  concurrency: number;
  direct: Series;
  gateway: Series;
  /** Server-Timing of the gateway's responses. */
  callsBeforeUpstream: number[];
  auth: number[];
  /** Requests that did not end in a 200. */
  failures: number;
}

const TOOL = { type: "function", function: { name: "lookup_order", parameters: { type: "object", properties: { id: { type: "string" } } } } };
// The gateway sends the agent's instructions first; the direct request carries the same text.
const SYSTEM_PROMPT = "You are a benchmark bot.";

/** The body each target gets for the same prompt. */
export function requestBodies(mode: Mode, prompt: string, stream: boolean): { direct: object; gateway: object } {
  const tools = mode === "client-tool" ? { tools: [TOOL] } : {};
  const streaming = stream ? { stream: true } : {};
  return {
    gateway: { model: BENCH_MODEL, messages: [{ role: "user", content: prompt }], ...streaming, ...tools },
    direct: {
      model: UPSTREAM_MODEL,
      messages: [
        { role: "system", content: SYSTEM_PROMPT },
        { role: "user", content: prompt },
      ],
      // What the gateway's upstream client asks for when it streams.
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      ...tools,
    },
  };
}

export async function measureCell(targets: Targets, options: CellOptions): Promise<CellResult> {
  const result: CellResult = {
    mode: options.mode,
    concurrency: options.concurrency,
    direct: { nonStreaming: [], firstToken: [], streamTotal: [] },
    gateway: { nonStreaming: [], firstToken: [], streamTotal: [] },
    callsBeforeUpstream: [],
    auth: [],
    failures: 0,
  };
  const send = async (target: "direct" | "gateway", prompt: string, stream: boolean) => {
    const bodies = requestBodies(options.mode, prompt, stream);
    const timed =
      target === "direct"
        ? await timedRequest(`${targets.upstreamUrl}/chat/completions`, "sk-bench-upstream", bodies.direct)
        : await timedRequest(`${targets.gatewayUrl}/chat/completions`, BENCH_KEY, bodies.gateway);
    record(result, target, stream, timed);
  };
  const worker = async (workerIndex: number) => {
    for (let round = 0; round < options.rounds; round++) {
      const prompt = `[[words:${options.tokens}]] ${options.mode} ${options.concurrency} ${workerIndex}-${round}`;
      // Alternate which target goes first, so neither always runs on a machine the other just warmed.
      const order: Array<"direct" | "gateway"> = (round + workerIndex) % 2 === 0 ? ["direct", "gateway"] : ["gateway", "direct"];
      for (const stream of [false, true]) for (const target of order) await send(target, prompt, stream);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, index) => worker(index)));
  return result;
}

function record(result: CellResult, target: "direct" | "gateway", stream: boolean, timed: Timed): void {
  if (timed.status !== 200 || (stream && timed.firstTokenMs === null)) {
    result.failures++;
    return;
  }
  const series = result[target];
  if (stream) {
    series.firstToken.push(timed.firstTokenMs!);
    series.streamTotal.push(timed.totalMs);
  } else {
    series.nonStreaming.push(timed.totalMs);
  }
  if (target === "gateway") {
    result.callsBeforeUpstream.push(timed.serverTiming["calls-before-upstream"] ?? Number.NaN);
    result.auth.push(timed.serverTiming.auth ?? Number.NaN);
  }
}
