// The side-by-side run's pure parts (overhead.ts): the order the targets take turns in, the headline rows,
// the throughput tally, and what each target is sent.
import { expect, test } from "vitest";
import { emptySamples, endpoints, overheadRows, roundOrder, TARGETS, throughputRow } from "./overhead";
import { BENCH_KEY, BENCH_MODEL, UPSTREAM_MODEL } from "./seed";

test("over every 8 rounds each target sends first, second, third and last exactly twice", () => {
  for (const start of [0, 8, 16]) {
    const rounds = Array.from({ length: 8 }, (_, index) => roundOrder(start + index));
    for (const order of rounds) expect([...order].sort()).toEqual([...TARGETS].sort());
    for (let position = 0; position < TARGETS.length; position++) {
      for (const target of TARGETS) expect(rounds.filter((order) => order[position] === target)).toHaveLength(2);
    }
  }
});

test("each target's overhead and ratio are taken against direct's figure of the same percentile", () => {
  const samples = emptySamples();
  const range = (from: number) => Array.from({ length: 20 }, (_, index) => from + index);
  samples.direct.nonStreaming = range(100); // p50 109, p95 118
  samples.portkey.nonStreaming = range(110);
  samples["client-tool"].nonStreaming = range(150);
  samples.agent.nonStreaming = range(200);
  for (const target of TARGETS) samples[target].firstToken = [50];
  const rows = overheadRows(samples);
  expect(rows.map((row) => `${row.metric} ${row.target}`)).toEqual([
    ...TARGETS.map((target) => `nonStreaming ${target}`),
    ...TARGETS.map((target) => `firstToken ${target}`),
  ]);
  expect(rows[0]).toMatchObject({ figures: { count: 20, p50: 109, p95: 118 }, overheadMs: { p50: 0, p95: 0 }, ratio: { p50: 1, p95: 1 } });
  expect(rows[1]).toMatchObject({ overheadMs: { p50: 10, p95: 10 }, ratio: { p50: 119 / 109, p95: 128 / 118 } });
  expect(rows[3]).toMatchObject({ overheadMs: { p50: 100, p95: 100 } });
  expect(rows[7]).toMatchObject({ overheadMs: { p50: 0, p95: 0 }, ratio: { p50: 1, p95: 1 } });
});

test("throughput counts only 200s as served, per second of the whole run", () => {
  expect(throughputRow("agent", { 200: 390, 500: 6, 0: 4 }, 2_000)).toEqual({ target: "agent", requests: 400, ok: 390, failed: 10, elapsedMs: 2_000, requestsPerSecond: 195 });
});

test("direct and Portkey get the same upstream request; the gateway modes differ only by the client's tools", () => {
  const targets = endpoints({ upstream: "http://127.0.0.1:1/v1", portkey: "http://127.0.0.1:2/v1", gateway: "http://127.0.0.1:3/api/v1" });
  expect(targets.portkey.body("hi", true)).toEqual(targets.direct.body("hi", true));
  expect(targets.direct.body("hi", false)).toMatchObject({ model: UPSTREAM_MODEL, tools: [expect.anything()] });
  expect(targets.portkey.headers).toEqual({ "x-portkey-provider": "openai", "x-portkey-custom-host": "http://127.0.0.1:1/v1" });
  expect(targets.direct.headers).toEqual({});
  expect(targets["client-tool"]).toMatchObject({ url: "http://127.0.0.1:3/api/v1", key: BENCH_KEY });
  expect(targets["client-tool"].body("hi", false)).toMatchObject({ model: BENCH_MODEL, tools: [expect.anything()] });
  expect(targets.agent.body("hi", true)).toEqual({ model: BENCH_MODEL, messages: [{ role: "user", content: "hi" }], stream: true });
});
