// Client-tool mode under a misbehaving upstream: keep-alive comments while it is silent, the upstream
// timeout before the first byte (a 504) and inside a stream (an SSE error event), upstream failures
// before and after the headers, and a client that disconnects aborting the upstream request. (Agent
// mode runs the generation in a scheduled action that outlives the client; its tests are the agent's.)
import { afterEach, describe, expect, test } from "vitest";
import { marker, postChat, readSse, startGateway, upstreamUrl, type Gateway } from "../testing/harness.testing";
import { onlyUpstreamBody, upstreamRequests } from "../testing/upstream.testing";
import { blockData, readTimedBlocks, type Chunk } from "../testing/stream.testing";
import { CLIENT_TOOL_MODE } from "../testing/modes.testing";
import { restoreEnvironment, setEnvironment } from "../testing/environment.testing";
import { waitForRecorded } from "../../scripts/fake-upstream/client";

afterEach(restoreEnvironment);

async function storedRows(t: Gateway, conversationId: string) {
  return t.run((ctx) =>
    ctx.db
      .query("messages")
      .withIndex("by_conversationId_and_position", (q) => q.eq("conversationId", conversationId as never))
      .collect(),
  );
}

const KEEP_ALIVE = ": keep-alive";

describe("keep-alive comments while the upstream is silent", () => {
  test("before the first token: the stream opens after one interval and a comment follows every interval", async () => {
    setEnvironment("GATEWAY_KEEPALIVE_MS", "50");
    const t = await startGateway();
    const tag = marker();
    const response = await postChat(t, { model: "writer", ...CLIENT_TOOL_MODE, stream: true, messages: [{ role: "user", content: `[[delay:800]] [[words:3]] ${tag}` }] });
    expect(response.status).toBe(200);
    const blocks = await readTimedBlocks(response);
    const firstContent = blocks.findIndex((block) => (blockData(block) as Chunk | null)?.choices?.[0]?.delta.content);
    const before = blocks.slice(0, firstContent);
    const keepAlives = before.filter((block) => block.text === KEEP_ALIVE);
    // 800 ms of silence at one comment per 50 ms, minus the first interval spent holding the response.
    expect(keepAlives.length).toBeGreaterThanOrEqual(6);
    expect(blocks.at(-1)!.text).toBe("data: [DONE]");
    // A default 15 s interval would have sent none: these come from the configured interval.
    expect(keepAlives.length).toBeLessThanOrEqual(20);
  });

  test("mid-stream: comments during silence, then the upstream timeout becomes an SSE error event and the stream ends", async () => {
    setEnvironment("GATEWAY_KEEPALIVE_MS", "50");
    setEnvironment("UPSTREAM_TIMEOUT_MS", "600");
    const t = await startGateway();
    const tag = marker();
    const response = await postChat(t, { model: "writer", ...CLIENT_TOOL_MODE, stream: true, messages: [{ role: "user", content: `[[words:5]] [[fault:hang-after:2]] ${tag}` }] });
    expect(response.status).toBe(200);
    const conversationId = response.headers.get("x-conversation-id")!;
    const blocks = await readTimedBlocks(response);
    const contents = blocks.map((block) => (blockData(block) as Chunk | null)?.choices?.[0]?.delta.content).filter(Boolean);
    expect(contents).toEqual(["word1 ", "word2 "]);
    const lastContent = blocks.findLastIndex((block) => (blockData(block) as Chunk | null)?.choices?.[0]?.delta.content);
    const silence = blocks.slice(lastContent + 1, -1);
    expect(silence.length).toBeGreaterThanOrEqual(5);
    expect(silence.every((block) => block.text === KEEP_ALIVE)).toBe(true);
    expect(blockData(blocks.at(-1)!)).toEqual({
      error: { message: expect.any(String), type: "server_error", param: null, code: "upstream_timeout" },
    });
    // The silent upstream request was given up on, not left open.
    expect((await waitForRecorded(upstreamUrl(), tag, (request) => request.finishedAt !== null)).closedEarly).toBe(true);
    const stored = await storedRows(t, conversationId);
    expect(stored.at(-1)).toMatchObject({ status: "timeout", message: { role: "assistant", content: "word1 word2 " } });
  });
});

describe("the upstream timeout before the first byte is a 504", () => {
  for (const stream of [false, true]) {
    test(stream ? "streaming (before the headers are sent)" : "non-streaming", async () => {
      setEnvironment("UPSTREAM_TIMEOUT_MS", "300");
      const t = await startGateway();
      const tag = marker();
      const started = Date.now();
      const response = await postChat(t, { model: "writer", ...CLIENT_TOOL_MODE, stream, messages: [{ role: "user", content: `[[fault:hang]] ${tag}` }] });
      expect(response.status).toBe(504);
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(await response.json()).toEqual({
        error: { message: expect.any(String), type: "server_error", param: null, code: "upstream_timeout" },
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect((await waitForRecorded(upstreamUrl(), tag, (request) => request.finishedAt !== null)).closedEarly).toBe(true);
      const stored = await storedRows(t, response.headers.get("x-conversation-id")!);
      expect(stored.map((row) => [row.message.role, row.status])).toEqual([
        ["user", "complete"],
        ["assistant", "timeout"],
      ]);
    });
  }
});

describe("upstream failures", () => {
  // [fault, status, code]: before any byte of the reply, the client gets a real status.
  const beforeHeaders: Array<[string, boolean, number, string]> = [
    ["500", false, 502, "upstream_error"],
    ["500", true, 502, "upstream_error"],
    ["401", false, 502, "upstream_error"],
    ["429", false, 429, "rate_limit_exceeded"],
    ["429", true, 429, "rate_limit_exceeded"],
    ["reset", false, 502, "upstream_error"],
    ["malformed", false, 502, "upstream_error"],
    ["empty", false, 502, "upstream_error"],
    ["empty", true, 502, "upstream_error"],
  ];
  for (const [fault, stream, status, code] of beforeHeaders) {
    test(`[[fault:${fault}]] ${stream ? "streaming" : "non-streaming"}: ${status} ${code}`, async () => {
      const t = await startGateway();
      const tag = marker();
      const response = await postChat(t, { model: "writer", ...CLIENT_TOOL_MODE, stream, messages: [{ role: "user", content: `[[fault:${fault}]] ${tag}` }] });
      expect(response.status).toBe(status);
      const body = await response.json();
      expect(body.error).toMatchObject({ code, param: null });
      if (status === 429) expect(response.headers.get("retry-after")).toBe("2");
      await onlyUpstreamBody(tag);
      const stored = await storedRows(t, response.headers.get("x-conversation-id")!);
      expect(stored.map((row) => [row.message.role, row.status])).toEqual([
        ["user", "complete"],
        ["assistant", "error"],
      ]);
    });
  }

  // After the headers, the failure is an SSE error event and the stream ends without [DONE].
  for (const fault of ["reset", "malformed"]) {
    test(`[[fault:${fault}]] mid-stream: the content so far, then data: {"error":...} and the stream closes`, async () => {
      const t = await startGateway();
      const tag = marker();
      const response = await postChat(t, { model: "writer", ...CLIENT_TOOL_MODE, stream: true, messages: [{ role: "user", content: `[[words:8]] [[fault:${fault}]] ${tag}` }] });
      expect(response.status).toBe(200);
      const conversationId = response.headers.get("x-conversation-id")!;
      const { events, raw } = await readSse(response);
      expect(raw).not.toContain("[DONE]");
      const chunks = events.slice(0, -1) as Chunk[];
      expect(chunks[0]!.choices[0]!.delta).toEqual({ role: "assistant", content: "" });
      expect(chunks.some((chunk) => chunk.choices[0]?.delta.content)).toBe(true);
      expect(chunks.every((chunk) => chunk.choices[0]?.finish_reason === null)).toBe(true);
      expect(events.at(-1)).toEqual({ error: { message: expect.any(String), type: "server_error", param: null, code: "upstream_error" } });
      const stored = await storedRows(t, conversationId);
      expect(stored.at(-1)).toMatchObject({ status: "error", message: { role: "assistant" } });
      const conversation = await t.run((ctx) => ctx.db.get("conversations", conversationId as never));
      expect(conversation).toMatchObject({ busySince: null });
    });
  }
});

describe("a client that disconnects", () => {
  test("cancelling the response body aborts the upstream request and releases the conversation", async () => {
    const t = await startGateway();
    const tag = marker();
    const response = await postChat(t, { model: "writer", ...CLIENT_TOOL_MODE, stream: true, messages: [{ role: "user", content: `[[words:300]] [[trickle:20]] ${tag}` }] });
    const conversationId = response.headers.get("x-conversation-id")!;
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = "";
    while (!received.includes("word2")) {
      const { done, value } = await reader.read();
      expect(done, "the stream ended before the second word").toBe(false);
      received += value;
    }
    await reader.cancel();

    const upstream = await waitForRecorded(upstreamUrl(), tag, (request) => request.finishedAt !== null);
    expect(upstream.closedEarly).toBe(true);
    // 300 words at 20 ms each would take 6 s; the upstream was cut off long before.
    expect(upstream.finishedAt! - upstream.receivedAt).toBeLessThan(3000);
    expect(await upstreamRequests(tag)).toHaveLength(1);

    // The relay stores the partial reply as an error once the abort lands.
    for (let attempt = 0; attempt < 100; attempt++) {
      const conversation = await t.run((ctx) => ctx.db.get("conversations", conversationId as never));
      if (conversation?.busySince === null) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const stored = await storedRows(t, conversationId);
    expect(stored.at(-1)).toMatchObject({ status: "error", message: { role: "assistant" } });
    expect(stored.at(-1)!.message.content).toMatch(/^word1 word2/);
  });
});
