import { describe, expect, test } from "vitest";
import { ArithmeticError, evaluateArithmetic } from "./arithmetic";

describe("evaluateArithmetic", () => {
  test.each([
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["2 ^ 3 ^ 2", 512],
    ["-2 ^ 2", 4],
    ["10 % 4", 2],
    ["7 / 2", 3.5],
    ["sqrt(16) + max(1, 5, 3)", 9],
    ["1.5e3 - .5", 1499.5],
    ["round(pi * 100)", 314],
    ["1200 * 0.15", 180],
  ])("%s = %d", (expression, expected) => {
    expect(evaluateArithmetic(expression)).toBeCloseTo(expected, 10);
  });

  test.each([
    ["1 / 0", /Division by zero/],
    ["2 +", /ended early/],
    ["process.exit()", /Unknown name 'process'/],
    ["constructor.constructor('return 1')()", /Unknown name/],
    ["1 2", /Unexpected '2'/],
    ["(".repeat(60) + "1" + ")".repeat(60), /nested too deeply/],
    ["1+".repeat(300) + "1", /limited to 500 characters/],
  ])("rejects %s", (expression, message) => {
    expect(() => evaluateArithmetic(expression)).toThrow(ArithmeticError);
    expect(() => evaluateArithmetic(expression)).toThrow(message);
  });
});
