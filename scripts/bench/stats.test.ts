// Percentiles by nearest rank.
import { expect, test } from "vitest";
import { percentile, percentiles } from "./stats";

test("percentiles are nearest-rank: always a value that was measured", () => {
  const values = Array.from({ length: 100 }, (_, index) => 100 - index);
  expect(percentiles(values)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99 });
  expect(percentile([7], 0.99)).toBe(7);
  expect(percentile([], 0.5)).toBeNaN();
});
