// The per-response delta writer produces exactly the bytes of the plain chunk builder, for any delta.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { completionChunk, deltaEventWriter, sseData } from "./chunks";

describe("deltaEventWriter", () => {
  test("property: byte for byte the SSE event of completionChunk, with and without include_usage", () => {
    const delta = fc.record(
      {
        role: fc.constant("assistant" as const),
        content: fc.string({ unit: "binary" }),
        tool_calls: fc.array(fc.record({ index: fc.nat(), function: fc.record({ arguments: fc.string({ unit: "binary" }) }) }), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.boolean(), delta, (model, includeUsage, value) => {
        const identity = { id: "chatcmpl-1", created: 1, model };
        expect(deltaEventWriter(identity, includeUsage)(value)).toBe(sseData(completionChunk(identity, value, null, includeUsage)));
      }),
      { numRuns: 300 },
    );
  });

  test("a model id that holds the writer's own marker does not confuse it", () => {
    const identity = { id: "chatcmpl-1", created: 1, model: "\u0000delta\u0000" };
    expect(deltaEventWriter(identity, true)({ content: "x" })).toBe(sseData(completionChunk(identity, { content: "x" }, null, true)));
  });
});
