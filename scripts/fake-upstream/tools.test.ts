// Drives the fake upstream's tool calls over real HTTP with the openai SDK and the AI SDK (which the
// gateway's client-tool mode uses), and checks that tool results come back in the next reply.
import { createOpenAI } from "@ai-sdk/openai";
import { streamText, tool } from "ai";
import OpenAI from "openai";
import type { ChatCompletionChunk, ChatCompletionTool } from "openai/resources/chat/completions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startFakeUpstream, type FakeUpstream } from "./server";

let upstream: FakeUpstream;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  client = new OpenAI({ baseURL: upstream.url, apiKey: "x", maxRetries: 0 });
});
afterAll(() => upstream.close());

const tools: ChatCompletionTool[] = [
  {
    type: "function",
    function: {
      name: "get_weather",
      parameters: { type: "object", properties: { city: { type: "string" }, unit: { enum: ["celsius", "fahrenheit"] } }, required: ["city", "unit"] },
    },
  },
  { type: "function", function: { name: "get_time", parameters: { type: "object", properties: {} } } },
];

describe("tool calls", () => {
  it("streams a single tool call that the SDK's stream helper assembles", async () => {
    const stream = client.chat.completions.stream({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: 'Weather? [[call:get_weather {"city":"Oslo","unit":"celsius"}]]' }],
      tools,
    });
    const completion = await stream.finalChatCompletion();
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      { id: expect.stringMatching(/^call_\d+$/), type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo","unit":"celsius"}' } },
    ]);
  });

  it("streams parallel tool calls, each under its own index, with schema-generated arguments when none are given", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "[[call:get_weather]] [[call:get_time]]" }],
      tools,
      stream: true,
    });
    const calls: { id?: string; name?: string; arguments: string; deltas: number }[] = [];
    let finishReason: ChatCompletionChunk.Choice["finish_reason"] = null;
    for await (const chunk of stream) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        const call = (calls[delta.index] ??= { arguments: "", deltas: 0 });
        call.id ??= delta.id;
        call.name ??= delta.function?.name;
        call.arguments += delta.function?.arguments ?? "";
        call.deltas += 1;
      }
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
    }
    expect(finishReason).toBe("tool_calls");
    expect(calls.map((call) => call.name)).toEqual(["get_weather", "get_time"]);
    expect(new Set(calls.map((call) => call.id)).size).toBe(2);
    expect(JSON.parse(calls[0]?.arguments ?? "")).toEqual({ city: "example", unit: "celsius" });
    expect(JSON.parse(calls[1]?.arguments ?? "")).toEqual({});
    expect(calls[0]?.deltas).toBe(4);
  });

  it("returns tool calls in a non-streaming completion", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "[[call:get_time]]" }],
      tools,
    });
    expect(completion.choices[0]?.message.tool_calls?.map((call) => call.type === "function" && call.function.name)).toEqual(["get_time"]);
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("calls the first tool for tool_choice required and never calls for none", async () => {
    const required = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "anything" }], tools, tool_choice: "required" });
    const call = required.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === "function" && call.function.name).toBe("get_weather");
    const none = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "[[call:get_time]]" }], tools, tool_choice: "none" });
    expect(none.choices[0]?.message.tool_calls).toBeUndefined();
    expect(none.choices[0]?.message.content).toBe("Hello from the fake upstream. You said:");
  });

  it("says so in text when asked to call a tool that was not offered", async () => {
    const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "[[call:delete_everything]]" }], tools });
    expect(completion.choices[0]?.message.content).toBe(
      "The fake upstream was asked to call the tool delete_everything, but the request offers only get_weather, get_time.",
    );
    expect(completion.choices[0]?.finish_reason).toBe("stop");
  });

  it("replies with the tool results sent after its tool calls", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      tools,
      messages: [
        { role: "user", content: "[[call:get_weather]] [[call:get_time]]" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_w", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo","unit":"celsius"}' } },
            { id: "call_t", type: "function", function: { name: "get_time", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "call_w", content: "12 degrees" },
        { role: "tool", tool_call_id: "call_t", content: "noon" },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe("Tool results: get_weather=12 degrees; get_time=noon");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
  });
});

describe("with the AI SDK", () => {
  it("yields tool calls from streamText for tools without execute", async () => {
    const provider = createOpenAI({ baseURL: upstream.url, apiKey: "x" });
    const result = streamText({
      model: provider.chat("gpt-4o-mini"),
      prompt: '[[call:order_status {"orderId":"A-1"}]] [[call:order_status {"orderId":"B-2"}]]',
      tools: { order_status: tool({ description: "Look up an order", inputSchema: z.object({ orderId: z.string() }) }) },
    });
    const calls = await result.toolCalls;
    expect(calls.map((call) => [call.toolName, call.input])).toEqual([
      ["order_status", { orderId: "A-1" }],
      ["order_status", { orderId: "B-2" }],
    ]);
    expect(await result.finishReason).toBe("tool-calls");
  });

  it("streams text that the AI SDK reassembles, with usage", async () => {
    const provider = createOpenAI({ baseURL: upstream.url, apiKey: "x" });
    const result = streamText({ model: provider.chat("gpt-4o-mini"), prompt: "[[words:5]]" });
    expect(await result.text).toBe("word1 word2 word3 word4 word5");
    expect((await result.usage).outputTokens).toBe(5);
  });
});
