// Unit tests of how a request's parameters, the agent's settings and the policy's cap become AI SDK call
// settings, with AI SDK 6's field names (a wrong name is silently dropped by the SDK).
import { describe, expect, test } from "vitest";
import { asSchema } from "ai";
import { chatCompletionRequestSchema } from "../openai/request";
import type { ResolvedTarget } from "./requestDecision";
import { clientTools, generationSettings, responseOutput, toolChoice } from "./generation";

const agent: ResolvedTarget = {
  kind: "agent",
  id: "support",
  upstreamModel: "gpt-4o-mini",
  temperature: 0.3,
  maxOutputTokens: 1024,
  serverTools: [],
};

function request(fields: Record<string, unknown>) {
  return chatCompletionRequestSchema.parse({ model: "support", messages: [{ role: "user", content: "hi" }], ...fields });
}

describe("generationSettings", () => {
  test("maps every sampling parameter to its AI SDK name", () => {
    expect(
      generationSettings(
        request({ temperature: 0.9, top_p: 0.5, stop: "END", presence_penalty: 0.1, frequency_penalty: 0.2, seed: 7, max_tokens: 100 }),
        agent,
      ),
    ).toEqual({
      temperature: 0.9,
      topP: 0.5,
      maxOutputTokens: 100,
      stopSequences: ["END"],
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      seed: 7,
      providerOptions: { openai: {} },
    });
  });

  test("OpenAI-only parameters travel as the openai provider's options", () => {
    const settings = generationSettings(
      request({
        user: "u-1",
        tools: [{ type: "function", function: { name: "f" } }],
        parallel_tool_calls: false,
        reasoning_effort: "high",
        verbosity: "low",
        logit_bias: { "42": -100 },
      }),
      agent,
    );
    expect(settings.providerOptions.openai).toEqual({
      user: "u-1",
      parallelToolCalls: false,
      reasoningEffort: "high",
      textVerbosity: "low",
      logitBias: { "42": -100 },
    });
  });

  test("json_schema strictness defaults to OpenAI's false, not the AI SDK's true", () => {
    const format = (strict?: boolean) => ({ type: "json_schema", json_schema: { name: "x", schema: { type: "object" }, ...(strict === undefined ? {} : { strict }) } });
    expect(generationSettings(request({ response_format: format() }), agent).providerOptions.openai.strictJsonSchema).toBe(false);
    expect(generationSettings(request({ response_format: format(true) }), agent).providerOptions.openai.strictJsonSchema).toBe(true);
  });

  test("the agent's temperature applies unless the request sets one; absent everywhere, none is sent", () => {
    expect(generationSettings(request({}), agent).temperature).toBe(0.3);
    expect(generationSettings(request({ temperature: 0 }), agent).temperature).toBe(0);
    expect(generationSettings(request({}), { ...agent, temperature: null })).not.toHaveProperty("temperature");
  });

  test("the smallest cap wins among max_tokens, max_completion_tokens and the target's cap", () => {
    const cap = (fields: Record<string, unknown>, targetCap: number | null) =>
      generationSettings(request(fields), { ...agent, maxOutputTokens: targetCap }).maxOutputTokens;
    expect(cap({}, 1024)).toBe(1024);
    expect(cap({ max_tokens: 10 }, 1024)).toBe(10);
    expect(cap({ max_completion_tokens: 5000 }, 1024)).toBe(1024);
    expect(cap({ max_tokens: 30, max_completion_tokens: 20 }, null)).toBe(20);
    expect(cap({ max_tokens: 20, max_completion_tokens: 30 }, null)).toBe(20);
    expect(cap({}, null)).toBeUndefined();
  });
});

describe("clientTools", () => {
  test("each tool's JSON Schema becomes its inputSchema unchanged, with no execute", async () => {
    const parameters = { type: "object", properties: { a: { $ref: "#/$defs/a" } }, $defs: { a: { type: "string" } } };
    const tools = clientTools(request({ tools: [{ type: "function", function: { name: "f", description: "does f", parameters, strict: true } }] }));
    expect(Object.keys(tools)).toEqual(["f"]);
    expect(tools.f).toMatchObject({ description: "does f", strict: true });
    expect(tools.f).not.toHaveProperty("execute");
    expect(await asSchema(tools.f!.inputSchema).jsonSchema).toEqual(parameters);
  });

  test("a tool without parameters takes an empty object", async () => {
    const tools = clientTools(request({ tools: [{ type: "function", function: { name: "f" } }] }));
    expect(await asSchema(tools.f!.inputSchema).jsonSchema).toEqual({ type: "object", properties: {} });
  });
});

describe("toolChoice", () => {
  test("maps OpenAI's choices to the AI SDK's", () => {
    const tools = [{ type: "function", function: { name: "f" } }];
    expect(toolChoice(request({}))).toBeUndefined();
    for (const choice of ["auto", "none", "required"]) expect(toolChoice(request({ tools, tool_choice: choice }))).toBe(choice);
    expect(toolChoice(request({ tools, tool_choice: { type: "function", function: { name: "f" } } }))).toEqual({ type: "tool", toolName: "f" });
  });
});

describe("responseOutput", () => {
  test("text needs no output spec; json_object and json_schema get one", () => {
    expect(responseOutput(request({}))).toBeUndefined();
    expect(responseOutput(request({ response_format: { type: "text" } }))).toBeUndefined();
    expect(responseOutput(request({ response_format: { type: "json_object" } }))).toBeDefined();
    expect(responseOutput(request({ response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "object" } } } }))).toBeDefined();
  });
});
