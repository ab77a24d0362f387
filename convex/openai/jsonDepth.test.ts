// The JSON nesting limit, and the request parser refusing bodies past it.
import { describe, expect, test } from "vitest";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "./jsonDepth";
import { parseJsonBody } from "./parseRequest";

const nested = (depth: number) => JSON.parse(`${'{"a":['.repeat(depth / 2)}1${"]}".repeat(depth / 2)}`);

describe("JSON nesting depth", () => {
  test("counts objects and arrays alike; scalars add no level", () => {
    expect(nestsDeeperThan(1, 0)).toBe(false);
    expect(nestsDeeperThan({ a: [1] }, 2)).toBe(false);
    expect(nestsDeeperThan({ a: [1] }, 1)).toBe(true);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH + 2), MAX_JSON_DEPTH)).toBe(true);
  });

  test("checks a body nested 200,000 levels deep without overflowing the stack", () => {
    expect(nestsDeeperThan(nested(200_000), MAX_JSON_DEPTH)).toBe(true);
  });

  test("a body nested past the limit is a 400 invalid_value, refused before validation", () => {
    expect(parseJsonBody(JSON.stringify(nested(MAX_JSON_DEPTH + 2)))).toEqual({
      ok: false,
      error: { code: "invalid_value", message: `The JSON body nests more than ${MAX_JSON_DEPTH} levels of objects and arrays.` },
    });
    expect(parseJsonBody(JSON.stringify(nested(MAX_JSON_DEPTH))).ok).toBe(true);
  });
});
