// An agent run's life on the store: scheduled with ids only (whatever the conversation holds), its
// expiry check cancelled when it ends, its stream deleted in batches a grace period later, and the
// Convex function calls one stream costs, counted by the harness's meter (convexLimits/).
import { describe, expect, test } from "vitest";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { marker, postChat, readSse, startGateway, type Gateway } from "../testing/harness.testing";
import { meterOf, CONVEX_LIMITS } from "../testing/convexLimits/convexLimits.testing";
import { onlyUpstreamBody } from "../testing/upstream.testing";
import { loadHistory } from "../model/conversations";
import { redactTranscript } from "../model/transcriptPii";
import { CLEANUP_BATCH, STREAM_GRACE_MS } from "./streamCleanup";
import { EXPIRED_TEXT_LIMIT } from "./stream";

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

async function until<T>(what: string, check: () => Promise<T | null | undefined | false>): Promise<T> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const value = await check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting until ${what}`);
}

/** Waits until the conversation is released (its run has ended the stream). */
async function settled(t: Gateway, conversationId: string): Promise<void> {
  await until("the run ended", () => t.run(async (ctx) => (await ctx.db.get("conversations", conversationId as Id<"conversations">))?.busySince === null));
}

async function scheduled(t: Gateway, name: string) {
  return t.run((ctx) => ctx.db.system.query("_scheduled_functions").collect()).then((jobs) => jobs.filter((job) => job.name === name));
}

async function setPii(t: Gateway, pii: "off" | "redact") {
  await t.run(async (ctx) => {
    const tenant = (await ctx.db.query("tenants").withIndex("by_slug", (q) => q.eq("slug", "acme")).unique())!;
    // Room in the per-minute token budget for a few megabytes of transcript.
    await ctx.db.patch("tenants", tenant._id, { policy: { ...tenant.policy, pii, tokensPerMinute: 100_000_000 } });
  });
}

describe("agent runs are scheduled with ids, never payloads", () => {
  test("a conversation larger than one scheduled call's argument limit runs; the run gets only its stream id and reads the stored transcript, bounded and scrubbed", { timeout: 60_000 }, async () => {
    const t = await startGateway();
    // Stored while the tenant did not scrub: the history holds an address that must not go upstream now.
    await setPii(t, "off");
    const filler = (turn: number) => `turn ${turn} `.padEnd(900_000, "lorem ipsum dolor sit amet ");
    const first = await postChat(t, { model: "support", messages: [{ role: "user", content: `[[words:2]] ${filler(1)}` }] });
    expect(first.status).toBe(200);
    await first.json();
    const conversationId = first.headers.get("x-conversation-id")!;
    for (let turn = 2; turn <= 4; turn++) {
      const content = `[[words:2]] ${turn === 4 ? "mail jane.roe@example.com " : ""}${filler(turn)}`;
      const next = await postChat(t, { model: "support", messages: [{ role: "user", content }] }, { headers: { "x-conversation-id": conversationId } });
      expect(next.status).toBe(200);
      await next.json();
    }
    await setPii(t, "redact");
    // What the old design put in the run's arguments: the loaded history plus this request's turn.
    const historyBefore = await t.run((ctx) => loadHistory(ctx, conversationId as Id<"conversations">));
    const tag = marker();
    const lastTurn = `[[words:2]] ${tag} ${filler(5)}`;
    const payloadBytes = bytes(historyBefore.map((turn) => turn.message)) + bytes(lastTurn);
    expect(payloadBytes).toBeGreaterThan(CONVEX_LIMITS.scheduledArgumentsSize);
    const last = await postChat(t, { model: "support", messages: [{ role: "user", content: lastTurn }] }, { headers: { "x-conversation-id": conversationId } });
    expect(last.status).toBe(200);
    await last.json();

    // The run sent the stored conversation as loadHistory bounds it (this turn included), scrubbed
    // with today's policy: the address stored while scrubbing was off does not leave.
    const body = await onlyUpstreamBody(tag);
    const history = await t.run((ctx) => loadHistory(ctx, conversationId as Id<"conversations">));
    // The stored history now ends with this request's reply, which the run wrote after the call.
    expect(history.at(-1)!.message).toEqual({ role: "assistant", content: "word1 word2" });
    const expected = redactTranscript(history.slice(0, -1).map((turn) => turn.message)).messages;
    expect(body.messages).toHaveLength(expected.length + 1);
    expect(body.messages[0]).toMatchObject({ role: "system" });
    expect(body.messages.slice(1).map((message) => message.content)).toEqual(expected.map((message) => message.content));
    expect(body.messages.at(-1)!.content).toContain(tag);
    expect(JSON.stringify(body.messages)).not.toContain("jane.roe@example.com");
    expect(JSON.stringify(body.messages)).toContain("mail [EMAIL]");

    const runs = await scheduled(t, "agent/run:run");
    expect(runs).toHaveLength(5);
    for (const run of runs) {
      expect(Object.keys(run.args[0] as object)).toEqual(["streamId"]);
      expect(JSON.stringify(run.args).length).toBeLessThan(100);
    }
    expect(meterOf(t).violations).toEqual([]);
  });
});

describe("a stream's lifecycle on the store", () => {
  test("a run that ends its stream cancels its expiry check and schedules the stream's deletion after the grace period", async () => {
    const t = await startGateway();
    const response = await postChat(t, { model: "support", messages: [{ role: "user", content: `[[words:5]] ${marker()}` }] });
    await response.json();
    await settled(t, response.headers.get("x-conversation-id")!);
    const stream = (await t.run((ctx) => ctx.db.query("streams").first()))!;
    expect(stream.status).toBe("done");
    const expiry = await t.run((ctx) => ctx.db.system.get("_scheduled_functions", stream.expiryId!));
    expect(expiry).toMatchObject({ name: "agent/stream:expire", state: { kind: "canceled" } });
    const [cleanup] = await scheduled(t, "agent/streamCleanup:deleteStream");
    expect(cleanup).toMatchObject({ args: [{ streamId: stream._id }], state: { kind: "pending" } });
    expect(cleanup!.scheduledTime - stream.endedAt!).toBeGreaterThanOrEqual(STREAM_GRACE_MS - 1000);
    expect(cleanup!.scheduledTime - stream.endedAt!).toBeLessThanOrEqual(STREAM_GRACE_MS + 1000);
  });

  test("an expired stream schedules its deletion too, and a run that starts after expiry does nothing", async () => {
    const t = await startGateway();
    const response = await postChat(t, { model: "support", stream: true, messages: [{ role: "user", content: "[[words:2]] [[fault:hang-after:2]]" }] });
    const stream = (await t.run((ctx) => ctx.db.query("streams").first()))!;
    await t.mutation(internal.agent.stream.expire, { streamId: stream._id });
    await response.body!.cancel();
    expect(await t.query(internal.agent.runInput.load, { streamId: stream._id })).toBeNull();
    expect(await scheduled(t, "agent/streamCleanup:deleteStream")).toMatchObject([{ args: [{ streamId: stream._id }] }]);
  });

  test("an expired stream's partial text is stored as its reply, at most EXPIRED_TEXT_LIMIT of it, read in order", async () => {
    const t = await startGateway();
    const response = await postChat(t, { model: "support", stream: true, messages: [{ role: "user", content: "[[words:2]] [[fault:hang-after:2]]" }] });
    const stream = await until("the run has written", () =>
      t.run(async (ctx) => {
        const written = await ctx.db.query("streams").first();
        return written !== null && written.chunkCount > 0 ? written : null;
      }),
    );
    // A stream far longer than a reply document may hold: 300 chunks of 4 KB after what the run wrote.
    const piece = "x".repeat(4096);
    await t.run(async (ctx) => {
      for (let index = 1000; index < 1300; index++) await ctx.db.insert("streamChunks", { streamId: stream._id, index, text: piece });
    });
    await t.mutation(internal.agent.stream.expire, { streamId: stream._id });
    await response.body!.cancel();
    const conversation = (await t.run((ctx) => ctx.db.get("conversations", stream.conversationId)))!;
    expect(conversation.busySince).toBeNull();
    const reply = (await t.run((ctx) => ctx.db.query("messages").withIndex("by_conversationId_and_position", (q) => q.eq("conversationId", stream.conversationId)).order("desc").first()))!;
    expect(reply).toMatchObject({ status: "timeout", message: { role: "assistant" } });
    const content = reply.message.content!;
    expect(content.length).toBeLessThanOrEqual(EXPIRED_TEXT_LIMIT);
    expect(content.length).toBeGreaterThan(EXPIRED_TEXT_LIMIT - 4096 - 100);
    expect(content.startsWith("word1")).toBe(true);
    expect(meterOf(t).violations).toEqual([]);
  });

  test("deletion: chunks in batches, each batch scheduling the next, then the run's record and the stream; other streams untouched", async () => {
    const t = await startGateway();
    for (const words of [20, 30]) {
      const response = await postChat(t, { model: "support", messages: [{ role: "user", content: `[[words:${words}]] ${marker()}` }] });
      await response.json();
      await settled(t, response.headers.get("x-conversation-id")!);
    }
    const [doomed, kept] = await t.run((ctx) => ctx.db.query("streams").collect());
    const keptChunks = await t.run((ctx) => ctx.db.query("streamChunks").withIndex("by_streamId_and_index", (q) => q.eq("streamId", kept!._id)).collect());
    expect(keptChunks.length).toBeGreaterThan(0);
    // A long stream: more chunks than one batch deletes.
    await t.run(async (ctx) => {
      for (let index = doomed!.chunkCount; index < doomed!.chunkCount + CLEANUP_BATCH + 44; index++) {
        await ctx.db.insert("streamChunks", { streamId: doomed!._id, index, text: "x" });
      }
    });
    const chunksOf = (streamId: Id<"streams">) =>
      t.run((ctx) => ctx.db.query("streamChunks").withIndex("by_streamId_and_index", (q) => q.eq("streamId", streamId)).collect());
    const before = (await chunksOf(doomed!._id)).length;

    const meter = meterOf(t);
    const mark = meter.mark();
    await t.mutation(internal.agent.streamCleanup.deleteStream, { streamId: doomed!._id });
    expect((await chunksOf(doomed!._id)).length).toBe(before - CLEANUP_BATCH);
    expect(await t.run((ctx) => ctx.db.get("streams", doomed!._id))).not.toBeNull();

    await until("the stream is deleted", async () => (await t.run((ctx) => ctx.db.get("streams", doomed!._id))) === null);
    await t.finishInProgressScheduledFunctions();
    expect(await chunksOf(doomed!._id)).toEqual([]);
    expect(await t.run((ctx) => ctx.db.query("agentRuns").withIndex("by_streamId", (q) => q.eq("streamId", doomed!._id)).unique())).toBeNull();
    const batches = meter.since(mark).filter((call) => call.path === "agent/streamCleanup:deleteStream");
    expect(batches).toHaveLength(2);
    // Found by index: no batch reads more than its own rows (each read once by the query, once by its
    // delete) and the stream's.
    for (const batch of batches) expect(batch.documentsRead).toBeLessThanOrEqual(2 * CLEANUP_BATCH + 4);

    expect(await t.run((ctx) => ctx.db.get("streams", kept!._id))).not.toBeNull();
    expect(await chunksOf(kept!._id)).toEqual(keptChunks);
    expect(await t.run((ctx) => ctx.db.query("agentRuns").withIndex("by_streamId", (q) => q.eq("streamId", kept!._id)).unique())).not.toBeNull();
  });
});

describe("function calls per stream", () => {
  test("a 6-second stream: a bounded start, then at most two writes and two polls a second, so a stream-minute costs under 300 calls", { timeout: 30_000 }, async () => {
    const t = await startGateway();
    const meter = meterOf(t);
    const mark = meter.mark();
    // From 2.5 s in, the stream is past every fast phase of the relay (at most 1 s before the first
    // text, 250 ms after it, then four doublings): count its steady calls from there.
    let steady = { mark: 0, at: 0 };
    const timer = setTimeout(() => (steady = { mark: meter.mark(), at: Date.now() }), 2500);
    const response = await postChat(t, { model: "support", stream: true, messages: [{ role: "user", content: `[[words:120]] [[trickle:50]] ${marker()}` }] });
    const { events } = await readSse(response);
    const ended = Date.now();
    clearTimeout(timer);
    expect(events.at(-1)).toBe("[DONE]");
    await settled(t, response.headers.get("x-conversation-id")!);
    expect(steady.mark).toBeGreaterThan(0);

    const ours = (calls: ReturnType<typeof meter.since>) => calls.filter((call) => call.component === "");
    const all = ours(meter.since(mark));
    const later = ours(meter.since(steady.mark));
    const startup = all.length - later.length;
    const steadySeconds = (ended - steady.at) / 1000;
    const count = (path: string) => later.filter((call) => call.path === path).length;
    // Writes every 500 ms (WRITE_INTERVAL_MS), polls every 500 ms (STEADY_POLL_INTERVAL_MS): at most two
    // of each a second. The old cadence (50 ms writes, 25 ms polls) made 60 calls a second here.
    expect(count("agent/stream:append")).toBeLessThanOrEqual(2 * steadySeconds + 2);
    expect(count("agent/stream:read")).toBeLessThanOrEqual(2 * steadySeconds + 2);
    // The start is paid once: the HTTP action, begin, the run, its input query, a few writes, and the
    // relay's fast polls (every 25 ms for at most 1 s before the first text and 250 ms after it).
    // With at most 4 calls a second after it, a stream-minute stays under 300 while the start stays
    // under 56 calls.
    expect(startup).toBeLessThanOrEqual(56);
  });
});
