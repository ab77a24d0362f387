// The soak (`npm run bench -- --soak`): many mixed requests through one gateway, timed in windows of
// WINDOW completed requests, to show whether throughput holds as data accumulates. Bounded: a fixed
// number of requests, and a deadline after which the workers stop sending.
import { emptyTally, sendCounted, type Tally } from "./load";

export interface SoakOptions {
  baseUrl: string;
  key: string;
  total: number;
  concurrency: number;
  /** Requests per window. */
  window: number;
  /** The workers stop sending once this much time has passed, whatever is left. */
  deadlineMs: number;
  body: (index: number) => object;
}

export interface SoakWindow {
  /** Completed requests before the window, and at its end. */
  from: number;
  to: number;
  seconds: number;
  requestsPerSecond: number;
}

export interface SoakResult extends Tally {
  completed: number;
  elapsedSeconds: number;
  windows: SoakWindow[];
  /** The last full window's duration over the first's: 1.2 means the last ran 20 % slower. */
  lastOverFirst: number;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const tally = emptyTally();
  const completions: number[] = [];
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < options.total && performance.now() - started < options.deadlineMs) {
      await sendCounted(options, next++, tally);
      completions.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const windows: SoakWindow[] = [];
  for (let from = 0; from + options.window <= completions.length; from += options.window) {
    const to = from + options.window;
    const seconds = (completions[to - 1]! - (from === 0 ? 0 : completions[from - 1]!)) / 1000;
    windows.push({ from, to, seconds, requestsPerSecond: options.window / seconds });
  }
  return {
    completed: completions.length,
    ...tally,
    elapsedSeconds: (performance.now() - started) / 1000,
    windows,
    lastOverFirst: windows.length > 0 ? windows.at(-1)!.seconds / windows[0]!.seconds : Number.NaN,
  };
}
