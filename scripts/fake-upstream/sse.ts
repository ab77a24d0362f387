// Server-sent events as OpenAI streams them: "data: <json>\n\n" per chunk, then "data: [DONE]\n\n".
import type { ServerResponse } from "node:http";
import { writeFlushed } from "./http-io";
import { sleep } from "./sleep";
import type { TimedChunk } from "./wire";

export const doneEvent = "data: [DONE]\n\n";

function eventText(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

/** Sends the 200 and the event-stream headers at once, before any chunk, as OpenAI does. */
export function startEventStream(response: ServerResponse): void {
  response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
  response.flushHeaders();
}

/** Writes the chunks at their pace; false when the client went away before all were written. */
export async function writeChunks(response: ServerResponse, chunks: TimedChunk[], signal: AbortSignal): Promise<boolean> {
  for (const { delayMs, chunk } of chunks) {
    if (delayMs > 0) await sleep(delayMs, signal);
    if (signal.aborted) return false;
    await writeFlushed(response, eventText(chunk), signal);
  }
  return !signal.aborted;
}
