// Every Chat Completions parameter the gateway honours reaches the upstream under OpenAI's wire name,
// output caps combine so the smallest wins, and every parameter it cannot honour is a 400 naming it.
import { describe, expect, test } from "vitest";
import { marker, postChat, startGateway } from "../testing/harness.testing";
import { onlyUpstreamBody, upstreamBodies } from "../testing/upstream.testing";
import { MODES } from "../testing/modes.testing";

const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false },
  },
};
const timeTool = { type: "function", function: { name: "get_time", parameters: { type: "object", properties: {} } } };

/** Sends one request to the "writer" agent (no temperature, no cap of its own) and returns what the upstream got. */
async function forwarded(extra: Record<string, unknown>, model = "writer") {
  const t = await startGateway();
  const tag = marker();
  const response = await postChat(t, { model, messages: [{ role: "user", content: `hello ${tag}` }], ...extra });
  expect(response.status, JSON.stringify(await response.clone().json().catch(() => null))).toBe(200);
  await response.text();
  return onlyUpstreamBody(tag);
}

// [request parameter, what the client sends, what the upstream must receive]
type ForwardingCase = [string, Record<string, unknown>, Record<string, unknown>];

for (const mode of MODES) {
  describe(`honoured parameters reach the upstream under OpenAI's wire names (${mode.name})`, () => {
    const cases: ForwardingCase[] = [
      ["temperature", { temperature: 0.7 }, { temperature: 0.7 }],
      ["top_p", { top_p: 0.25 }, { top_p: 0.25 }],
      ["max_tokens", { max_tokens: 77 }, { max_tokens: 77 }],
      // The AI SDK sends max_tokens to non-reasoning models and max_completion_tokens to reasoning models.
      ["max_completion_tokens", { max_completion_tokens: 66 }, { max_tokens: 66 }],
      ["stop as a string", { stop: "END" }, { stop: ["END"] }],
      ["stop as an array", { stop: ["END", "FIN"] }, { stop: ["END", "FIN"] }],
      ["presence_penalty", { presence_penalty: 0.5 }, { presence_penalty: 0.5 }],
      ["frequency_penalty", { frequency_penalty: -0.5 }, { frequency_penalty: -0.5 }],
      ["seed", { seed: 42 }, { seed: 42 }],
      ["user", { user: "end-user-17" }, { user: "end-user-17" }],
      ["logit_bias", { logit_bias: { "50256": -100, "1234": 5 } }, { logit_bias: { "50256": -100, "1234": 5 } }],
      ["reasoning_effort", { reasoning_effort: "low" }, { reasoning_effort: "low" }],
      ["verbosity", { verbosity: "low" }, { verbosity: "low" }],
      ["response_format json_object", { response_format: { type: "json_object" } }, { response_format: { type: "json_object" } }],
      [
        "response_format json_schema with strict",
        {
          response_format: {
            type: "json_schema",
            json_schema: {
              name: "city_facts",
              description: "Facts about a city",
              strict: true,
              schema: { type: "object", properties: { name: { type: "string" } }, required: ["name"], additionalProperties: false },
            },
          },
        },
        {
          response_format: {
            type: "json_schema",
            json_schema: {
              name: "city_facts",
              description: "Facts about a city",
              strict: true,
              schema: { type: "object", properties: { name: { type: "string" } }, required: ["name"], additionalProperties: false },
            },
          },
        },
      ],
      [
        "response_format json_schema without strict (OpenAI's default is false)",
        { response_format: { type: "json_schema", json_schema: { name: "answer", schema: { type: "object" } } } },
        { response_format: { type: "json_schema", json_schema: { name: "answer", strict: false, schema: { type: "object" } } } },
      ],
    ];
    for (const [name, sent, received] of cases) {
      test(name, async () => {
        const upstream = await forwarded({ ...mode.fields, ...sent });
        expect(upstream).toMatchObject(received);
      });
    }

    test("response_format text sends no response_format: text is the upstream's default", async () => {
      const upstream = await forwarded({ ...mode.fields, response_format: { type: "text" } });
      expect(upstream).not.toHaveProperty("response_format");
    });

    test("the upstream always streams and reports usage, whatever the client asked", async () => {
      const upstream = await forwarded({ ...mode.fields, stream: false });
      expect(upstream).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    });

    test("parameters the client did not send are not invented", async () => {
      const upstream = await forwarded(mode.fields);
      for (const parameter of ["temperature", "top_p", "stop", "presence_penalty", "frequency_penalty", "seed", "user", "logit_bias", "response_format", "parallel_tool_calls"]) {
        expect(upstream, parameter).not.toHaveProperty(parameter);
      }
    });
  });
}

describe("tool parameters reach the upstream under OpenAI's wire names", () => {
  const cases: ForwardingCase[] = [
    ["tools", { tools: [weatherTool, timeTool] }, { tools: [weatherTool, timeTool] }],
    ["tools with strict", { tools: [{ ...weatherTool, function: { ...weatherTool.function, strict: true } }] }, {
      tools: [{ ...weatherTool, function: { ...weatherTool.function, strict: true } }],
    }],
    ["tool_choice auto", { tools: [weatherTool], tool_choice: "auto" }, { tool_choice: "auto" }],
    ["tool_choice none", { tools: [weatherTool], tool_choice: "none" }, { tool_choice: "none" }],
    ["tool_choice required", { tools: [weatherTool], tool_choice: "required" }, { tool_choice: "required" }],
    [
      "tool_choice naming a function",
      { tools: [weatherTool, timeTool], tool_choice: { type: "function", function: { name: "get_time" } } },
      { tool_choice: { type: "function", function: { name: "get_time" } } },
    ],
    ["parallel_tool_calls", { tools: [weatherTool], parallel_tool_calls: false }, { parallel_tool_calls: false }],
  ];
  for (const [name, sent, received] of cases) {
    test(name, async () => {
      expect(await forwarded(sent)).toMatchObject(received);
    });
  }

  test("without tool_choice the upstream gets OpenAI's default with tools, auto", async () => {
    expect((await forwarded({ tools: [weatherTool] })).tool_choice).toBe("auto");
  });
});

for (const mode of MODES) {
  describe(`generation settings combine the request, the agent and the tenant policy (${mode.name})`, () => {
    test("the agent's temperature applies when the request sets none", async () => {
      expect((await forwarded(mode.fields, "support")).temperature).toBe(0.3);
    });

    test("the request's temperature wins over the agent's", async () => {
      expect((await forwarded({ ...mode.fields, temperature: 1.1 }, "support")).temperature).toBe(1.1);
    });

    // support: agent cap 1024; writer: none; gpt-4.1-mini: passthrough. The acme policy caps at 4096.
    const caps: Array<[string, string, Record<string, unknown>, number]> = [
      ["the agent's cap applies when the request sets none", "support", {}, 1024],
      ["a smaller max_tokens wins over the agent's cap", "support", { max_tokens: 500 }, 500],
      ["a larger max_tokens is capped by the agent", "support", { max_tokens: 2000 }, 1024],
      ["a larger max_completion_tokens is capped by the agent", "support", { max_completion_tokens: 2000 }, 1024],
      ["the policy's cap applies to an agent without one", "writer", {}, 4096],
      ["a larger max_tokens is capped by the policy", "writer", { max_tokens: 9000 }, 4096],
      ["the policy's cap applies to a passthrough model", "gpt-4.1-mini", { max_completion_tokens: 5000 }, 4096],
      ["with both max_tokens and max_completion_tokens, the smaller wins", "writer", { max_tokens: 300, max_completion_tokens: 200 }, 200],
      ["with both, the smaller wins whichever field holds it", "writer", { max_tokens: 150, max_completion_tokens: 250 }, 150],
    ];
    for (const [name, model, sent, cap] of caps) {
      test(name, async () => {
        expect((await forwarded({ ...mode.fields, ...sent }, model)).max_tokens).toBe(cap);
      });
    }
  });

}

describe("parameters the gateway cannot honour are a 400 naming them, and nothing is sent upstream", () => {
  const cases: Array<[string, Record<string, unknown>, { code: string | null; param: string }]> = [
    ["n greater than 1", { n: 2 }, { code: "unsupported_parameter", param: "n" }],
    ["logprobs", { logprobs: true }, { code: "unsupported_parameter", param: "logprobs" }],
    ["top_logprobs", { top_logprobs: 3 }, { code: "unsupported_parameter", param: "top_logprobs" }],
    ["audio", { audio: { voice: "alloy", format: "mp3" } }, { code: "unsupported_parameter", param: "audio" }],
    ["modalities", { modalities: ["text", "audio"] }, { code: "unsupported_parameter", param: "modalities" }],
    ["prediction", { prediction: { type: "content", content: "x" } }, { code: "unsupported_parameter", param: "prediction" }],
    ["web_search_options", { web_search_options: {} }, { code: "unsupported_parameter", param: "web_search_options" }],
    ["functions (deprecated)", { functions: [{ name: "f", parameters: {} }] }, { code: "unsupported_parameter", param: "functions" }],
    ["function_call (deprecated)", { function_call: "auto" }, { code: "unsupported_parameter", param: "function_call" }],
    ["an unknown parameter", { temprature: 0.5 }, { code: "unsupported_parameter", param: "temprature" }],
    ["tool_choice without tools", { tool_choice: "auto" }, { code: "invalid_value", param: "tool_choice" }],
    ["parallel_tool_calls without tools", { parallel_tool_calls: true }, { code: "invalid_value", param: "parallel_tool_calls" }],
    [
      "tool_choice naming a function that is not in tools",
      { tools: [weatherTool], tool_choice: { type: "function", function: { name: "get_time" } } },
      { code: "invalid_value", param: "tool_choice" },
    ],
    ["an empty tools array", { tools: [] }, { code: "invalid_value", param: "tools" }],
    ["two tools with the same name", { tools: [weatherTool, weatherTool] }, { code: "invalid_value", param: "tools[1].function.name" }],
    ["stream_options without stream", { stream_options: { include_usage: true } }, { code: "invalid_value", param: "stream_options" }],
    ["a temperature above 2", { temperature: 2.5 }, { code: "invalid_value", param: "temperature" }],
    ["max_tokens of 0", { max_tokens: 0 }, { code: "invalid_value", param: "max_tokens" }],
    ["more than 4 stop sequences", { stop: ["a", "b", "c", "d", "e"] }, { code: "invalid_value", param: "stop" }],
    ["an unknown response_format type", { response_format: { type: "xml" } }, { code: "invalid_value", param: "response_format.type" }],
    ["a tool of an unsupported type", { tools: [{ type: "custom", custom: { name: "x" } }] }, { code: "invalid_value", param: "tools[0].type" }],
  ];
  for (const [name, extra, error] of cases) {
    test(name, async () => {
      const t = await startGateway();
      const tag = marker();
      const response = await postChat(t, { model: "writer", messages: [{ role: "user", content: `hi ${tag}` }], ...extra });
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body).toEqual({ error: { message: expect.any(String), type: "invalid_request_error", ...error } });
      expect(body.error.message).toContain(error.param.split(/[.[]/)[0]);
      expect(await t.run((ctx) => ctx.db.query("conversations").collect())).toEqual([]);
      expect(await upstreamBodies(tag)).toEqual([]);
    });
  }

  test("n = 1 and logprobs = false are accepted: they ask for what the gateway does", async () => {
    const upstream = await forwarded({ n: 1, logprobs: false });
    expect(upstream).not.toHaveProperty("n");
    expect(upstream).not.toHaveProperty("logprobs");
  });
});
