// The Vercel AI SDK as a client of the local gateway, used as its docs show: `createOpenAI(...).chat(id)`
// with generateText running a client-side tool loop, and streamText. Each test also checks what the fake
// upstream received.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, stepCountIs, streamText, tool } from "ai";
import { z } from "zod";
import type { LocalGateway } from "../local-gateway/gateway";
import { recordedRequests } from "../fake-upstream/client";
import { ACME_KEY, marker, startTestGateway, upstreamUrl } from "./harness";

interface UpstreamBody {
  messages: Array<Record<string, unknown>>;
  tools?: Array<{ function: { name: string; parameters: unknown } }>;
  max_tokens?: number;
}

async function upstreamBodies(tag: string): Promise<UpstreamBody[]> {
  return (await recordedRequests(upstreamUrl(), tag)).map((request) => request.body as UpstreamBody);
}

let gateway: LocalGateway;
let gatewayProvider: ReturnType<typeof createOpenAI>;

beforeAll(async () => {
  gateway = await startTestGateway();
  gatewayProvider = createOpenAI({ baseURL: gateway.baseUrl, apiKey: ACME_KEY });
});
afterAll(() => gateway.close());

/** A real local tool: the AI SDK runs it between steps, so the gateway sees an ordinary client-tool loop. */
function weatherTool(calls: string[]) {
  return tool({
    description: "Current weather for a city",
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      calls.push(city);
      return `windy in ${city}`;
    },
  });
}

describe("the AI SDK as a client", () => {
  test("generateText with a tool loop: the local tool runs, and the second step answers from its result", async () => {
    const tag = marker();
    const calls: string[] = [];
    const result = await generateText({
      model: gatewayProvider.chat("support"),
      tools: { get_weather: weatherTool(calls) },
      stopWhen: stepCountIs(4),
      prompt: `Weather in Lisbon? [[call:get_weather {"city":"Lisbon"}]] ${tag}`,
    });
    expect(calls).toEqual(["Lisbon"]);
    expect(result.steps.map((step) => step.finishReason)).toEqual(["tool-calls", "stop"]);
    expect(result.text).toBe("Tool results: get_weather=windy in Lisbon");
    expect(result.totalUsage.outputTokens).toBeGreaterThan(0);

    const [first, second] = await upstreamBodies(tag);
    // The tool's zod schema reached the upstream as the JSON Schema the AI SDK generated for it.
    expect(first!.tools![0]!.function).toMatchObject({
      name: "get_weather",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    });
    const toolCall = result.steps[0]!.toolCalls[0]!;
    expect(second!.messages.slice(-2)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: toolCall.toolCallId, type: "function", function: { name: "get_weather", arguments: '{"city":"Lisbon"}' } }],
      },
      { role: "tool", tool_call_id: toolCall.toolCallId, content: "windy in Lisbon" },
    ]);
  });

  test("streamText with a tool loop streams every step's text and tool calls", async () => {
    const tag = marker();
    const calls: string[] = [];
    const result = streamText({
      model: gatewayProvider.chat("support"),
      tools: { get_weather: weatherTool(calls) },
      stopWhen: stepCountIs(4),
      prompt: `[[call:get_weather {"city":"Porto"}]] [[call:get_weather {"city":"Faro"}]] ${tag}`,
    });
    const toolInputs: unknown[] = [];
    let text = "";
    for await (const part of result.fullStream) {
      if (part.type === "tool-call") toolInputs.push(part.input);
      if (part.type === "text-delta") text += part.text;
    }
    expect(toolInputs).toEqual([{ city: "Porto" }, { city: "Faro" }]);
    expect(calls).toEqual(["Porto", "Faro"]);
    expect(text).toBe("Tool results: get_weather=windy in Porto; get_weather=windy in Faro");
    expect(await upstreamBodies(tag)).toHaveLength(2);
  });

  test("streamText relays text deltas as they arrive and reports the upstream's finish reason and usage", async () => {
    const tag = marker();
    const result = streamText({
      model: gatewayProvider.chat("writer"),
      maxOutputTokens: 5,
      prompt: `[[words:20]] [[trickle:250]] ${tag}`,
    });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.join("")).toBe("word1 word2 word3 word4 word5");
    // 250 ms between upstream words (agent mode writes every 500 ms): the reply arrives in pieces, not
    // as one block at the end.
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(await result.finishReason).toBe("length");
    expect((await result.usage).outputTokens).toBe(5);
    const [upstream] = await upstreamBodies(tag);
    expect(upstream!.max_tokens).toBe(5);
  });
});
