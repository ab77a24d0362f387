// Unit tests of the finish-reason mapping: the upstream's own reason wins, and nothing that OpenAI
// distinguishes is flattened to "stop".
import { describe, expect, test } from "vitest";
import { toOpenAIFinishReason } from "./finishReason";

describe("toOpenAIFinishReason", () => {
  test("the upstream's raw OpenAI reason is used as is", () => {
    for (const raw of ["stop", "length", "tool_calls", "content_filter"]) {
      expect(toOpenAIFinishReason("other", raw)).toBe(raw);
    }
  });

  test("without a raw OpenAI reason, the AI SDK's reason is mapped", () => {
    expect(toOpenAIFinishReason("length", undefined)).toBe("length");
    expect(toOpenAIFinishReason("tool-calls", undefined)).toBe("tool_calls");
    expect(toOpenAIFinishReason("content-filter", "SAFETY")).toBe("content_filter");
    expect(toOpenAIFinishReason("stop", "end_turn")).toBe("stop");
  });

  test("reasons OpenAI has no name for end as stop", () => {
    expect(toOpenAIFinishReason("other", undefined)).toBe("stop");
    expect(toOpenAIFinishReason("error", "weird")).toBe("stop");
  });
});
