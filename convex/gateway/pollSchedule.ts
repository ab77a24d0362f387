// When the agent-mode relay (streamRelay.ts) polls its stream: pure rules over times, no Convex.
// Before the first text, polls are aimed at when it is expected: each relay learns how long the first
// write took after it started (the chunk's write time, not when a poll happened to see it), and the
// next relay for the same model polls tightly only around that moment, sparsely before it. Without a
// forecast (a cold instance, a model seen fewer than MIN_SAMPLES times) polls go every 25 ms. After the
// first text they go every 25 ms for 250 ms (a short answer's end), then slow to the writer's cadence.

/** Without a forecast, how often the relay polls while it waits for the first text. */
export const FIRST_POLL_INTERVAL_MS = 25;
/** How long the relay keeps polling that fast for the first text before slowing down. */
export const FAST_POLL_PHASE_MS = 1000;
/** And how long after the first text: a short answer ends within it, and its end is relayed at once. */
export const FAST_AFTER_FIRST_TEXT_MS = 250;
/** The slowest the relay polls: about the agent's write interval (agent/streamWriter.ts), so each poll finds a new batch. */
export const STEADY_POLL_INTERVAL_MS = 500;

/** With a forecast, the first poll before the window (if the window is at least twice as late); each next one doubles the time. */
export const EARLY_POLL_MS = 50;
/** Polls in a forecast's window; past them a relay falls back to FIRST_POLL_INTERVAL_MS. */
export const TIGHT_POLLS = 4;
/**
 * The narrowest gap between a window's polls. On the local runtime a poll shares the run's thread and
 * its transaction lock: 4 ms apart they hold up the write less than 2 ms apart did, for the same wait.
 */
export const TIGHT_POLL_INTERVAL_MS = 4;
/** First-write delays kept per forecast key (a tenant's model; the latest ones), and the fewest that make a forecast. */
export const SAMPLES_KEPT = 8;
export const MIN_SAMPLES = 3;
/** Keys remembered at once; the least recently recorded is forgotten first. */
export const MODELS_KEPT = 256;
/** Delays beyond this are not recorded: a slow first text is not worth aiming at to the millisecond. */
export const LONGEST_SAMPLE_MS = 60_000;

/** Where to poll for the first text, in ms after the relay started: TIGHT_POLLS polls `intervalMs` apart from `startMs`. */
export interface FirstTextWindow {
  startMs: number;
  intervalMs: number;
}

/**
 * The relay's poll times. Before the first text, with a forecast window: polls at EARLY_POLL_MS, then
 * at twice the time elapsed, while that stays within half the window's start (so a run that fails
 * early is reported within about twice its time, and nothing polls just before the window), then
 * TIGHT_POLLS polls across the window; past the window,
 * or with no forecast, every FIRST_POLL_INTERVAL_MS for at most FAST_POLL_PHASE_MS. After the first
 * text: every FIRST_POLL_INTERVAL_MS for FAST_AFTER_FIRST_TEXT_MS; otherwise each wait doubles up to
 * STEADY_POLL_INTERVAL_MS. Times are absolute (epoch ms), so the time a poll takes does not push the next.
 */
export class PollPacer {
  private delay = FIRST_POLL_INTERVAL_MS;
  private firstTextAt: number | null = null;
  /** How many of the window's poll times have been handed out. */
  private windowPolls = 0;

  constructor(
    private readonly startedAt: number,
    private readonly window: FirstTextWindow | null,
  ) {}

  /** When the first poll is due. */
  firstPollAt(): number {
    return this.window === null ? this.startedAt : this.beforeWindow(this.startedAt);
  }

  /** When the next poll is due, after a poll that returned `kind` and ended at `now`. */
  nextPollAt(kind: "text" | "waiting" | "done" | "failed", now: number): number {
    if (kind === "text") this.firstTextAt ??= now;
    if (this.firstTextAt === null && this.window !== null && this.windowPolls < TIGHT_POLLS) {
      if (this.windowPolls === 0) return Math.max(now, this.beforeWindow(now));
      const windowStart = this.startedAt + this.window.startMs;
      // A poll that ran late spends the slots it overran: the next goes in the first slot not yet past, never in a burst.
      this.windowPolls = Math.max(this.windowPolls, Math.ceil((now - windowStart) / this.window.intervalMs));
      if (this.windowPolls < TIGHT_POLLS) return windowStart + this.windowPolls++ * this.window.intervalMs;
    }
    const fast =
      this.firstTextAt === null ? now - this.startedAt < FAST_POLL_PHASE_MS : now - this.firstTextAt < FAST_AFTER_FIRST_TEXT_MS;
    if (fast) return now + FIRST_POLL_INTERVAL_MS;
    this.delay = Math.min(this.delay * 2, STEADY_POLL_INTERVAL_MS);
    return now + this.delay;
  }

  /** Before the window: EARLY_POLL_MS after the start, then twice the time elapsed, while at most half the window's start; else the window's first poll. */
  private beforeWindow(now: number): number {
    const windowStart = this.window!.startMs;
    const next = Math.max(EARLY_POLL_MS, 2 * (now - this.startedAt));
    if (next <= windowStart / 2) return this.startedAt + next;
    this.windowPolls = 1;
    return this.startedAt + windowStart;
  }
}

/**
 * The recent first-write delays per key (a tenant and the model it named), kept in this instance's memory (a hint: a fresh instance
 * has none and polls every 25 ms). The window starts one gap before the lower quartile; its gap is
 * half the interquartile range (at least TIGHT_POLL_INTERVAL_MS, at most FIRST_POLL_INTERVAL_MS), so
 * its TIGHT_POLLS polls reach the upper quartile: a steady upstream gets a few polls 4 ms apart, a
 * jittery one polls no faster than it would without a forecast.
 */
export class FirstTextForecasts {
  private readonly delays = new Map<string, number[]>();

  /** A first write `delayMs` after its relay started, for a request under `key`. */
  record(key: string, delayMs: number): void {
    if (!Number.isFinite(delayMs) || delayMs < 0 || delayMs > LONGEST_SAMPLE_MS) return;
    const delays = this.delays.get(key) ?? [];
    // Re-inserted last, so the map's first key is the least recently recorded.
    this.delays.delete(key);
    this.delays.set(key, [...delays, delayMs].slice(-SAMPLES_KEPT));
    if (this.delays.size > MODELS_KEPT) this.delays.delete(this.delays.keys().next().value!);
  }

  /** Where the next relay under `key` should look for its first text, or null without enough samples. */
  window(key: string): FirstTextWindow | null {
    const delays = this.delays.get(key);
    if (delays === undefined || delays.length < MIN_SAMPLES) return null;
    const sorted = [...delays].sort((a, b) => a - b);
    const quartile = (q: number) => sorted[Math.floor(q * (sorted.length - 1))]!;
    const lower = quartile(0.25);
    const intervalMs = Math.min(FIRST_POLL_INTERVAL_MS, Math.max(TIGHT_POLL_INTERVAL_MS, (quartile(0.75) - lower) / 2));
    return { startMs: Math.max(0, lower - intervalMs), intervalMs };
  }
}
