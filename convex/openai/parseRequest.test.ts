// Unit tests of request parsing: which 400 each kind of mistake becomes (code, param, message), and the
// rules that span several parameters.
import { describe, expect, test } from "vitest";
import { joinPath, parseChatCompletionRequest, parseJsonBody } from "./parseRequest";

const valid = { model: "support", messages: [{ role: "user", content: "hi" }] };
const tool = { type: "function", function: { name: "get_time" } };

function errorOf(body: unknown) {
  const parsed = parseChatCompletionRequest(body);
  if (parsed.ok) throw new Error("expected the request to be refused");
  return parsed.error;
}

describe("parseJsonBody", () => {
  test("valid JSON is returned parsed", () => {
    expect(parseJsonBody('{"a":[1]}')).toEqual({ ok: true, value: { a: [1] } });
  });

  test("invalid JSON is invalid_json without a param", () => {
    expect(parseJsonBody("{nope")).toEqual({ ok: false, error: { code: "invalid_json", message: expect.any(String) } });
  });
});

describe("parseChatCompletionRequest", () => {
  test("a minimal request is accepted", () => {
    expect(parseChatCompletionRequest(valid)).toEqual({ ok: true, value: valid });
  });

  test("a body that is not an object is invalid_json", () => {
    expect(errorOf([valid]).code).toBe("invalid_json");
    expect(errorOf("text").code).toBe("invalid_json");
  });

  test("a missing required parameter is OpenAI's null-code 400 naming it", () => {
    expect(errorOf({ messages: valid.messages })).toEqual({
      code: "invalid_request",
      param: "model",
      message: "Missing required parameter: 'model'.",
    });
  });

  test("an unknown parameter is unsupported_parameter in OpenAI's wording", () => {
    expect(errorOf({ ...valid, frobnicate: true })).toEqual({
      code: "unsupported_parameter",
      param: "frobnicate",
      message: "Unrecognized request argument supplied: frobnicate",
    });
  });

  test("a documented parameter the gateway cannot honour says so by name", () => {
    expect(errorOf({ ...valid, moderation: { model: "omni-moderation-latest" } })).toEqual({
      code: "unsupported_parameter",
      param: "moderation",
      message: "'moderation' is not supported by this gateway.",
    });
  });

  test("n above 1 and logprobs true are unsupported_parameter with a reason", () => {
    expect(errorOf({ ...valid, n: 3 })).toMatchObject({ code: "unsupported_parameter", param: "n", message: expect.stringContaining("n = 1") });
    expect(errorOf({ ...valid, logprobs: true })).toMatchObject({ code: "unsupported_parameter", param: "logprobs" });
  });

  test("a nested invalid value names its full path", () => {
    expect(errorOf({ ...valid, messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "file:///etc/passwd" } }] }] })).toMatchObject({
      code: "invalid_value",
      param: "messages[0].content[0].image_url.url",
    });
  });

  describe("rules across parameters", () => {
    test("tool_choice and parallel_tool_calls need tools", () => {
      expect(errorOf({ ...valid, tool_choice: "none" })).toEqual({
        code: "invalid_value",
        param: "tool_choice",
        message: "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
      });
      expect(errorOf({ ...valid, parallel_tool_calls: false })).toMatchObject({ code: "invalid_value", param: "parallel_tool_calls" });
    });

    test("null tool_choice and parallel_tool_calls count as absent", () => {
      expect(parseChatCompletionRequest({ ...valid, tool_choice: null, parallel_tool_calls: null }).ok).toBe(true);
    });

    test("a named tool_choice must name one of the tools", () => {
      const choice = { type: "function", function: { name: "get_weather" } };
      expect(errorOf({ ...valid, tools: [tool], tool_choice: choice })).toMatchObject({
        code: "invalid_value",
        param: "tool_choice",
        message: expect.stringContaining("get_weather"),
      });
      expect(parseChatCompletionRequest({ ...valid, tools: [tool], tool_choice: { type: "function", function: { name: "get_time" } } }).ok).toBe(true);
    });

    test("tool names are unique", () => {
      expect(errorOf({ ...valid, tools: [tool, tool] })).toMatchObject({ code: "invalid_value", param: "tools[1].function.name" });
    });

    test("stream_options needs stream: true", () => {
      expect(errorOf({ ...valid, stream: false, stream_options: { include_usage: true } })).toMatchObject({ code: "invalid_value", param: "stream_options" });
      expect(parseChatCompletionRequest({ ...valid, stream: true, stream_options: { include_usage: true } }).ok).toBe(true);
    });
  });
});

describe("joinPath", () => {
  test("names nested parameters the way OpenAI does", () => {
    expect(joinPath(["messages", 2, "tool_calls", 0, "function", "arguments"])).toBe("messages[2].tool_calls[0].function.arguments");
    expect(joinPath([])).toBe("");
  });
});
