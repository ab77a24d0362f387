import { describe, expect, test } from "vitest";
import { marker, postChat, readSse, startGateway } from "../testing/harness.testing";
import { GLOBEX_KEY } from "../testing/seed.testing";
import { upstreamBodies } from "../testing/upstream.testing";

describe("chat completions: text round trip", () => {
  test("non-streaming: returns a chat.completion and the upstream got the instructions first, then the whole history", async () => {
    const t = await startGateway();
    const tag = marker();
    const messages = [
      { role: "system", content: "Client system prompt" },
      { role: "user", content: "first question" },
      { role: "assistant", content: "first answer" },
      { role: "user", content: `second question ${tag}` },
    ];
    const response = await postChat(t, { model: "support", messages });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-conversation-id")).toBeTruthy();
    expect(response.headers.get("server-timing")).toMatch(/auth;dur=\d+, upstream;dur=\d+, total;dur=\d+/);
    const body = await response.json();
    expect(body).toMatchObject({
      object: "chat.completion",
      model: "support",
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant" } }],
    });
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(body.choices[0].message.content).toBe(`Hello from the fake upstream. You said: second question ${tag}`);
    expect(body.usage.prompt_tokens).toBeGreaterThan(0);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);

    const [upstream] = await upstreamBodies(tag);
    expect(upstream!.model).toBe("gpt-4o-mini");
    expect(upstream!.messages).toEqual([
      { role: "system", content: "You are Acme's support agent." },
      { role: "system", content: "Client system prompt" },
      { role: "user", content: "first question" },
      { role: "assistant", content: "first answer" },
      { role: "user", content: `second question ${tag}` },
    ]);
  });

  test("streaming: a role chunk, content deltas as produced, a finish chunk, then [DONE]", async () => {
    const t = await startGateway();
    const tag = marker();
    const response = await postChat(t, {
      model: "support",
      stream: true,
      messages: [{ role: "user", content: `[[words:12]] [[trickle:100]] ${tag}` }],
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const { events } = await readSse(response);
    const chunks = events.slice(0, -1) as Array<{ object: string; usage?: unknown; choices: Array<{ delta: { role?: string; content?: string }; finish_reason: string | null }> }>;
    expect(events.at(-1)).toBe("[DONE]");
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: "assistant", content: "" });
    const contentChunks = chunks.filter((chunk) => chunk.choices[0]?.delta.content);
    // 12 words 100 ms apart arrive over ~1.2 s: relayed in several batches as they come (agent mode
    // writes the first at once, then every 500 ms), not as one.
    expect(contentChunks.length).toBeGreaterThan(2);
    expect(contentChunks.map((chunk) => chunk.choices[0]!.delta.content).join("")).toBe(
      Array.from({ length: 12 }, (_, index) => `word${index + 1}`).join(" "),
    );
    expect(chunks.at(-1)!.choices[0]).toMatchObject({ delta: {}, finish_reason: "stop" });
    for (const chunk of chunks) {
      expect(chunk.object).toBe("chat.completion.chunk");
      expect("usage" in chunk).toBe(false);
    }
    const [upstream] = await upstreamBodies(tag);
    expect(upstream!.stream).toBe(true);
  });

  test("stores the user turn and the reply once each in a conversation", async () => {
    const t = await startGateway();
    const tag = marker();
    const response = await postChat(t, { model: "writer", messages: [{ role: "user", content: `hello ${tag}` }] });
    const conversationId = response.headers.get("x-conversation-id")!;
    await response.json();
    const stored = await t.run(async (ctx) =>
      ctx.db
        .query("messages")
        .withIndex("by_conversationId_and_position", (q) => q.eq("conversationId", conversationId as never))
        .collect(),
    );
    expect(stored.map((row) => [row.position, row.message.role, row.status])).toEqual([
      [0, "user", "complete"],
      [1, "assistant", "complete"],
    ]);
    expect(stored[0]!.message.content).toBe(`hello ${tag}`);
    expect(stored[1]!.message.content).toBe(`Hello from the fake upstream. You said: hello ${tag}`);
    expect(stored[1]!.finishReason).toBe("stop");
    const conversation = await t.run((ctx) => ctx.db.get("conversations", conversationId as never));
    expect(conversation).toMatchObject({ messageCount: 2, busySince: null });
  });
});

describe("chat completions: client mistakes are 4xx and change nothing", () => {
  const cases: Array<[string, string | object, number, { code: string | null; param: string | null }]> = [
    ["invalid JSON", "{not json", 400, { code: "invalid_json", param: null }],
    ["a JSON array body", "[]", 400, { code: "invalid_json", param: null }],
    ["a missing model", { messages: [{ role: "user", content: "x" }] }, 400, { code: null, param: "model" }],
    ["missing messages", { model: "support" }, 400, { code: null, param: "messages" }],
    ["empty messages", { model: "support", messages: [] }, 400, { code: "invalid_value", param: "messages" }],
    ["a wrong type", { model: "support", messages: [{ role: "user", content: "x" }], temperature: "hot" }, 400, { code: "invalid_value", param: "temperature" }],
    ["an unknown role", { model: "support", messages: [{ role: "wizard", content: "x" }] }, 400, { code: "invalid_value", param: "messages[0].role" }],
    ["an unknown model", { model: "nope", messages: [{ role: "user", content: "x" }] }, 404, { code: "model_not_found", param: "model" }],
    ["another tenant's agent", { model: "sales", messages: [{ role: "user", content: "x" }] }, 404, { code: "model_not_found", param: "model" }],
  ];
  for (const [name, body, status, error] of cases) {
    test(`${name}: ${status} ${error.code}`, async () => {
      const t = await startGateway();
      const response = await postChat(t, body);
      expect(response.status).toBe(status);
      const json = await response.json();
      expect(json.error).toMatchObject(error);
      expect(typeof json.error.message).toBe("string");
      expect(await t.run((ctx) => ctx.db.query("conversations").collect())).toEqual([]);
    });
  }

  test("a body over the size limit is 413 before it is parsed", async () => {
    const t = await startGateway();
    const response = await postChat(t, `{"model":"support","messages":[{"role":"user","content":"${"x".repeat(1_100_000)}`);
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("request_too_large");
  });

  test("the other tenant's own agent works with its own key", async () => {
    const t = await startGateway();
    const response = await postChat(t, { model: "sales", messages: [{ role: "user", content: "hi" }] }, { key: GLOBEX_KEY });
    expect(response.status).toBe(200);
  });
});
