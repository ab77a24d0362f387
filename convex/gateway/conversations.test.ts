// Conversations over several requests: X-Conversation-Id in and out, every turn stored once, and the
// history a client resends recognised, so neither the store nor the upstream sees it twice.
import { describe, expect, test } from "vitest";
import { marker, postChat, readSse, startGateway, type Gateway } from "../testing/harness.testing";
import { upstreamBodies } from "../testing/upstream.testing";
import { ACME_KEY, ACME_LIMITED_KEY, GLOBEX_KEY } from "../testing/seed.testing";

const SUPPORT_INSTRUCTIONS = { role: "system", content: "You are Acme's support agent." };

async function storedTranscript(t: Gateway, conversationId: string) {
  const rows = await t.run((ctx) =>
    ctx.db
      .query("messages")
      .withIndex("by_conversationId_and_position", (q) => q.eq("conversationId", conversationId as never))
      .collect(),
  );
  expect(rows.map((row) => row.position)).toEqual(rows.map((_, index) => index));
  return rows.map((row) => row.message);
}

async function send(t: Gateway, body: Record<string, unknown>, conversationId?: string) {
  const response = await postChat(t, { model: "support", ...body }, conversationId ? { headers: { "x-conversation-id": conversationId } } : {});
  expect(response.status).toBe(200);
  const id = response.headers.get("x-conversation-id");
  expect(id).toBeTruthy();
  return { conversationId: id!, message: (await response.json()).choices[0].message };
}

describe("a conversation continued over three requests", () => {
  test("the client resends the whole history each time: stored once, sent upstream once", async () => {
    const t = await startGateway();
    const tag = marker();
    const system = { role: "system", content: "Answer briefly." };
    const first = { role: "user", content: `first ${tag}` };
    const one = await send(t, { messages: [system, first] });
    const reply1 = { role: "assistant", content: one.message.content };
    expect(await storedTranscript(t, one.conversationId)).toEqual([system, first, reply1]);

    const second = { role: "user", content: `second ${tag}` };
    const two = await send(t, { messages: [system, first, reply1, second] }, one.conversationId);
    expect(two.conversationId).toBe(one.conversationId);
    const reply2 = { role: "assistant", content: two.message.content };
    expect(await storedTranscript(t, one.conversationId)).toEqual([system, first, reply1, second, reply2]);

    const third = { role: "user", content: `third ${tag}` };
    const three = await send(t, { messages: [system, first, reply1, second, reply2, third] }, one.conversationId);
    expect(three.conversationId).toBe(one.conversationId);
    const reply3 = { role: "assistant", content: three.message.content };
    expect(await storedTranscript(t, one.conversationId)).toEqual([system, first, reply1, second, reply2, third, reply3]);

    const upstream = await upstreamBodies(tag);
    expect(upstream.map((body) => body.messages)).toEqual([
      [SUPPORT_INSTRUCTIONS, system, first],
      [SUPPORT_INSTRUCTIONS, system, first, reply1, second],
      [SUPPORT_INSTRUCTIONS, system, first, reply1, second, reply2, third],
    ]);
  });

  test("the client sends only its new message each time: the upstream still sees the whole conversation", async () => {
    const t = await startGateway();
    const tag = marker();
    const first = { role: "user", content: `first ${tag}` };
    const one = await send(t, { messages: [first] });
    const second = { role: "user", content: `second ${tag}` };
    const two = await send(t, { messages: [second] }, one.conversationId);
    const third = { role: "user", content: `third ${tag}` };
    const three = await send(t, { messages: [third] }, one.conversationId);

    const replies = [one, two, three].map(({ message }) => ({ role: "assistant", content: message.content }));
    expect(await storedTranscript(t, one.conversationId)).toEqual([first, replies[0], second, replies[1], third, replies[2]]);
    const upstream = await upstreamBodies(tag);
    expect(upstream.map((body) => body.messages)).toEqual([
      [SUPPORT_INSTRUCTIONS, first],
      [SUPPORT_INSTRUCTIONS, first, replies[0], second],
      [SUPPORT_INSTRUCTIONS, first, replies[0], second, replies[1], third],
    ]);
  });

  test("a client-side tool loop: the tool call, the tool result and the answer are each stored once", async () => {
    const t = await startGateway();
    const tag = marker();
    const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
    const question = { role: "user", content: `Weather? [[call:get_weather {"city":"Oslo"}]] ${tag}` };

    const one = await send(t, { tools, messages: [question] });
    const call = one.message.tool_calls[0];
    const storedCall = { role: "assistant", content: null, toolCalls: [{ id: call.id, name: "get_weather", arguments: '{"city":"Oslo"}' }] };
    expect(await storedTranscript(t, one.conversationId)).toEqual([question, storedCall]);

    const assistant = { role: "assistant", content: null, tool_calls: one.message.tool_calls };
    const result = { role: "tool", tool_call_id: call.id, content: "snowing" };
    const two = await send(t, { tools, messages: [question, assistant, result] }, one.conversationId);
    expect(two.message.content).toBe("Tool results: get_weather=snowing");
    const storedResult = { role: "tool", content: "snowing", toolCallId: call.id };
    const answer = { role: "assistant", content: two.message.content };
    expect(await storedTranscript(t, one.conversationId)).toEqual([question, storedCall, storedResult, answer]);

    const followUp = { role: "user", content: `Thanks ${tag}` };
    await send(t, { tools, messages: [question, assistant, result, answer, followUp] }, one.conversationId);
    const stored = await storedTranscript(t, one.conversationId);
    expect(stored.slice(0, 5)).toEqual([question, storedCall, storedResult, answer, followUp]);
    expect(stored).toHaveLength(6);

    const upstream = await upstreamBodies(tag);
    expect(upstream.map((body) => body.messages.slice(1))).toEqual([
      [question],
      [question, assistant, result],
      [question, assistant, result, answer, followUp],
    ]);
  });

  test("a streamed reply returns the conversation id in the headers and is stored like any other", async () => {
    const t = await startGateway();
    const tag = marker();
    const response = await postChat(t, { model: "writer", stream: true, messages: [{ role: "user", content: `[[words:3]] ${tag}` }] });
    const conversationId = response.headers.get("x-conversation-id")!;
    expect(conversationId).toBeTruthy();
    await readSse(response);
    expect(await storedTranscript(t, conversationId)).toEqual([
      { role: "user", content: `[[words:3]] ${tag}` },
      { role: "assistant", content: "word1 word2 word3" },
    ]);
  });

  test("without X-Conversation-Id each request is self-contained and stored as a new conversation", async () => {
    const t = await startGateway();
    const tag = marker();
    const one = await send(t, { messages: [{ role: "user", content: `a ${tag}` }] });
    const two = await send(t, { messages: [{ role: "user", content: `b ${tag}` }] });
    expect(two.conversationId).not.toBe(one.conversationId);
    expect(await storedTranscript(t, two.conversationId)).toHaveLength(2);
    const [, secondUpstream] = await upstreamBodies(tag);
    expect(secondUpstream!.messages).toEqual([SUPPORT_INSTRUCTIONS, { role: "user", content: `b ${tag}` }]);
  });
});

describe("conversation ids that are not the caller's are 404 conversation_not_found", () => {
  async function globexConversation(t: Gateway): Promise<string> {
    const response = await postChat(t, { model: "sales", messages: [{ role: "user", content: "hello" }] }, { key: GLOBEX_KEY });
    await response.json();
    return response.headers.get("x-conversation-id")!;
  }

  const cases: Array<[string, (t: Gateway) => Promise<string>]> = [
    ["another tenant's conversation", globexConversation],
    ["a malformed id", async () => "not-a-conversation-id"],
    [
      "an id of another table",
      async (t) => {
        await globexConversation(t);
        const [row] = await t.run((ctx) => ctx.db.query("messages").take(1));
        return row!._id;
      },
    ],
  ];
  for (const [name, idFor] of cases) {
    test(name, async () => {
      const t = await startGateway();
      const conversationId = await idFor(t);
      const before = await t.run((ctx) => ctx.db.query("messages").collect());
      const tag = marker();
      const response = await postChat(t, { model: "support", messages: [{ role: "user", content: tag }] }, { headers: { "x-conversation-id": conversationId } });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        error: { message: expect.any(String), type: "invalid_request_error", param: "X-Conversation-Id", code: "conversation_not_found" },
      });
      expect(await t.run((ctx) => ctx.db.query("messages").collect())).toEqual(before);
      expect(await upstreamBodies(tag)).toEqual([]);
    });
  }

  test("the 404 for another tenant's conversation is identical to the one for an unknown id", async () => {
    const t = await startGateway();
    const foreign = await globexConversation(t);
    const bodies = [];
    for (const id of [foreign, "unknown-id"]) {
      const response = await postChat(t, { model: "support", messages: [{ role: "user", content: "x" }] }, { headers: { "x-conversation-id": id } });
      bodies.push(await response.json());
    }
    expect(bodies[0]).toEqual(bodies[1]);
  });
});

describe("a conversation belongs to the model id it was created with", () => {
  async function supportConversation(t: Gateway): Promise<string> {
    const response = await postChat(t, { model: "support", messages: [{ role: "user", content: "secret order 123" }] });
    await response.json();
    return response.headers.get("x-conversation-id")!;
  }

  const cases: Array<[string, { key: string; model: string }]> = [
    ["a key restricted to another agent, naming its own agent", { key: ACME_LIMITED_KEY, model: "writer" }],
    ["a key restricted to another agent, naming the conversation's agent", { key: ACME_LIMITED_KEY, model: "support" }],
    ["a key allowed every agent, naming another agent", { key: ACME_KEY, model: "writer" }],
  ];
  for (const [name, { key, model }] of cases) {
    test(`${name}: the same 404 as an unknown id, nothing stored, nothing sent`, async () => {
      const t = await startGateway();
      const conversationId = await supportConversation(t);
      const before = await t.run((ctx) => ctx.db.query("messages").collect());
      const tag = marker();
      const bodies = [];
      for (const id of [conversationId, "unknown-id"]) {
        const response = await postChat(t, { model, messages: [{ role: "user", content: tag }] }, { key, headers: { "x-conversation-id": id } });
        expect(response.status).toBe(404);
        bodies.push(await response.json());
      }
      expect(bodies[0]).toEqual(bodies[1]);
      expect(bodies[0].error.code).toBe("conversation_not_found");
      expect(await t.run((ctx) => ctx.db.query("messages").collect())).toEqual(before);
      expect(await upstreamBodies(tag)).toEqual([]);
    });
  }

  test("the model it was created with continues it", async () => {
    const t = await startGateway();
    const conversationId = await supportConversation(t);
    const response = await postChat(t, { model: "support", messages: [{ role: "user", content: "again" }] }, { headers: { "x-conversation-id": conversationId } });
    expect(response.status).toBe(200);
    await response.json();
  });
});
