// Agent mode's relay, measured end to end: for every batch the agent action wrote to the persistent
// stream, the time from its write (the chunk row's creation time) to the arrival at the client of the
// SSE delta that completed it; and how many stream writes a streamed answer costs per 1,000 tokens.
import type { WrittenStream } from "./gatewayProcess";
import type { GatewayChild } from "./processes";
import { requestBodies } from "./latency";
import { BENCH_KEY } from "./seed";
import { timedRequest, type Timed } from "./timedRequest";

export interface RelayFigures {
  requests: number;
  tokens: number;
  writes: number;
  writesPerThousandTokens: number;
  /** Write-to-client delay of each written batch, ms. */
  delays: number[];
}

export async function measureRelay(gateway: GatewayChild, options: { requests: number; concurrency: number; tokens: number }): Promise<RelayFigures> {
  const responses: Timed[] = [];
  let next = 0;
  const worker = async () => {
    while (next < options.requests) {
      const index = next++;
      const { gateway: body } = requestBodies("agent", `[[words:${options.tokens}]] relay ${index}`, true);
      responses.push(await timedRequest(`${gateway.url}/chat/completions`, BENCH_KEY, body));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const failed = responses.filter((response) => response.status !== 200 || response.requestId === null);
  if (failed.length > 0) throw new Error(`${failed.length} relay requests failed`);
  const streams = await gateway.streams(responses.map((response) => response.requestId!));
  const delays = streams.flatMap((stream) => writeToClientDelays(stream, responses.find((response) => response.requestId === stream.requestId)!));
  const writes = streams.reduce((sum, stream) => sum + stream.chunks.length, 0);
  const tokens = streams.reduce((sum, stream) => sum + stream.completionTokens, 0);
  return { requests: streams.length, tokens, writes, writesPerThousandTokens: (writes / tokens) * 1000, delays };
}

/** Each chunk reaches the client in the first delta whose cumulative content covers the chunk's end. */
export function writeToClientDelays(stream: WrittenStream, response: Pick<Timed, "arrivals">): number[] {
  const delays: number[] = [];
  let written = 0;
  let arrival = 0;
  for (const chunk of stream.chunks) {
    written += chunk.text.length;
    while (arrival < response.arrivals.length && response.arrivals[arrival]!.contentLength < written) arrival++;
    const delivered = response.arrivals[arrival];
    if (delivered === undefined) throw new Error(`stream ${stream.requestId}: written text never reached the client`);
    delays.push(delivered.at - chunk.writtenAt);
  }
  return delays;
}
