// Unit tests of the stream-part-to-delta conversion: text, tool calls (streamed, interleaved, or whole),
// the finish reason and usage, and the upstream failures it must not hide.
import { describe, expect, test } from "vitest";
import type { LanguageModelUsage, TextStreamPart, ToolSet } from "ai";
import { ReplyBuilder } from "./replyBuilder";
import { StreamRedactor } from "../pii/streamRedactor";

type Part = TextStreamPart<ToolSet>;

function usage(inputTokens: number, outputTokens: number): LanguageModelUsage {
  return {
    inputTokens,
    inputTokenDetails: { noCacheTokens: inputTokens, cacheReadTokens: 0, cacheWriteTokens: 0 },
    outputTokens,
    outputTokenDetails: { textTokens: outputTokens, reasoningTokens: 0 },
    totalTokens: inputTokens + outputTokens,
  };
}

function finish(finishReason: Extract<Part, { type: "finish" }>["finishReason"], rawFinishReason: string | undefined): Part {
  return { type: "finish", finishReason, rawFinishReason, totalUsage: usage(11, 7) };
}

function feed(parts: Part[]) {
  const builder = new ReplyBuilder();
  return { builder, events: parts.map((part) => builder.accept(part)) };
}

describe("ReplyBuilder", () => {
  test("text deltas are relayed one by one and accumulated; empty ones are skipped", () => {
    const { builder, events } = feed([
      { type: "text-start", id: "t" },
      { type: "text-delta", id: "t", text: "Hel" },
      { type: "text-delta", id: "t", text: "" },
      { type: "text-delta", id: "t", text: "lo" },
      { type: "text-end", id: "t" },
    ]);
    expect(events).toEqual([null, { kind: "delta", delta: { content: "Hel" } }, null, { kind: "delta", delta: { content: "lo" } }, null]);
    expect(builder.content).toBe("Hello");
    expect(builder.toolCalls).toEqual([]);
  });

  test("interleaved streamed tool calls keep their own index; the first piece names the call", () => {
    const { builder, events } = feed([
      { type: "tool-input-start", id: "call_a", toolName: "get_weather" },
      { type: "tool-input-delta", id: "call_a", delta: '{"city":' },
      { type: "tool-input-start", id: "call_b", toolName: "get_time" },
      { type: "tool-input-delta", id: "call_b", delta: "{}" },
      { type: "tool-input-delta", id: "call_a", delta: '"Oslo"}' },
      { type: "tool-input-delta", id: "call_a", delta: "" },
    ]);
    expect(events).toEqual([
      { kind: "delta", delta: { tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "get_weather", arguments: "" } }] } },
      { kind: "delta", delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] } },
      { kind: "delta", delta: { tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "get_time", arguments: "" } }] } },
      { kind: "delta", delta: { tool_calls: [{ index: 1, function: { arguments: "{}" } }] } },
      { kind: "delta", delta: { tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] } },
      null,
    ]);
    expect(builder.toolCalls).toEqual([
      { id: "call_a", name: "get_weather", arguments: '{"city":"Oslo"}' },
      { id: "call_b", name: "get_time", arguments: "{}" },
    ]);
  });

  test("the closing tool-call part of a streamed call adds nothing; its argument text stays as the model wrote it", () => {
    const { builder, events } = feed([
      { type: "tool-input-start", id: "call_a", toolName: "get_weather" },
      { type: "tool-input-delta", id: "call_a", delta: '{ "city" : "Oslo" }' },
      { type: "tool-input-end", id: "call_a" },
      { type: "tool-call", toolCallId: "call_a", toolName: "get_weather", input: { city: "Oslo" } },
    ]);
    expect(events.slice(2)).toEqual([null, null]);
    expect(builder.toolCalls).toEqual([{ id: "call_a", name: "get_weather", arguments: '{ "city" : "Oslo" }' }]);
  });

  test("a tool call whose input was not streamed is sent whole, under the next index", () => {
    const { builder, events } = feed([
      { type: "tool-input-start", id: "call_a", toolName: "get_time" },
      { type: "tool-call", toolCallId: "call_b", toolName: "get_weather", input: { city: "Rome" } },
    ]);
    expect(events[1]).toEqual({
      kind: "delta",
      delta: { tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } }] },
    });
    expect(builder.toolCalls.map((call) => call.id)).toEqual(["call_a", "call_b"]);
  });

  test("the toolCalls it returns are copies: a caller cannot change the reply", () => {
    const { builder } = feed([{ type: "tool-input-start", id: "call_a", toolName: "get_time" }]);
    builder.toolCalls[0]!.arguments = "changed";
    expect(builder.toolCalls[0]!.arguments).toBe("");
  });

  test("finish carries the upstream's raw finish reason and the usage", () => {
    const { builder, events } = feed([{ type: "text-delta", id: "t", text: "partial" }, finish("other", "content_filter")]);
    expect(events[1]).toEqual({ kind: "finish", finishReason: "content_filter", usage: { promptTokens: 11, completionTokens: 7, totalTokens: 18 } });
    expect(builder.finishReason).toBe("content_filter");
  });

  test("a finish without a raw reason after some output maps the AI SDK's reason", () => {
    const { events } = feed([{ type: "text-delta", id: "t", text: "x" }, finish("length", undefined)]);
    expect(events[1]).toMatchObject({ kind: "finish", finishReason: "length" });
  });

  test("a finish without a raw reason and without any output is an upstream failure, not an empty answer", () => {
    const { builder, events } = feed([finish("other", undefined)]);
    expect(events[0]).toMatchObject({ kind: "error" });
    expect(builder.finishReason).toBeNull();
  });

  test("an error part is reported as an error event", () => {
    const failure = new Error("boom");
    expect(feed([{ type: "error", error: failure }]).events).toEqual([{ kind: "error", error: failure }]);
  });

  describe("with output scanning", () => {
    const scanning = (parts: Part[]) => {
      const builder = new ReplyBuilder(new StreamRedactor());
      return { builder, events: parts.map((part) => builder.accept(part)) };
    };
    const argumentsText = '{"to":"jane.doe\\u0040example.com","note":"card:\\n4111 1111 1111 1111"}';
    const redacted = '{"to":"[EMAIL]","note":"card:\\n[CREDIT_CARD]"}';

    test("a streamed call's arguments are held until the call ends, then sent once, redacted and valid JSON", () => {
      const pieces = [argumentsText.slice(0, 9), argumentsText.slice(9, 30), argumentsText.slice(30)];
      const { builder, events } = scanning([
        { type: "tool-input-start", id: "call_a", toolName: "send" },
        ...pieces.map((delta): Part => ({ type: "tool-input-delta", id: "call_a", delta })),
        { type: "tool-input-end", id: "call_a" },
        { type: "tool-call", toolCallId: "call_a", toolName: "send", input: JSON.parse(argumentsText) },
        { type: "finish-step", response: {} as never, usage: usage(1, 1), finishReason: "tool-calls", rawFinishReason: "tool_calls", providerMetadata: undefined },
      ]);
      expect(events).toEqual([
        { kind: "delta", delta: { tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "send", arguments: "" } }] } },
        null,
        null,
        null,
        { kind: "delta", delta: { tool_calls: [{ index: 0, function: { arguments: redacted } }] } },
        null,
        null,
      ]);
      expect(JSON.parse(redacted)).toEqual({ to: "[EMAIL]", note: "card:\n[CREDIT_CARD]" });
      expect(builder.toolCalls).toEqual([{ id: "call_a", name: "send", arguments: redacted }]);
    });

    test("calls the provider never ended are sent, redacted, when their step finishes", () => {
      const { events } = scanning([
        { type: "tool-input-start", id: "call_a", toolName: "send" },
        { type: "tool-input-delta", id: "call_a", delta: '{"to":"a@example.com"}' },
        { type: "tool-input-start", id: "call_b", toolName: "send" },
        { type: "tool-input-delta", id: "call_b", delta: '{"ssn":"\\t123-45-6789"}' },
        { type: "finish-step", response: {} as never, usage: usage(1, 1), finishReason: "tool-calls", rawFinishReason: "tool_calls", providerMetadata: undefined },
      ]);
      expect(events.at(-1)).toEqual({
        kind: "delta",
        delta: {
          tool_calls: [
            { index: 0, function: { arguments: '{"to":"[EMAIL]"}' } },
            { index: 1, function: { arguments: '{"ssn":"\\t[SSN]"}' } },
          ],
        },
      });
    });

    test("a call that arrives whole is sent whole, redacted", () => {
      const { builder, events } = scanning([{ type: "tool-call", toolCallId: "call_a", toolName: "send", input: { to: "a@example.com" } }]);
      expect(events[0]).toEqual({
        kind: "delta",
        delta: { tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "send", arguments: '{"to":"[EMAIL]"}' } }] },
      });
      expect(builder.toolCalls[0]!.arguments).toBe('{"to":"[EMAIL]"}');
    });

    test("text held for scanning is released before a tool call opens", () => {
      const { events } = scanning([
        { type: "text-delta", id: "t", text: "Mailing jane.doe@example.com now." },
        { type: "tool-input-start", id: "call_a", toolName: "send" },
      ]);
      expect(events[0]).toBeNull();
      expect(events[1]).toMatchObject({ kind: "delta", delta: { content: "Mailing [EMAIL] now." } });
    });
  });
});
