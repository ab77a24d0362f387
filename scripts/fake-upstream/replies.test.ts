// Unit tests for deciding the fake upstream's reply: echo, tool results, limits and tool_choice.
import { describe, expect, it } from "vitest";
import { cutAtStop, planReply, splitWords, type Plan } from "./replies";
import type { ChatMessage, ChatRequest } from "./request";

const weatherTool = {
  type: "function" as const,
  function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
};
const timeTool = { type: "function" as const, function: { name: "get_time" } };

function plan(messages: ChatMessage[], fields: Partial<ChatRequest> = {}): Plan {
  let calls = 0;
  const request: ChatRequest = { model: "gpt-4o-mini", messages, ...fields };
  return planReply(request, { firstTokenDelayMs: 5, interTokenDelayMs: 2, newToolCallId: () => `call_${(calls += 1)}` });
}

const text = (result: Plan) => result.reply.contentPieces.join("");

describe("planReply", () => {
  it("echoes the last user message, from its text parts, without its directives", () => {
    const result = plan([
      { role: "user", content: "first question" },
      { role: "assistant", content: "first answer" },
      { role: "user", content: [{ type: "text", text: "second [[trickle:7]] question" }] },
    ]);
    expect(text(result)).toBe("Hello from the fake upstream. You said: second question");
    expect(result.reply.finishReason).toBe("stop");
    expect(result.interTokenDelayMs).toBe(7);
    expect(result.firstTokenDelayMs).toBe(5);
  });

  it("ignores directives outside the last user message", () => {
    const result = plan([
      { role: "system", content: "[[fault:500]]" },
      { role: "user", content: "[[fault:500]] earlier" },
      { role: "user", content: "later" },
    ]);
    expect(result.fault).toBeNull();
    expect(text(result)).toBe("Hello from the fake upstream. You said: later");
  });

  it("lists the tool results that follow the last assistant message, named by their calls", () => {
    const result = plan([
      { role: "user", content: "[[call:get_weather]] [[call:get_time]] [[fault:500]]" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_a", function: { name: "get_weather", arguments: "{}" } },
          { id: "call_b", function: { name: "get_time", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "call_a", content: "sunny" },
      { role: "tool", tool_call_id: "call_z", content: "orphan" },
    ], { tools: [weatherTool, timeTool] });
    expect(text(result)).toBe("Tool results: get_weather=sunny; call_z=orphan");
    expect(result.reply.toolCalls).toEqual([]);
    expect(result.fault).toBeNull();
  });

  it("obeys after-tools directives once tool results arrive", () => {
    const result = plan([
      { role: "user", content: "[[call:get_time]] [[after-tools:reply:All done.]]" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_a", function: { name: "get_time", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "call_a", content: "noon" },
    ], { tools: [timeTool] });
    expect(text(result)).toBe("All done.");
  });

  it("caps the words at max_tokens (or max_completion_tokens) with finish_reason length", () => {
    const capped = plan([{ role: "user", content: "[[words:10]]" }], { max_tokens: 3 });
    expect(capped.reply.contentPieces).toEqual(["word1 ", "word2 ", "word3"]);
    expect(capped.reply.finishReason).toBe("length");
    const completionCapped = plan([{ role: "user", content: "[[words:10]]" }], { max_completion_tokens: 2 });
    expect(text(completionCapped)).toBe("word1 word2");
  });

  it("stops before the first stop sequence with finish_reason stop", () => {
    const result = plan([{ role: "user", content: "[[reply:one two. three! four]]" }], { stop: ["!", "."] });
    expect(text(result)).toBe("one two");
    expect(result.reply.finishReason).toBe("stop");
  });

  it("ends a partial reply with content_filter when told to", () => {
    const result = plan([{ role: "user", content: "[[words:6]] [[finish:content_filter]]" }]);
    expect(text(result)).toBe("word1 word2 word3");
    expect(result.reply.finishReason).toBe("content_filter");
  });

  it("calls tools named by directives, generating missing arguments from the tool's schema", () => {
    const result = plan([{ role: "user", content: '[[call:get_weather]] [[call:get_weather {"city":"Oslo"}]]' }], { tools: [weatherTool] });
    const calls = result.reply.toolCalls.map((call) => ({ id: call.id, name: call.name, arguments: call.argumentPieces.join("") }));
    expect(calls).toEqual([
      { id: "call_1", name: "get_weather", arguments: '{"city":"example"}' },
      { id: "call_2", name: "get_weather", arguments: '{"city":"Oslo"}' },
    ]);
    expect(result.reply.finishReason).toBe("tool_calls");
    expect(result.reply.contentPieces).toEqual([]);
  });

  it("explains in text when asked to call a tool the request does not offer", () => {
    const result = plan([{ role: "user", content: "[[call:launch_rocket]]" }], { tools: [weatherTool] });
    expect(text(result)).toBe("The fake upstream was asked to call the tool launch_rocket, but the request offers only get_weather.");
    expect(result.reply.toolCalls).toEqual([]);
  });

  it("follows tool_choice none, required and a named function", () => {
    const ask = (content: string, tool_choice: ChatRequest["tool_choice"]) =>
      plan([{ role: "user", content }], { tools: [weatherTool, timeTool], tool_choice }).reply.toolCalls.map((call) => call.name);
    expect(ask("[[call:get_time]]", "none")).toEqual([]);
    expect(ask("no directive", "required")).toEqual(["get_weather"]);
    expect(ask("no directive", { type: "function", function: { name: "get_time" } })).toEqual(["get_time"]);
    expect(ask("[[call:get_weather]] [[call:get_time]]", { type: "function", function: { name: "get_time" } })).toEqual(["get_time"]);
  });

  it("answers json_object with the reply text under answer, in a few pieces", () => {
    const result = plan([{ role: "user", content: "hi" }], { response_format: { type: "json_object" } });
    expect(JSON.parse(text(result))).toEqual({ answer: "Hello from the fake upstream. You said: hi" });
    expect(result.reply.contentPieces).toHaveLength(3);
  });
});

describe("splitWords and cutAtStop", () => {
  it("splits into words that rejoin into the exact text", () => {
    const original = "  lead\tand  trailing \n";
    expect(splitWords(original)).toEqual(["  lead\t", "and  ", "trailing \n"]);
    expect(splitWords("")).toEqual([]);
  });

  it("cuts at the earliest of several stop sequences and ignores empty ones", () => {
    expect(cutAtStop("abc-def.ghi", [".", "-", ""])).toBe("abc");
    expect(cutAtStop("abc", "x")).toBe("abc");
    expect(cutAtStop("abc", null)).toBe("abc");
  });
});
