// The official openai npm SDK used as its docs show, against the local gateway: streamed tool calls,
// the runTools loop with real local functions, structured output with `parse`, usage chunks, and a
// client that aborts mid-stream. Each test also checks what the fake upstream received.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import type { ChatCompletionTool } from "openai/resources/chat/completions";
import { z } from "zod";
import type { LocalGateway } from "../local-gateway/gateway";
import { recordedRequests, waitForRecorded } from "../fake-upstream/client";
import { marker, openaiClient, startTestGateway, upstreamUrl } from "./harness";

interface UpstreamBody {
  messages: Array<Record<string, unknown>>;
  tools?: ChatCompletionTool[];
  response_format?: unknown;
}

async function upstreamBodies(tag: string): Promise<UpstreamBody[]> {
  return (await recordedRequests(upstreamUrl(), tag)).map((request) => request.body as UpstreamBody);
}

let gateway: LocalGateway;
let client: OpenAI;

beforeAll(async () => {
  gateway = await startTestGateway();
  client = openaiClient(gateway);
});
afterAll(() => gateway.close());

const weatherParameters = {
  type: "object",
  properties: { city: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } },
  required: ["city", "unit"],
  additionalProperties: false,
};
const weatherTool: ChatCompletionTool = {
  type: "function",
  function: { name: "get_weather", description: "Current weather", parameters: weatherParameters },
};

describe("tools with the openai SDK", () => {
  test("stream helper: parallel tool calls are assembled into separate calls, and the upstream got the schema intact", async () => {
    const tag = marker();
    const stream = client.chat.completions.stream({
      model: "support",
      tools: [weatherTool],
      messages: [
        { role: "user", content: `[[call:get_weather {"city":"Oslo","unit":"celsius"}]] [[call:get_weather {"city":"Rome","unit":"celsius"}]] ${tag}` },
      ],
    });
    const completion = await stream.finalChatCompletion();
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe("tool_calls");
    const calls = choice.message.tool_calls!.filter((call) => call.type === "function");
    expect(calls.map((call) => call.function)).toEqual([
      { name: "get_weather", arguments: '{"city":"Oslo","unit":"celsius"}' },
      { name: "get_weather", arguments: '{"city":"Rome","unit":"celsius"}' },
    ]);
    expect(calls[0]!.id).not.toBe(calls[1]!.id);
    const [upstream] = await upstreamBodies(tag);
    expect(upstream!.tools).toEqual([weatherTool]);
  });

  for (const stream of [false, true]) {
    test(`runTools${stream ? " (streaming)" : ""}: local functions run and their results produce the final answer`, async () => {
      const tag = marker();
      const cities: string[] = [];
      const params = {
        model: "support",
        messages: [{ role: "user" as const, content: `Weather in Paris? [[call:get_weather {"city":"Paris","unit":"celsius"}]] ${tag}` }],
        tools: [
          {
            type: "function" as const,
            function: {
              name: "get_weather",
              description: "Current weather",
              parameters: weatherParameters,
              parse: (input: string) => JSON.parse(input) as { city: string; unit: string },
              function: ({ city, unit }: { city: string; unit: string }) => {
                cities.push(city);
                return `18 ${unit} in ${city}`;
              },
            },
          },
        ],
      };
      const runner = stream
        ? client.chat.completions.runTools({ ...params, stream: true })
        : client.chat.completions.runTools(params);
      expect(await runner.finalContent()).toBe("Tool results: get_weather=18 celsius in Paris");
      expect(cities).toEqual(["Paris"]);

      const [first, second] = await upstreamBodies(tag);
      expect(first!.messages.at(-1)).toMatchObject({ role: "user" });
      const assistant = second!.messages.at(-2) as { role: string; tool_calls: Array<{ id: string; function: unknown }> };
      expect(assistant).toMatchObject({ role: "assistant", tool_calls: [{ type: "function", function: { name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' } }] });
      expect(second!.messages.at(-1)).toEqual({ role: "tool", tool_call_id: assistant.tool_calls[0]!.id, content: "18 celsius in Paris" });
    });
  }
});

describe("structured output with the openai SDK", () => {
  test("chat.completions.parse with a zod response_format: parsed output, and the upstream got the json_schema", async () => {
    const tag = marker();
    const CityFacts = z.object({ name: z.string(), population: z.number().int(), landmarks: z.array(z.string()) });
    const responseFormat = zodResponseFormat(CityFacts, "city_facts");
    const completion = await client.chat.completions.parse({
      model: "writer",
      messages: [{ role: "user", content: `Facts about Paris ${tag}` }],
      response_format: responseFormat,
    });
    const message = completion.choices[0]!.message;
    expect(message.parsed).toEqual(CityFacts.parse(JSON.parse(message.content!)));
    const [upstream] = await upstreamBodies(tag);
    expect(upstream!.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "city_facts", strict: true, schema: responseFormat.json_schema.schema },
    });
  });
});

describe("streaming with the openai SDK", () => {
  test("include_usage: the final chunk has empty choices and the usage the upstream reported", async () => {
    const tag = marker();
    const stream = await client.chat.completions.create({
      model: "writer",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: `[[words:6]] ${tag}` }],
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ completion_tokens: 6 });
    expect(last.usage!.total_tokens).toBe(last.usage!.prompt_tokens + 6);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  test("aborting mid-stream in client-tool mode closes the upstream request too", async () => {
    const tag = marker();
    const stream = await client.chat.completions.create({
      model: "writer",
      stream: true,
      tools: [weatherTool],
      messages: [{ role: "user", content: `[[words:400]] [[trickle:15]] ${tag}` }],
    });
    let text = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (text.includes("word3")) break;
    }
    // Leaving the loop early aborts the SDK's request, as its docs say.
    const upstream = await waitForRecorded(upstreamUrl(), tag, (request) => request.finishedAt !== null, 3000);
    expect(upstream.closedEarly).toBe(true);
    // 400 words at 15 ms each would take 6 s; the upstream was cut off long before.
    expect(upstream.finishedAt! - upstream.receivedAt).toBeLessThan(3000);
  });
});
