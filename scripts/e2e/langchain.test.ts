// LangChain JS (@langchain/openai's ChatOpenAI) against the local gateway: tool calling with
// .bindTools() over two rounds, and .stream(), asserting on what the fake upstream received as well as
// on what the client got.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ChatOpenAI } from "@langchain/openai";
import { AIMessageChunk, HumanMessage, ToolMessage, type AIMessage } from "@langchain/core/messages";
import type { LocalGateway } from "../local-gateway/gateway";
import { recordedRequests } from "../fake-upstream/client";
import { ACME_KEY, marker, startTestGateway, upstreamUrl } from "./harness";

interface UpstreamBody {
  model: string;
  stream?: boolean;
  messages: Array<{ role: string; content: unknown; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>; tool_call_id?: string }>;
  tools?: Array<{ type: string; function: { name: string; description?: string; parameters: unknown } }>;
}

const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Current weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

let gateway: LocalGateway;
let model: ChatOpenAI;

beforeAll(async () => {
  gateway = await startTestGateway();
  model = new ChatOpenAI({ model: "writer", apiKey: ACME_KEY, configuration: { baseURL: gateway.baseUrl }, maxRetries: 0 });
});
afterAll(() => gateway.close());

async function upstreamBodies(tag: string): Promise<UpstreamBody[]> {
  return (await recordedRequests(upstreamUrl(), tag)).map((request) => request.body as UpstreamBody);
}

describe("LangChain ChatOpenAI against the local gateway", () => {
  test("bindTools: the model's tool call reaches the client, the tool result goes back, and the final answer uses it", async () => {
    const tag = marker();
    const withTools = model.bindTools([weatherTool]);
    const question = new HumanMessage(`Weather in Paris? [[call:get_weather {"city":"Paris"}]] ${tag}`);

    const first = (await withTools.invoke([question])) as AIMessage;
    expect(first.tool_calls).toEqual([{ name: "get_weather", args: { city: "Paris" }, id: expect.any(String), type: "tool_call" }]);

    const result = new ToolMessage({ tool_call_id: first.tool_calls![0]!.id!, content: "18 C and sunny" });
    const final = (await withTools.invoke([question, first, result])) as AIMessage;
    expect(final.content).toBe("Tool results: get_weather=18 C and sunny");
    expect(final.tool_calls ?? []).toEqual([]);

    const [firstUpstream, secondUpstream] = await upstreamBodies(tag);
    expect(firstUpstream!.model).toBe("gpt-4o");
    expect(firstUpstream!.tools).toEqual([
      { type: "function", function: { name: "get_weather", description: "Current weather for a city", parameters: expect.objectContaining(weatherTool.function.parameters) } },
    ]);
    expect(firstUpstream!.messages.map((message) => message.role)).toEqual(["system", "user"]);
    expect(secondUpstream!.messages.map((message) => message.role)).toEqual(["system", "user", "assistant", "tool"]);
    const [call] = secondUpstream!.messages[2]!.tool_calls!;
    expect(call!.function).toEqual({ name: "get_weather", arguments: '{"city":"Paris"}' });
    expect(secondUpstream!.messages[3]).toMatchObject({ tool_call_id: call!.id, content: "18 C and sunny" });
  });

  test(".stream(): text arrives in several chunks that join into the reply, streamed from the upstream too", async () => {
    const tag = marker();
    const chunks: AIMessageChunk[] = [];
    // Words 200 ms apart, so even an agent-mode reply (written every 500 ms) arrives in pieces.
    for await (const chunk of await model.stream(`[[words:8]] [[trickle:200]] ${tag}`)) chunks.push(chunk);
    const contentChunks = chunks.filter((chunk) => typeof chunk.content === "string" && chunk.content !== "");
    expect(contentChunks.length).toBeGreaterThan(2);
    expect(contentChunks.map((chunk) => chunk.content).join("")).toBe("word1 word2 word3 word4 word5 word6 word7 word8");
    const [upstream] = await upstreamBodies(tag);
    expect(upstream!.stream).toBe(true);
    expect(upstream!.messages.at(-1)).toMatchObject({ role: "user", content: `[[words:8]] [[trickle:200]] ${tag}` });
  });

  test(".stream() with bound tools: tool-call chunks aggregate into parallel calls with their arguments", async () => {
    const tag = marker();
    const withTools = model.bindTools([weatherTool]);
    let aggregate: AIMessageChunk | undefined;
    for await (const chunk of await withTools.stream(
      `[[call:get_weather {"city":"Paris"}]] [[call:get_weather {"city":"Oslo"}]] ${tag}`,
    )) {
      aggregate = aggregate === undefined ? chunk : aggregate.concat(chunk);
    }
    expect(aggregate!.tool_calls!.map((call) => [call.name, call.args])).toEqual([
      ["get_weather", { city: "Paris" }],
      ["get_weather", { city: "Oslo" }],
    ]);
    const [upstream] = await upstreamBodies(tag);
    expect(upstream!.stream).toBe(true);
    expect(upstream!.tools!.map((tool) => tool.function.name)).toEqual(["get_weather"]);
  });
});
