// Client-tool mode: the model's tool calls come back to the client (whole, or as streamed deltas that
// keep one index per call), and the client's next request with the tool results gets the final answer.
import { describe, expect, test } from "vitest";
import { marker, postChat, readSse, startGateway } from "../testing/harness.testing";
import { onlyUpstreamBody, upstreamBodies } from "../testing/upstream.testing";
import { assembleToolCalls, chunksBeforeDone } from "../testing/stream.testing";

const tools = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Current weather for a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    },
  },
  { type: "function", function: { name: "get_time", parameters: { type: "object", properties: { zone: { type: "string" } } } } },
];

const CALL_ID = /^call_\d+$/;

describe("non-streaming tool calls", () => {
  test("a tool call comes back as message.tool_calls with finish_reason tool_calls", async () => {
    const t = await startGateway();
    const tag = marker();
    const response = await postChat(t, {
      model: "support",
      tools,
      messages: [{ role: "user", content: `Weather in Paris? [[call:get_weather {"city":"Paris"}]] ${tag}` }],
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.choices).toEqual([
      {
        index: 0,
        message: {
          role: "assistant",
          content: null,
          refusal: null,
          tool_calls: [{ id: expect.stringMatching(CALL_ID), type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
        },
        logprobs: null,
        finish_reason: "tool_calls",
      },
    ]);
    const upstream = await onlyUpstreamBody(tag);
    expect(upstream.tools!.map((tool) => tool.function.name)).toEqual(["get_weather", "get_time"]);
  });

  test("parallel tool calls come back as separate calls with their own ids", async () => {
    const t = await startGateway();
    const tag = marker();
    const response = await postChat(t, {
      model: "support",
      tools,
      messages: [{ role: "user", content: `[[call:get_weather {"city":"Paris"}]] [[call:get_weather {"city":"Oslo"}]] [[call:get_time {"zone":"UTC"}]] ${tag}` }],
    });
    const message = (await response.json()).choices[0].message;
    expect(message.tool_calls.map((call: { function: unknown }) => call.function)).toEqual([
      { name: "get_weather", arguments: '{"city":"Paris"}' },
      { name: "get_weather", arguments: '{"city":"Oslo"}' },
      { name: "get_time", arguments: '{"zone":"UTC"}' },
    ]);
    expect(new Set(message.tool_calls.map((call: { id: string }) => call.id)).size).toBe(3);
  });

  test("tool_choice none: the model answers in text although the prompt asks for a call", async () => {
    const t = await startGateway();
    const tag = marker();
    const response = await postChat(t, {
      model: "support",
      tools,
      tool_choice: "none",
      messages: [{ role: "user", content: `[[call:get_weather {"city":"Paris"}]] ${tag}` }],
    });
    const choice = (await response.json()).choices[0];
    expect(choice.finish_reason).toBe("stop");
    expect(choice.message).not.toHaveProperty("tool_calls");
    expect((await onlyUpstreamBody(tag)).tool_choice).toBe("none");
  });
});

describe("the client-side tool loop", () => {
  test("tool results sent back in the next request produce the final answer; the upstream sees the whole exchange", async () => {
    const t = await startGateway();
    const tag = marker();
    const question = { role: "user", content: `Weather in Paris and Oslo? [[call:get_weather {"city":"Paris"}]] [[call:get_weather {"city":"Oslo"}]] ${tag}` };
    const first = await postChat(t, { model: "support", tools, messages: [question] });
    const assistant = (await first.json()).choices[0].message;
    expect(assistant.tool_calls).toHaveLength(2);
    const [paris, oslo] = assistant.tool_calls as Array<{ id: string }>;

    // What openai-node users do: append the assistant message as received, then one tool message per call.
    const results = [
      { role: "tool", tool_call_id: paris!.id, content: "sunny" },
      { role: "tool", tool_call_id: oslo!.id, content: "snowing" },
    ];
    const second = await postChat(t, { model: "support", tools, messages: [question, assistant, ...results] });
    expect(second.status).toBe(200);
    const final = (await second.json()).choices[0];
    expect(final.finish_reason).toBe("stop");
    expect(final.message.content).toBe("Tool results: get_weather=sunny; get_weather=snowing");

    const [, continuation] = await upstreamBodies(tag);
    expect(continuation!.messages.slice(1)).toEqual([
      question,
      { role: "assistant", content: null, tool_calls: assistant.tool_calls },
      ...results,
    ]);
  });

  test("a streamed tool call, reassembled by the client, continues the same way", async () => {
    const t = await startGateway();
    const tag = marker();
    const question = { role: "user", content: `What time is it? [[call:get_time {"zone":"Europe/Paris"}]] ${tag}` };
    const { events } = await readSse(await postChat(t, { model: "support", stream: true, tools, messages: [question] }));
    const [call] = assembleToolCalls(chunksBeforeDone(events));
    const second = await postChat(t, {
      model: "support",
      stream: true,
      tools,
      messages: [question, { role: "assistant", content: null, tool_calls: [call] }, { role: "tool", tool_call_id: call!.id, content: "12:00" }],
    });
    const chunks = chunksBeforeDone((await readSse(second)).events);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe("Tool results: get_time=12:00");
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe("stop");
    const [, continuation] = await upstreamBodies(tag);
    expect(continuation!.messages.at(-2)).toEqual({ role: "assistant", content: null, tool_calls: [call] });
  });
});

describe("streamed tool-call deltas", () => {
  test("one call: the first piece carries id, type and name; argument pieces follow as strings", async () => {
    const t = await startGateway();
    const tag = marker();
    const response = await postChat(t, {
      model: "support",
      stream: true,
      tools,
      messages: [{ role: "user", content: `[[call:get_weather {"city":"San Francisco"}]] ${tag}` }],
    });
    const chunks = chunksBeforeDone((await readSse(response)).events);
    const pieces = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(pieces[0]).toEqual({ index: 0, id: expect.stringMatching(CALL_ID), type: "function", function: { name: "get_weather", arguments: "" } });
    const argumentPieces = pieces.slice(1);
    // The upstream streams the arguments in three slices; each is relayed as it arrives.
    expect(argumentPieces.length).toBe(3);
    for (const piece of argumentPieces) {
      expect(Object.keys(piece).sort()).toEqual(["function", "index"]);
      expect(piece.index).toBe(0);
      expect(typeof piece.function!.arguments).toBe("string");
    }
    expect(assembleToolCalls(chunks)).toEqual([
      { id: pieces[0]!.id, type: "function", function: { name: "get_weather", arguments: '{"city":"San Francisco"}' } },
    ]);
    expect(chunks.at(-1)!.choices[0]).toMatchObject({ delta: {}, finish_reason: "tool_calls" });
  });

  test("parallel calls keep separate indexes and reassemble to exactly what the model produced", async () => {
    const t = await startGateway();
    const tag = marker();
    const response = await postChat(t, {
      model: "support",
      stream: true,
      tools,
      messages: [
        { role: "user", content: `[[call:get_weather {"city":"Paris"}]] [[call:get_time {"zone":"Asia/Tokyo"}]] [[call:get_weather {"city":"Lima"}]] ${tag}` },
      ],
    });
    const chunks = chunksBeforeDone((await readSse(response)).events);
    const indexes = chunks.flatMap((chunk) => (chunk.choices[0]?.delta.tool_calls ?? []).map((piece) => piece.index));
    expect([...new Set(indexes)]).toEqual([0, 1, 2]);
    const calls = assembleToolCalls(chunks);
    expect(calls.map((call) => call.function)).toEqual([
      { name: "get_weather", arguments: '{"city":"Paris"}' },
      { name: "get_time", arguments: '{"zone":"Asia/Tokyo"}' },
      { name: "get_weather", arguments: '{"city":"Lima"}' },
    ]);
    expect(new Set(calls.map((call) => call.id)).size).toBe(3);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe("tool_calls");
  });

  test("the streamed calls are stored with the reply, exactly as the client assembled them", async () => {
    const t = await startGateway();
    const tag = marker();
    const response = await postChat(t, {
      model: "support",
      stream: true,
      tools,
      messages: [{ role: "user", content: `[[call:get_weather {"city":"Paris"}]] [[call:get_time {"zone":"UTC"}]] ${tag}` }],
    });
    const conversationId = response.headers.get("x-conversation-id")!;
    const calls = assembleToolCalls(chunksBeforeDone((await readSse(response)).events));
    const stored = await t.run((ctx) =>
      ctx.db
        .query("messages")
        .withIndex("by_conversationId_and_position", (q) => q.eq("conversationId", conversationId as never))
        .collect(),
    );
    expect(stored.map((row) => row.message.role)).toEqual(["user", "assistant"]);
    expect(stored[1]!.message.toolCalls).toEqual(calls.map((call) => ({ id: call.id, name: call.function.name, arguments: call.function.arguments })));
    expect(stored[1]!.finishReason).toBe("tool_calls");
  });
});
