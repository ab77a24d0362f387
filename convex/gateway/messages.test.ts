// Messages of every role reach the upstream whole and in order; tool JSON Schemas reach it untouched
// ($ref and $defs included); malformed messages are a 400 naming the field, never a 500.
import { describe, expect, test } from "vitest";
import { marker, postChat, startGateway } from "../testing/harness.testing";
import { onlyUpstreamBody, upstreamBodies } from "../testing/upstream.testing";

const PNG_DATA_URL =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

describe("the whole history reaches the upstream in order", () => {
  test("system, developer, user (text and image parts), assistant (text, tool calls, refusal) and tool messages", async () => {
    const t = await startGateway();
    const tag = marker();
    const messages = [
      { role: "system", content: "Client system prompt" },
      { role: "developer", content: [{ type: "text", text: "Developer rule one" }, { type: "text", text: "Developer rule two" }] },
      { role: "user", content: "What is the weather in Paris?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_paris", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
      },
      { role: "tool", tool_call_id: "call_paris", content: "sunny, 21 C" },
      { role: "assistant", content: "It is sunny in Paris." },
      {
        role: "user",
        content: [
          { type: "text", text: "What is in these pictures?" },
          { type: "image_url", image_url: { url: "https://example.com/cat.png", detail: "low" } },
          { type: "image_url", image_url: { url: PNG_DATA_URL } },
        ],
      },
      { role: "assistant", content: null, refusal: "I cannot describe these pictures." },
      { role: "user", content: `Then just say hello ${tag}` },
    ];
    const response = await postChat(t, {
      model: "writer",
      messages,
      tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }],
    });
    expect(response.status).toBe(200);
    await response.json();

    const upstream = await onlyUpstreamBody(tag);
    expect(upstream.messages).toEqual([
      { role: "system", content: "You write copy for Acme." },
      { role: "system", content: "Client system prompt" },
      // gpt-4o takes the developer's instructions in its system role; reasoning models get "developer".
      { role: "system", content: "Developer rule one\nDeveloper rule two" },
      { role: "user", content: "What is the weather in Paris?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_paris", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
      },
      { role: "tool", tool_call_id: "call_paris", content: "sunny, 21 C" },
      { role: "assistant", content: "It is sunny in Paris." },
      {
        role: "user",
        content: [
          { type: "text", text: "What is in these pictures?" },
          { type: "image_url", image_url: { url: "https://example.com/cat.png", detail: "low" } },
          { type: "image_url", image_url: { url: PNG_DATA_URL } },
        ],
      },
      { role: "assistant", content: "I cannot describe these pictures." },
      { role: "user", content: `Then just say hello ${tag}` },
    ]);
  });

  test("an assistant message given as text parts reaches the upstream as one text", async () => {
    const t = await startGateway();
    const tag = marker();
    const response = await postChat(t, {
      model: "writer",
      messages: [
        { role: "user", content: "one" },
        { role: "assistant", content: [{ type: "text", text: "part a " }, { type: "text", text: "part b" }] },
        { role: "user", content: `two ${tag}` },
      ],
    });
    expect(response.status).toBe(200);
    await response.json();
    const upstream = await onlyUpstreamBody(tag);
    expect(upstream.messages.slice(1)).toEqual([
      { role: "user", content: "one" },
      { role: "assistant", content: "part a part b" },
      { role: "user", content: `two ${tag}` },
    ]);
  });
});

describe("tool JSON Schemas reach the upstream intact", () => {
  const orderSchema = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    properties: {
      customer: { $ref: "#/$defs/customer" },
      items: { type: "array", items: { $ref: "#/$defs/item" }, minItems: 1 },
      priority: { enum: ["low", "high"], default: "low" },
      "länge": { type: "number", description: "a non-ASCII property name" },
    },
    required: ["customer", "items"],
    additionalProperties: false,
    $defs: {
      customer: { type: "object", properties: { id: { type: "string", pattern: "^c_[0-9]+$" } }, required: ["id"] },
      item: {
        type: "object",
        properties: { sku: { type: "string" }, quantity: { type: "integer", minimum: 1 }, notes: { anyOf: [{ type: "string" }, { type: "null" }] } },
        required: ["sku", "quantity"],
      },
    },
  };

  test("function parameters with $ref, $defs, $schema and non-ASCII keys arrive deep-equal", async () => {
    const t = await startGateway();
    const tag = marker();
    const tools = [
      { type: "function", function: { name: "place_order", description: "Place an order", parameters: orderSchema, strict: false } },
      { type: "function", function: { name: "no_parameters" } },
    ];
    const response = await postChat(t, { model: "writer", messages: [{ role: "user", content: `order ${tag}` }], tools });
    expect(response.status).toBe(200);
    await response.json();
    const upstream = await onlyUpstreamBody(tag);
    expect(upstream.tools![0]).toEqual(tools[0]);
    expect(upstream.tools![0]!.function.parameters).toEqual(orderSchema);
    // A function declared without parameters takes none, which OpenAI spells as an empty object schema.
    expect(upstream.tools![1]).toEqual({ type: "function", function: { name: "no_parameters", parameters: { type: "object", properties: {} } } });
  });

  test("a response_format json_schema with $ref and $defs arrives deep-equal", async () => {
    const t = await startGateway();
    const tag = marker();
    const response = await postChat(t, {
      model: "writer",
      messages: [{ role: "user", content: `order ${tag}` }],
      response_format: { type: "json_schema", json_schema: { name: "order", schema: orderSchema, strict: false } },
    });
    expect(response.status).toBe(200);
    await response.json();
    const upstream = await onlyUpstreamBody(tag);
    expect(upstream.response_format).toEqual({ type: "json_schema", json_schema: { name: "order", schema: orderSchema, strict: false } });
  });
});

describe("malformed messages are a 400 naming the field, and nothing reaches the upstream", () => {
  const call = { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } };
  const cases: Array<[string, unknown[], { code: string | null; param: string }]> = [
    ["an unknown role", [{ role: "wizard", content: "x" }], { code: "invalid_value", param: "messages[0].role" }],
    ["the deprecated function role", [{ role: "function", name: "f", content: "x" }], { code: "invalid_value", param: "messages[0].role" }],
    ["a message without a role", [{ content: "x" }], { code: "invalid_value", param: "messages[0].role" }],
    ["a user message without content", [{ role: "user" }], { code: "invalid_value", param: "messages[0].content" }],
    [
      "tool-call arguments that are not JSON",
      [{ role: "user", content: "x" }, { role: "assistant", tool_calls: [{ ...call, function: { name: "get_weather", arguments: "{city: Paris" } }] }],
      { code: "invalid_value", param: "messages[1].tool_calls[0].function.arguments" },
    ],
    [
      "tool-call arguments that are JSON but not an object",
      [{ role: "user", content: "x" }, { role: "assistant", tool_calls: [{ ...call, function: { name: "get_weather", arguments: "[1,2]" } }] }],
      { code: "invalid_value", param: "messages[1].tool_calls[0].function.arguments" },
    ],
    [
      "a tool call without an id",
      [{ role: "user", content: "x" }, { role: "assistant", tool_calls: [{ type: "function", function: call.function }] }],
      { code: null, param: "messages[1].tool_calls[0].id" },
    ],
    [
      "a tool message without tool_call_id",
      [{ role: "user", content: "x" }, { role: "assistant", tool_calls: [call] }, { role: "tool", content: "sunny" }],
      { code: null, param: "messages[2].tool_call_id" },
    ],
    [
      "a tool result that answers no tool call",
      [{ role: "user", content: "x" }, { role: "tool", tool_call_id: "call_unknown", content: "sunny" }],
      { code: "invalid_value", param: "messages" },
    ],
    [
      "an image URL with an unsupported scheme",
      [{ role: "user", content: [{ type: "image_url", image_url: { url: "ftp://example.com/cat.png" } }] }],
      { code: "invalid_value", param: "messages[0].content[0].image_url.url" },
    ],
    [
      "an unknown content part type",
      [{ role: "user", content: [{ type: "video_url", video_url: { url: "https://example.com/v.mp4" } }] }],
      { code: "invalid_value", param: "messages[0].content" },
    ],
  ];
  for (const [name, messages, error] of cases) {
    test(name, async () => {
      const t = await startGateway();
      const tag = marker();
      // `user` is forwarded upstream, so the marker would show up there had the request gone through.
      const response = await postChat(t, { model: "writer", messages, user: tag });
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body.error).toMatchObject({ type: "invalid_request_error", ...error });
      expect(await t.run((ctx) => ctx.db.query("conversations").collect())).toEqual([]);
      expect(await upstreamBodies(tag)).toEqual([]);
    });
  }
});
