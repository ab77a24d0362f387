// Reading the rate limiter's reset header, which the burst relies on to stay inside one window.
import { expect, test } from "vitest";
import { parseReset } from "./load";

test("parseReset reads OpenAI's reset durations", () => {
  expect(parseReset("250ms")).toBe(250);
  expect(parseReset("12.5s")).toBe(12_500);
  expect(parseReset("1m0.5s")).toBe(60_500);
  expect(() => parseReset("soon")).toThrow();
});
