// Agent mode through the HTTP API: the scheduled run, its batched persistent stream and the polling
// relay; server tools; terminal states; durability across a dropped client; busy conversations.
import { afterEach, describe, expect, test } from "vitest";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { marker, postChat, readSse, startGateway, type Gateway } from "../testing/harness.testing";
import { upstreamBodies } from "../testing/upstream.testing";
import { restoreEnvironment, setEnvironment } from "../testing/environment.testing";
import { meterOf } from "../testing/convexLimits/convexLimits.testing";

/** Waits until the conversation's agent run has ended (its conversation is released). */
async function settled(t: Gateway, conversationId: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const conversation = await t.run((ctx) => ctx.db.get("conversations", conversationId as Id<"conversations">));
    if (conversation?.busySince === null) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the agent run did not finish");
}

async function storedMessages(t: Gateway, conversationId: string) {
  return t.run((ctx) =>
    ctx.db
      .query("messages")
      .withIndex("by_conversationId_and_position", (q) => q.eq("conversationId", conversationId as Id<"conversations">))
      .collect(),
  );
}

afterEach(restoreEnvironment);

describe("agent mode: the persistent stream and its relay", () => {
  test("deltas reach the client incrementally, as the model produces them: the first at once, then in timed batches", async () => {
    const t = await startGateway();
    const response = await postChat(t, { model: "support", stream: true, messages: [{ role: "user", content: `[[words:40]] [[trickle:40]] ${marker()}` }] });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const arrivals: Array<{ at: number; text: string }> = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const line of decoder.decode(value).split("\n")) {
        if (!line.startsWith("data: {")) continue;
        const content = JSON.parse(line.slice(6)).choices[0]?.delta?.content;
        if (content) arrivals.push({ at: Date.now(), text: content });
      }
    }
    expect(arrivals.map((arrival) => arrival.text).join("")).toBe(Array.from({ length: 40 }, (_, index) => `word${index + 1}`).join(" "));
    // 40 words 40 ms apart take ~1.6 s to produce. The first word is written and relayed at once; the
    // rest arrive in batches about WRITE_INTERVAL_MS apart, so the text arrives spread over the stream.
    expect(arrivals[0]!.text.trim()).toBe("word1");
    expect(arrivals.length).toBeGreaterThanOrEqual(3);
    expect(arrivals.at(-1)!.at - arrivals[0]!.at).toBeGreaterThan(1000);
  });

  test("while the agent works silently the relay sends keep-alive comments, then the answer", async () => {
    setEnvironment("GATEWAY_KEEPALIVE_MS", "60");
    const t = await startGateway();
    const response = await postChat(t, { model: "support", stream: true, messages: [{ role: "user", content: `[[delay:400]] ${marker()}` }] });
    expect(response.status).toBe(200);
    const { raw, events } = await readSse(response);
    const firstContent = raw.indexOf('"content":"Hello');
    const keepAlives = raw.slice(0, firstContent).match(/^: keep-alive$/gm) ?? [];
    expect(keepAlives.length).toBeGreaterThanOrEqual(3);
    expect(events.at(-1)).toBe("[DONE]");
  });

  test("a long answer is written in batches: far fewer stream writes than tokens", async () => {
    const t = await startGateway();
    const response = await postChat(t, { model: "support", messages: [{ role: "user", content: `[[words:400]] [[trickle:1]] ${marker()}` }] });
    const body = await response.json();
    expect(body.usage.completion_tokens).toBe(400);
    const chunks = await t.run((ctx) => ctx.db.query("streamChunks").collect());
    expect(chunks.map((chunk) => chunk.text).join("")).toBe(body.choices[0].message.content);
    expect(chunks.length).toBeLessThan(400 / 10);
  });

  test("a short answer costs one stream write: the first delta at once; the rest is written by the end, with the terminal state", async () => {
    const t = await startGateway();
    const meter = meterOf(t);
    const mark = meter.mark();
    const response = await postChat(t, { model: "support", stream: true, messages: [{ role: "user", content: `[[words:8]] [[trickle:5]] ${marker()}` }] });
    const { events } = await readSse(response);
    expect(events.at(-1)).toBe("[DONE]");
    await settled(t, response.headers.get("x-conversation-id")!);
    const calls = meter.since(mark).map((call) => call.path);
    expect(calls.filter((path) => path === "agent/stream:append")).toHaveLength(1);
    expect(calls.filter((path) => path === "agent/stream:end")).toHaveLength(1);
    const stream = (await t.run((ctx) => ctx.db.query("streams").first()))!;
    const chunks = await t.run((ctx) => ctx.db.query("streamChunks").withIndex("by_streamId_and_index", (q) => q.eq("streamId", stream._id)).collect());
    expect(chunks.map((chunk) => chunk.index)).toEqual([0, 1]);
    expect(stream.chunkCount).toBe(2);
    const [reply] = (await storedMessages(t, response.headers.get("x-conversation-id")!)).filter((row) => row.message.role === "assistant");
    expect(chunks.map((chunk) => chunk.text).join("")).toBe(reply!.message.content);
    expect(reply!.message.content!.split(" ")).toHaveLength(8);
  });

  test("the stream read is by cursor: each poll returns only chunks after it, each with its write time", async () => {
    const t = await startGateway();
    const response = await postChat(t, { model: "support", messages: [{ role: "user", content: `[[words:60]] [[trickle:3]] ${marker()}` }] });
    await response.json();
    const stream = (await t.run((ctx) => ctx.db.query("streams").first()))!;
    const all = await t.query(internal.agent.stream.read, { streamId: stream._id, after: -1 });
    expect(all!.chunks.length).toBe(stream.chunkCount);
    expect(all!.status).toBe("done");
    const tail = await t.query(internal.agent.stream.read, { streamId: stream._id, after: 0 });
    expect(tail!.chunks.map((chunk) => chunk.index)).toEqual(all!.chunks.slice(1).map((chunk) => chunk.index));
    // Each chunk carries its write time (the relay's first-text forecast learns from it, gateway/pollSchedule.ts).
    const rows = await t.run((ctx) => ctx.db.query("streamChunks").withIndex("by_streamId_and_index", (q) => q.eq("streamId", stream._id)).collect());
    expect(all!.chunks.map((chunk) => chunk.writtenAt)).toEqual(rows.map((row) => row._creationTime));
  });
});

describe("agent mode: server tools", () => {
  test("calculator: the tool runs server-side, the model sees its result, and the step is stored", async () => {
    const t = await startGateway();
    const tag = marker();
    const response = await postChat(t, {
      model: "support",
      messages: [{ role: "user", content: `What is 15% of 1200? ${tag} [[call:calculator {"expression":"1200 * 0.15"}]]` }],
    });
    const body = await response.json();
    expect(body.choices[0].message.content).toContain('calculator={"expression":"1200 * 0.15","result":180}');
    expect(body.choices[0].message.tool_calls).toBeUndefined();
    const [first, second] = await upstreamBodies(tag);
    expect(first!.tools!.map((tool) => tool.function.name).sort()).toEqual(["calculator", "current_time", "knowledge_search"]);
    expect(second!.messages.at(-1)).toMatchObject({ role: "tool", content: '{"expression":"1200 * 0.15","result":180}' });
    const stored = await storedMessages(t, response.headers.get("x-conversation-id")!);
    expect(stored.map((row) => [row.message.role, row.serverStep === true])).toEqual([
      ["user", false],
      ["assistant", true],
      ["tool", true],
      ["assistant", false],
    ]);
  });

  test("current_time answers for an IANA zone; a bad zone is an error result the model sees, not a failed request", async () => {
    const t = await startGateway();
    const tag = marker();
    const response = await postChat(t, {
      model: "support",
      messages: [{ role: "user", content: `${tag} [[call:current_time {"timeZone":"Asia/Tokyo"}]] [[call:current_time {"timeZone":"Mars/Olympus"}]]` }],
    });
    expect(response.status).toBe(200);
    const [, second] = await upstreamBodies(tag);
    const results = second!.messages.filter((message) => message.role === "tool").map((message) => JSON.parse(message.content as string));
    expect(results[0]).toMatchObject({ timeZone: "Asia/Tokyo", utc: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    expect(results[0].local).toMatch(/GMT\+9|JST/);
    expect(results[1]).toEqual({ error: "'Mars/Olympus' is not an IANA time zone (for example 'America/New_York')." });
  });

  test("knowledge_search finds the tenant's own documents and never another tenant's", async () => {
    const t = await startGateway();
    const tag = marker();
    await (
      await postChat(t, {
        model: "support",
        messages: [{ role: "user", content: `${tag} [[call:knowledge_search {"query":"refunds"}]] [[call:knowledge_search {"query":"Hammock"}]]` }],
      })
    ).json();
    const [, second] = await upstreamBodies(tag);
    const [own, other] = second!.messages.filter((message) => message.role === "tool").map((message) => JSON.parse(message.content as string));
    expect(own.results).toEqual([{ title: "Refund policy", snippet: "Acme refunds any order within 30 days of delivery." }]);
    // "Hammock" is only in globex's documents.
    expect(other.results).toEqual([]);
  });

  test("generation parameters reach every upstream call of a multi-step run", async () => {
    const t = await startGateway();
    const tag = marker();
    await (
      await postChat(t, {
        model: "support",
        temperature: 0.7,
        top_p: 0.5,
        max_tokens: 64,
        seed: 11,
        stop: ["STOP"],
        presence_penalty: 0.2,
        messages: [{ role: "user", content: `${tag} [[call:calculator {"expression":"2+2"}]]` }],
      })
    ).json();
    const bodies = await upstreamBodies(tag);
    expect(bodies).toHaveLength(2);
    for (const body of bodies) {
      expect(body).toMatchObject({ temperature: 0.7, top_p: 0.5, max_tokens: 64, seed: 11, stop: ["STOP"], presence_penalty: 0.2 });
    }
  });
});

describe("agent mode: terminal states", () => {
  test("upstream error: 502 when not streaming, and before any text a streamed request gets a real 502 too", async () => {
    const t = await startGateway();
    const plain = await postChat(t, { model: "support", messages: [{ role: "user", content: "[[fault:500]]" }] });
    expect(plain.status).toBe(502);
    expect((await plain.json()).error).toMatchObject({ type: "server_error", code: "upstream_error" });
    const streamed = await postChat(t, { model: "support", stream: true, messages: [{ role: "user", content: "[[fault:500]]" }] });
    expect(streamed.status).toBe(502);
    const conversationId = plain.headers.get("x-conversation-id")!;
    await settled(t, conversationId);
    const stored = await storedMessages(t, conversationId);
    expect(stored.map((row) => [row.message.role, row.status])).toEqual([
      ["user", "complete"],
      ["assistant", "error"],
    ]);
  });

  test("an upstream 429 reaches the client as 429 rate_limit_exceeded with the upstream's retry-after", async () => {
    const t = await startGateway();
    const response = await postChat(t, { model: "support", messages: [{ role: "user", content: "[[fault:429]]" }] });
    expect(response.status).toBe(429);
    expect((await response.json()).error).toMatchObject({ type: "rate_limit_exceeded", code: "rate_limit_exceeded" });
    expect(response.headers.get("retry-after")).toBe("2");
    expect(response.headers.get("retry-after-ms")).toBe("2000");
  });

  test("an error after text has streamed is an SSE error event, and the stream ends without [DONE]", async () => {
    const t = await startGateway();
    const response = await postChat(t, { model: "support", stream: true, messages: [{ role: "user", content: "[[words:20]] [[fault:reset]]" }] });
    expect(response.status).toBe(200);
    const { events } = await readSse(response);
    expect(events.at(-1)).toEqual({ error: expect.objectContaining({ type: "server_error", code: "upstream_error" }) });
    expect(events).not.toContain("[DONE]");
  });

  test("upstream timeout: 504 when not streaming; an error event after text when streaming", async () => {
    setEnvironment("UPSTREAM_TIMEOUT_MS", "300");
    const t = await startGateway();
    const plain = await postChat(t, { model: "support", messages: [{ role: "user", content: "[[fault:hang]]" }] });
    expect(plain.status).toBe(504);
    expect((await plain.json()).error).toMatchObject({ type: "server_error", code: "upstream_timeout" });
    const streamed = await postChat(t, { model: "support", stream: true, messages: [{ role: "user", content: "[[fault:hang-after:3]]" }] });
    expect(streamed.status).toBe(200);
    const { events } = await readSse(streamed);
    expect(events.at(-1)).toEqual({ error: expect.objectContaining({ code: "upstream_timeout" }) });
    const streams = await t.run((ctx) => ctx.db.query("streams").collect());
    expect(streams.map((stream) => stream.status)).toEqual(["timeout", "timeout"]);
  });

  test("a run that never ends is expired by its scheduled check: stream timeout, conversation released", async () => {
    setEnvironment("UPSTREAM_TIMEOUT_MS", "5000");
    const t = await startGateway();
    const response = await postChat(t, { model: "support", stream: true, messages: [{ role: "user", content: "[[words:2]] [[fault:hang-after:2]]" }] });
    const conversationId = response.headers.get("x-conversation-id")!;
    const stream = (await t.run((ctx) => ctx.db.query("streams").first()))!;
    await t.mutation(internal.agent.stream.expire, { streamId: stream._id });
    expect((await t.run((ctx) => ctx.db.get("streams", stream._id)))!.status).toBe("timeout");
    expect((await t.run((ctx) => ctx.db.get("conversations", conversationId as Id<"conversations">)))!.busySince).toBeNull();
    await response.body!.cancel();
  });
});

describe("agent mode: durability", () => {
  test("a client that disconnects does not stop the agent; the answer is stored and the next request sees it", async () => {
    const t = await startGateway();
    const response = await postChat(t, { model: "support", stream: true, messages: [{ role: "user", content: "[[words:40]] [[trickle:10]] first" }] });
    const conversationId = response.headers.get("x-conversation-id")!;
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await settled(t, conversationId);
    const stored = await storedMessages(t, conversationId);
    const answer = Array.from({ length: 40 }, (_, index) => `word${index + 1}`).join(" ");
    expect(stored.at(-1)!.message).toEqual({ role: "assistant", content: answer });
    expect(stored.at(-1)!.status).toBe("complete");

    const tag = marker();
    await (await postChat(t, { model: "support", messages: [{ role: "user", content: tag }] }, { headers: { "x-conversation-id": conversationId } })).json();
    const [next] = await upstreamBodies(tag);
    expect(next!.messages.slice(1)).toEqual([
      { role: "user", content: "[[words:40]] [[trickle:10]] first" },
      { role: "assistant", content: answer },
      { role: "user", content: tag },
    ]);
  });

  test("a second request on a conversation whose agent is still running gets 409 conversation_busy with retry-after", async () => {
    const t = await startGateway();
    const first = await postChat(t, { model: "support", messages: [{ role: "user", content: "hello" }] });
    const conversationId = first.headers.get("x-conversation-id")!;
    await first.json();
    const running = postChat(t, { model: "support", messages: [{ role: "user", content: "[[delay:600]] slow" }] }, { headers: { "x-conversation-id": conversationId } });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const busy = await postChat(t, { model: "support", messages: [{ role: "user", content: "again" }] }, { headers: { "x-conversation-id": conversationId } });
    expect(busy.status).toBe(409);
    expect((await busy.json()).error).toMatchObject({ type: "invalid_request_error", code: "conversation_busy" });
    expect(Number(busy.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await running).status).toBe(200);
    await settled(t, conversationId);
    const after = await postChat(t, { model: "support", messages: [{ role: "user", content: "again" }] }, { headers: { "x-conversation-id": conversationId } });
    expect(after.status).toBe(200);
  });
});
