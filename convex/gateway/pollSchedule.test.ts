// The agent-mode relay's poll schedule, as pure rules over given times (no clocks, no timing):
// without a forecast, with one (sparse before its window, tight inside it, the old cadence past it),
// after the first text, and how the forecasts are learned and bounded.
import { describe, expect, test } from "vitest";
import {
  FAST_AFTER_FIRST_TEXT_MS,
  FAST_POLL_PHASE_MS,
  FIRST_POLL_INTERVAL_MS,
  FirstTextForecasts,
  LONGEST_SAMPLE_MS,
  MIN_SAMPLES,
  MODELS_KEPT,
  PollPacer,
  SAMPLES_KEPT,
  STEADY_POLL_INTERVAL_MS,
  TIGHT_POLLS,
  TIGHT_POLL_INTERVAL_MS,
  type FirstTextWindow,
} from "./pollSchedule";

const START = 1_000_000;

/** The poll times (ms after the start) of a relay whose polls take no time and see "waiting" until `textAt`, then "text" and "waiting" again. */
function pollTimes(window: FirstTextWindow | null, options: { textAt: number; until: number }): number[] {
  const pacer = new PollPacer(START, window);
  const times: number[] = [];
  for (let at = pacer.firstPollAt(); at - START <= options.until; ) {
    times.push(at - START);
    const seesText = at - START >= options.textAt && !times.slice(0, -1).some((time) => time >= options.textAt);
    at = pacer.nextPollAt(seesText ? "text" : "waiting", at);
  }
  return times;
}

describe("before the first text, without a forecast", () => {
  test("polls at once and then every 25 ms for the first second, then each wait doubles up to the steady interval", () => {
    const times = pollTimes(null, { textAt: Infinity, until: FAST_POLL_PHASE_MS + 2_000 });
    expect(times.slice(0, 4)).toEqual([0, 25, 50, 75]);
    expect(times.filter((time) => time < FAST_POLL_PHASE_MS)).toHaveLength(FAST_POLL_PHASE_MS / FIRST_POLL_INTERVAL_MS);
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    expect(gaps.filter((gap) => gap > FIRST_POLL_INTERVAL_MS)).toEqual([50, 100, 200, 400, 500, 500]);
  });
});

describe("before the first text, with a forecast", () => {
  const window: FirstTextWindow = { startMs: 56, intervalMs: 2 };

  test("no poll before a window under 100 ms; the window's polls go `intervalMs` apart: the first text written at 59 ms is seen at 60 ms", () => {
    const times = pollTimes(window, { textAt: 59, until: 60 });
    expect(times).toEqual([56, 58, 60]);
  });

  test("past the window's polls it falls back to every 25 ms", () => {
    const times = pollTimes(window, { textAt: Infinity, until: 150 });
    const inWindow = Array.from({ length: TIGHT_POLLS }, (_, index) => window.startMs + index * window.intervalMs);
    const last = inWindow.at(-1)!;
    expect(times).toEqual([...inWindow, last + 25, last + 50, last + 75]);
  });

  test("a late window is approached by doubling from 50 ms, so a run that fails early is still seen within about twice its time", () => {
    const times = pollTimes({ startMs: 800, intervalMs: 20 }, { textAt: 805, until: 820 });
    expect(times).toEqual([50, 100, 200, 400, 800, 820]);
    expect(pollTimes({ startMs: 100, intervalMs: 2 }, { textAt: 101, until: 102 })).toEqual([50, 100, 102]);
  });

  test("a poll that runs late spends the window slots it overran: the next goes in the first slot still ahead, not in a burst", () => {
    const pacer = new PollPacer(START, window);
    expect(pacer.firstPollAt()).toBe(START + 56);
    // The window's first poll took 5 ms: the slots at 58 and 60 are spent, the next goes at 62.
    expect(pacer.nextPollAt("waiting", START + 61)).toBe(START + 62);
    // That was the window's last slot (four: 56 to 62): every 25 ms from here.
    expect(TIGHT_POLLS).toBe(4);
    expect(pacer.nextPollAt("waiting", START + 62.5)).toBe(START + 87.5);
  });
});

describe("after the first text", () => {
  test("every 25 ms for 250 ms (a short answer's end), then doubling to the steady interval, with or without a forecast", () => {
    for (const window of [null, { startMs: 40, intervalMs: 2 }]) {
      const pacer = new PollPacer(START, window);
      const textAt = START + 42;
      let at = pacer.nextPollAt("text", textAt);
      const times = [at];
      while (at < textAt + 3_000) times.push((at = pacer.nextPollAt("waiting", at)));
      const gaps = times.slice(1).map((time, index) => time - times[index]!);
      expect(times[0]).toBe(textAt + FIRST_POLL_INTERVAL_MS);
      expect(times.filter((time) => time - textAt <= FAST_AFTER_FIRST_TEXT_MS).length).toBe(FAST_AFTER_FIRST_TEXT_MS / FIRST_POLL_INTERVAL_MS);
      expect(gaps.filter((gap) => gap > FIRST_POLL_INTERVAL_MS).slice(0, 5)).toEqual([50, 100, 200, 400, STEADY_POLL_INTERVAL_MS]);
    }
  });
});

describe("forecasts", () => {
  test("none until a model has MIN_SAMPLES first writes; then the window opens one gap before the lower quartile", () => {
    const forecasts = new FirstTextForecasts();
    for (let index = 0; index < MIN_SAMPLES - 1; index++) forecasts.record("bot", 60);
    expect(forecasts.window("bot")).toBeNull();
    forecasts.record("bot", 60);
    expect(forecasts.window("bot")).toEqual({ startMs: 60 - TIGHT_POLL_INTERVAL_MS, intervalMs: TIGHT_POLL_INTERVAL_MS });
    expect(forecasts.window("other")).toBeNull();
  });

  test("the gap is half the interquartile range, between 4 and 25 ms", () => {
    const forecasts = new FirstTextForecasts();
    for (const delay of [50, 55, 59, 62, 65, 70, 80, 90]) forecasts.record("steady", delay);
    // Quartiles by nearest rank over 8 sorted samples: indexes 1 and 5, 55 and 70.
    expect(forecasts.window("steady")).toEqual({ startMs: 47.5, intervalMs: 7.5 });
    for (const delay of [200, 400, 600, 800, 1000]) forecasts.record("jittery", delay);
    expect(forecasts.window("jittery")).toEqual({ startMs: 375, intervalMs: FIRST_POLL_INTERVAL_MS });
  });

  test("only the latest SAMPLES_KEPT delays count, and impossible or very long ones are not recorded", () => {
    const forecasts = new FirstTextForecasts();
    for (let index = 0; index < SAMPLES_KEPT; index++) forecasts.record("bot", 500);
    for (let index = 0; index < SAMPLES_KEPT; index++) forecasts.record("bot", 60);
    expect(forecasts.window("bot")!.startMs).toBe(60 - TIGHT_POLL_INTERVAL_MS);
    for (const delay of [-1, Number.NaN, LONGEST_SAMPLE_MS + 1]) forecasts.record("fresh", delay);
    expect(forecasts.window("fresh")).toBeNull();
  });

  test("at most MODELS_KEPT models are remembered; the least recently recorded is forgotten first", () => {
    const forecasts = new FirstTextForecasts();
    const record = (model: string) => {
      for (let index = 0; index < MIN_SAMPLES; index++) forecasts.record(model, 60);
    };
    record("first");
    record("second");
    for (let index = 0; index < MODELS_KEPT - 2; index++) record(`model-${index}`);
    record("first");
    record("one too many");
    expect(forecasts.window("first")).not.toBeNull();
    expect(forecasts.window("second")).toBeNull();
    expect(forecasts.window("one too many")).not.toBeNull();
  });
});
