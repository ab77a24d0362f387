// Reading the gateway's Server-Timing header.
import { expect, test } from "vitest";
import { parseServerTiming } from "./timedRequest";

test("parseServerTiming reads durations and the calls-before-upstream count", () => {
  expect(parseServerTiming('auth;dur=7, upstream;dur=52, total;dur=61, calls-before-upstream;desc="1"')).toEqual({
    auth: 7,
    upstream: 52,
    total: 61,
    "calls-before-upstream": 1,
  });
  expect(parseServerTiming(null)).toEqual({});
});
