// What PII scrubbing costs a request: the scrubber over whole transcripts of 1 KB, 100 KB and 1 MB of
// realistic chat text (redactTranscript, exactly what the authorising mutation runs), and the
// authorising mutation's own time (Server-Timing `auth`) with scrubbing on and off.
import corpusData from "../../convex/pii/fixtures/corpus.json";
import { readCorpus } from "../../convex/pii/score";
import { redactTranscript } from "../../convex/model/transcriptPii";
import type { TranscriptMessage } from "../../convex/openai/transcript";
import { realisticText } from "./pii/realistic-text";
import { BENCH_KEY, BENCH_MODEL, PII_OFF_KEY } from "./seed";
import { median } from "./stats";
import { timedRequest } from "./timedRequest";

export const TRANSCRIPT_SIZES = [
  { label: "1 KB", bytes: 1_024 },
  { label: "100 KB", bytes: 102_400 },
  { label: "1 MB", bytes: 1_048_576 },
];
/** The largest transcript a request body may carry (the body limit is 1,000,000 bytes). */
export const LARGEST_REQUEST_BYTES = 900_000;
const MESSAGE_LENGTH = 2_000;
// Each size is timed until this long has passed or this many runs, whichever comes first.
const TIME_PER_SIZE_MS = 1_500;
const MAX_RUNS = 200;

export interface ScrubCost {
  label: string;
  bytes: number;
  runs: number;
  /** Median time to scrub one transcript of this size. */
  milliseconds: number;
  megabytesPerSecond: number;
}

/** Chat turns of realistic text (values and look-alikes mixed in), alternating user and assistant. */
export function transcript(bytes: number): Array<{ role: "user" | "assistant"; content: string }> {
  const text = realisticText(readCorpus(corpusData), bytes);
  const messages: Array<{ role: "user" | "assistant"; content: string }> = [];
  for (let offset = 0; offset < text.length; offset += MESSAGE_LENGTH) {
    messages.push({ role: messages.length % 2 === 0 ? "user" : "assistant", content: text.slice(offset, offset + MESSAGE_LENGTH) });
  }
  // It ends with the user's turn, as a request does.
  if (messages.at(-1)!.role === "assistant") messages.push({ role: "user", content: "" });
  return messages;
}

export function measureScrubbing(): ScrubCost[] {
  return TRANSCRIPT_SIZES.map(({ label, bytes }) => {
    const messages: TranscriptMessage[] = transcript(bytes);
    redactTranscript(messages);
    const times: number[] = [];
    const started = performance.now();
    while (times.length < MAX_RUNS && performance.now() - started < TIME_PER_SIZE_MS) {
      const run = performance.now();
      redactTranscript(messages);
      times.push(performance.now() - run);
    }
    const milliseconds = median(times);
    return { label, bytes, runs: times.length, milliseconds, megabytesPerSecond: bytes / 1_048_576 / (milliseconds / 1000) };
  });
}

export interface BeginCost {
  label: string;
  bytes: number;
  /** Median Server-Timing `auth` (the begin mutation), scrubbing on and off. */
  withScrubbingMs: number;
  withoutScrubbingMs: number;
}

/** The begin mutation's time for requests carrying each transcript, on the tenant that scrubs and the one that does not. */
export async function measureBegin(gatewayUrl: string, repeats: number): Promise<BeginCost[]> {
  const sizes = [...TRANSCRIPT_SIZES.slice(0, 2), { label: "900 KB", bytes: LARGEST_REQUEST_BYTES }];
  const costs: BeginCost[] = [];
  for (const { label, bytes } of sizes) {
    const messages = transcript(bytes);
    // A short reply: the figure is about the request, not about echoing it back.
    messages.at(-1)!.content += " [[reply:ok]]";
    const body = { model: BENCH_MODEL, messages, tools: [{ type: "function", function: { name: "noop", parameters: { type: "object" } } }] };
    const auth = { on: [] as number[], off: [] as number[] };
    for (let run = 0; run < repeats; run++) {
      for (const [key, times] of [[BENCH_KEY, auth.on], [PII_OFF_KEY, auth.off]] as const) {
        const timed = await timedRequest(`${gatewayUrl}/chat/completions`, key, body);
        if (timed.status !== 200) throw new Error(`a ${label} request failed with ${timed.status}`);
        times.push(timed.serverTiming.auth!);
      }
    }
    costs.push({ label, bytes, withScrubbingMs: median(auth.on), withoutScrubbingMs: median(auth.off) });
  }
  return costs;
}
