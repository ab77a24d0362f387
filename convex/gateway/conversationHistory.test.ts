// What a stored conversation replays and how it survives failures, in both modes: failed turns stay
// stored but are never replayed nor duplicated by a retry; a full resend is recognised past any read
// cap; stored messages that no longer convert never brick the conversation; and the history read per
// turn stays bounded in bytes and count however long the conversation grows (docs/architecture.md,
// "Conversations").
import { afterEach, describe, expect, test } from "vitest";
import type { Id } from "../_generated/dataModel";
import { marker, postChat, readSse, startGateway, type Gateway } from "../testing/harness.testing";
import { meterOf } from "../testing/convexLimits/convexLimits.testing";
import { upstreamBodies, type UpstreamBody } from "../testing/upstream.testing";
import { MODES } from "../testing/modes.testing";
import { restoreEnvironment, setEnvironment } from "../testing/environment.testing";
import { policySeed, POLICY_KEY } from "../testing/seed.testing";
import {
  appendMessages,
  appendReply,
  createConversation,
  loadHistory,
  MAX_HISTORY_BYTES,
  MAX_HISTORY_MESSAGES,
  MAX_MESSAGE_BYTES,
} from "../model/conversations";
import type { TranscriptMessage } from "../openai/transcript";
import { settledRows } from "../testing/conversations.testing";

afterEach(restoreEnvironment);

/** The upstream's view of the conversation, without the system prompts the gateway puts first. */
const dialogue = (body: UpstreamBody) => body.messages.filter((message) => message.role !== "system");

describe.each(MODES)("failed turns ($name)", ({ fields }) => {
  test("a reply cut off mid-stream stays stored as failed and is never replayed upstream", async () => {
    const t = await startGateway();
    const tag = marker();
    const first = { role: "user", content: `[[words:8]] [[fault:reset]] first ${tag}` };
    const one = await postChat(t, { model: "support", stream: true, ...fields, messages: [first] });
    const conversationId = one.headers.get("x-conversation-id")!;
    await readSse(one);
    const failed = (await settledRows(t, conversationId)).at(-1)!;
    expect(failed).toMatchObject({ status: "error", message: { role: "assistant" } });
    expect(failed.error).not.toMatch(/HTTP 200/);

    const second = { role: "user", content: `second ${tag}` };
    const two = await postChat(t, { model: "support", ...fields, messages: [second] }, { headers: { "x-conversation-id": conversationId } });
    expect(two.status).toBe(200);
    const reply = (await two.json()).choices[0].message.content;
    const rows = await settledRows(t, conversationId);
    expect(rows.map((row) => [row.message.role, row.status])).toEqual([
      ["user", "complete"],
      ["assistant", "error"],
      ["user", "complete"],
      ["assistant", "complete"],
    ]);
    const upstream = await upstreamBodies(tag);
    expect(dialogue(upstream.at(-1)!)).toEqual([first, second]);
    expect(rows.at(-1)!.message.content).toBe(reply);
  });

  for (const style of ["resends the whole history", "sends only its new message"] as const) {
    test(`a question retried after a failure is recognised, not stored or sent twice (client ${style})`, async () => {
      const t = await startGateway();
      const tag = marker();
      const hello = { role: "user", content: `hello ${tag}` };
      const zero = await postChat(t, { model: "support", ...fields, messages: [hello] });
      const conversationId = zero.headers.get("x-conversation-id")!;
      const answer = { role: "assistant", content: (await zero.json()).choices[0].message.content };
      const headers = { "x-conversation-id": conversationId };

      const question = { role: "user", content: `question ${tag}` };
      const messages = style === "resends the whole history" ? [hello, answer, question] : [question];
      setEnvironment("OPENAI_BASE_URL", "http://127.0.0.1:9/v1");
      const failed = await postChat(t, { model: "support", ...fields, messages }, { headers });
      expect(failed.status).toBe(502);
      await failed.json();
      await settledRows(t, conversationId);
      restoreEnvironment();

      const retried = await postChat(t, { model: "support", ...fields, messages }, { headers });
      expect(retried.status, "served at once, not 409").toBe(200);
      await retried.json();
      const rows = await settledRows(t, conversationId);
      expect(rows.map((row) => [row.message.content === question.content ? "question" : row.message.role, row.status])).toEqual([
        ["user", "complete"],
        ["assistant", "complete"],
        ["question", "complete"],
        ["assistant", "error"],
        ["assistant", "complete"],
      ]);
      const upstream = await upstreamBodies(tag);
      expect(upstream.map((body) => dialogue(body))).toEqual([[hello], [hello, answer, question]]);
    });
  }
});

describe.each(MODES)("a stored conversation always converts ($name)", ({ fields }) => {
  test("unparsable parts and arguments, orphan tool results and abandoned calls are left out, not a 500", async () => {
    const t = await startGateway();
    const tag = marker();
    const one = await postChat(t, { model: "support", ...fields, messages: [{ role: "user", content: `first ${tag}` }] });
    const conversationId = one.headers.get("x-conversation-id")!;
    await one.json();
    const [question] = await settledRows(t, conversationId);
    // Damage the stored transcript the way old data or a misbehaving model could.
    await t.run(async (ctx) => {
      await ctx.db.patch("messages", question!._id, { message: { role: "user", content: `first ${tag}`, parts: "{not json" } });
      const conversation = (await ctx.db.get("conversations", conversationId as Id<"conversations">))!;
      await appendMessages(ctx, conversation, "req_damage", [
        { role: "assistant", content: null, toolCalls: [{ id: "call_bad", name: "lookup_order", arguments: "{not json" }] },
        { role: "tool", content: "orphan", toolCallId: "call_unknown" },
        { role: "user", content: "moving on" },
      ], Date.now());
      await ctx.db.patch("conversations", conversation._id, { busySince: null });
    });

    const next = { role: "user", content: `next ${tag}` };
    const response = await postChat(t, { model: "support", ...fields, messages: [next] }, { headers: { "x-conversation-id": conversationId } });
    expect(response.status).toBe(200);
    await response.json();
    await settledRows(t, conversationId);
    const upstream = dialogue((await upstreamBodies(tag)).at(-1)!);
    expect(upstream.map((message) => [message.role, message.content])).toEqual([
      ["user", `first ${tag}`],
      ["assistant", expect.any(String)],
      ["user", "moving on"],
      ["user", `next ${tag}`],
    ]);
  });
});

describe("a full resend is recognised however long the conversation", () => {
  test("past 1,000 stored messages a resent history is neither stored nor sent twice", async () => {
    const t = await startGateway();
    const tag = marker();
    const history = Array.from({ length: 1500 }, (_, index) => ({ role: index % 2 === 0 ? "user" : "assistant", content: `turn ${index}` }));
    const first = [...history, { role: "user", content: `first ${tag}` }];
    const one = await postChat(t, { model: "writer", messages: first });
    expect(one.status).toBe(200);
    const conversationId = one.headers.get("x-conversation-id")!;
    const answer = { role: "assistant", content: (await one.json()).choices[0].message.content };
    expect(await settledRows(t, conversationId)).toHaveLength(1502);

    const second = { role: "user", content: `second ${tag}` };
    const two = await postChat(t, { model: "writer", messages: [...first, answer, second] }, { headers: { "x-conversation-id": conversationId } });
    expect(two.status).toBe(200);
    await two.json();
    const rows = await settledRows(t, conversationId);
    expect(rows).toHaveLength(1504);
    expect(rows[1502]!.message).toEqual(second);
    const upstream = dialogue((await upstreamBodies(tag)).at(-1)!);
    expect(upstream.filter((message) => message.content === second.content)).toHaveLength(1);
    expect(upstream.length).toBeLessThanOrEqual(MAX_HISTORY_MESSAGES + 1);
    expect(upstream.slice(-3)).toEqual([{ role: "user", content: `first ${tag}` }, answer, second]);
  });
});

/** A long conversation stored directly: `turns` user messages of `size` bytes, each with a reply of `replySize`. */
async function storeLongConversation(t: Gateway, turns: number, size: number, replySize = 0): Promise<Id<"conversations">> {
  return t.run(async (ctx) => {
    const tenant = (await ctx.db.query("tenants").withIndex("by_slug", (q) => q.eq("slug", "policy")).unique())!;
    const key = (await ctx.db.query("apiKeys").withIndex("by_tenantId_and_name", (q) => q.eq("tenantId", tenant._id).eq("name", "main")).unique())!;
    let conversation = await createConversation(ctx, tenant._id, key._id, "bot", Date.now());
    for (let turn = 0; turn < turns; turn++) {
      await appendMessages(ctx, conversation, `req_${turn}`, [{ role: "user", content: `turn ${turn} `.padEnd(size, "x") }], Date.now());
      conversation = (await ctx.db.get("conversations", conversation._id))!;
      await appendReply(ctx, conversation, { message: { role: "assistant", content: `answer ${turn}`.padEnd(replySize, "z") }, requestId: `req_${turn}`, status: "complete" }, Date.now());
      conversation = (await ctx.db.get("conversations", conversation._id))!;
    }
    return conversation._id;
  });
}

/** Loads the history while counting the bytes of every document the queries return. */
async function loadCountingBytes(t: Gateway, conversationId: Id<"conversations">) {
  return t.run(async (ctx) => {
    let bytesRead = 0;
    const count = <T>(value: T): T => {
      bytesRead += new TextEncoder().encode(JSON.stringify(value) ?? "").byteLength;
      return value;
    };
    const wrap = (query: object): object =>
      new Proxy(query, {
        get(target, property) {
          const member = Reflect.get(target, property) as unknown;
          if (typeof member !== "function") return member;
          return (...args: unknown[]) => {
            const result = (member as (...args: unknown[]) => unknown).apply(target, args);
            return result instanceof Promise ? result.then(count) : typeof result === "object" && result !== null ? wrap(result) : result;
          };
        },
      });
    const db = new Proxy(ctx.db, {
      get(target, property) {
        if (property === "query") return (table: "messages") => wrap(target.query(table));
        if (property === "get") return (...args: [never, never]) => target.get(...args).then(count);
        return Reflect.get(target, property) as unknown;
      },
    });
    const turns = await loadHistory({ ...ctx, db }, conversationId);
    return { turns, bytesRead };
  });
}

describe("the history read per turn is bounded in bytes and count", () => {
  test("200 turns of 40 KB: the newest turns that fit in 4 MiB are replayed, and a turn reads about that much", async () => {
    const t = await startGateway(policySeed({ pii: "off", tokensPerMinute: 100_000_000 }));
    const conversationId = await storeLongConversation(t, 199, 40_000, 40_000);
    const lastAnswer = { role: "assistant", content: "answer 198".padEnd(40_000, "z") };
    const { turns, bytesRead } = await loadCountingBytes(t, conversationId);
    expect(bytesRead).toBeLessThanOrEqual(MAX_HISTORY_BYTES + MAX_MESSAGE_BYTES + 10_000);
    const replayedBytes = turns.reduce((sum, turn) => sum + JSON.stringify(turn.message).length, 0);
    expect(replayedBytes).toBeLessThanOrEqual(MAX_HISTORY_BYTES);
    expect(turns[0]!.message.role).toBe("user");
    expect(turns.at(-1)!.message).toEqual(lastAnswer);

    const tag = marker();
    const mark = meterOf(t).mark();
    const response = await postChat(t, { model: "bot", messages: [{ role: "user", content: `turn 199 ${tag}`.padEnd(40_000, "x") }] }, {
      key: POLICY_KEY,
      headers: { "x-conversation-id": conversationId },
    });
    expect(response.status).toBe(200);
    await response.json();
    // The newest turns in order, starting at a user message, within the bound (the new turn included).
    const upstream = dialogue((await upstreamBodies(tag))[0]!);
    expect(upstream[0]!.role).toBe("user");
    expect(upstream.at(-2)).toEqual(lastAnswer);
    expect(upstream.at(-1)!.content).toContain(tag);
    expect(JSON.stringify(upstream).length).toBeLessThanOrEqual(MAX_HISTORY_BYTES + 50_000);
    expect(await settledRows(t, conversationId)).toHaveLength(400);
    // What the real functions read (Convex's meter): the authorising mutation and the agent run's load.
    const reads = meterOf(t).since(mark).filter((call) => call.path === "model/chat:begin" || call.path === "agent/runInput:load");
    expect(reads.map((call) => call.path).sort()).toEqual(["agent/runInput:load", "model/chat:begin"]);
    for (const call of reads) expect(call.bytesRead, call.path).toBeLessThanOrEqual(MAX_HISTORY_BYTES + MAX_MESSAGE_BYTES + 256 * 1024);
  });

  test("9,000 stored messages: the next turn replays at most 1,000 of them and succeeds", async () => {
    const t = await startGateway(policySeed({ pii: "off", tokensPerMinute: 100_000_000 }));
    const conversationId = await storeLongConversation(t, 4500, 10);
    const tag = marker();
    const response = await postChat(t, { model: "bot", messages: [{ role: "user", content: `next ${tag}` }] }, {
      key: POLICY_KEY,
      headers: { "x-conversation-id": conversationId },
    });
    expect(response.status).toBe(200);
    await response.json();
    const upstream = dialogue((await upstreamBodies(tag))[0]!);
    expect(upstream.length).toBeLessThanOrEqual(MAX_HISTORY_MESSAGES + 1);
    expect(upstream.at(-2)).toEqual({ role: "assistant", content: "answer 4499" });
    expect(await settledRows(t, conversationId)).toHaveLength(9002);
  });

  test("the conversation's leading system message stays pinned when older turns are left out", async () => {
    const t = await startGateway(policySeed({ pii: "off", tokensPerMinute: 100_000_000 }));
    const system: TranscriptMessage = { role: "system", content: "Always answer in French." };
    const conversationId = await t.run(async (ctx) => {
      const tenant = (await ctx.db.query("tenants").withIndex("by_slug", (q) => q.eq("slug", "policy")).unique())!;
      const key = (await ctx.db.query("apiKeys").withIndex("by_tenantId_and_name", (q) => q.eq("tenantId", tenant._id).eq("name", "main")).unique())!;
      const conversation = await createConversation(ctx, tenant._id, key._id, "bot", Date.now());
      await appendMessages(ctx, conversation, "req_system", [system], Date.now());
      return conversation._id;
    });
    await t.run(async (ctx) => {
      let conversation = (await ctx.db.get("conversations", conversationId))!;
      for (let turn = 0; turn < 1100; turn++) {
        await appendMessages(ctx, conversation, `req_${turn}`, [{ role: "user", content: `turn ${turn}` }], Date.now());
        conversation = (await ctx.db.get("conversations", conversationId))!;
      }
    });
    const { turns } = await loadCountingBytes(t, conversationId);
    expect(turns).toHaveLength(MAX_HISTORY_MESSAGES);
    expect(turns[0]!.message).toEqual(system);
    expect(turns[1]!.message).toEqual({ role: "user", content: "turn 101" });
  });
});

describe("a generated message too large for one document", () => {
  test("a reply is stored without content as failed, a tool result keeps a note; both fit, and the next turn is served", async () => {
    const t = await startGateway(policySeed({ pii: "off" }));
    const huge = "z".repeat(MAX_MESSAGE_BYTES + 10);
    const conversationId = await t.run(async (ctx) => {
      const tenant = (await ctx.db.query("tenants").withIndex("by_slug", (q) => q.eq("slug", "policy")).unique())!;
      const key = (await ctx.db.query("apiKeys").withIndex("by_tenantId_and_name", (q) => q.eq("tenantId", tenant._id).eq("name", "main")).unique())!;
      const conversation = await createConversation(ctx, tenant._id, key._id, "bot", Date.now());
      await appendMessages(ctx, conversation, "req_1", [
        { role: "user", content: "q" },
        { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "fetch", arguments: "{}" }] },
      ], Date.now());
      const withCall = (await ctx.db.get("conversations", conversation._id))!;
      await appendMessages(ctx, withCall, "req_1", [{ role: "tool", content: huge, toolCallId: "call_1" }], Date.now(), { serverStep: true });
      const withResult = (await ctx.db.get("conversations", conversation._id))!;
      await appendReply(ctx, withResult, { message: { role: "assistant", content: huge }, requestId: "req_1", status: "complete" }, Date.now());
      return conversation._id;
    });
    const rows = await settledRows(t, conversationId);
    expect(rows.map((row) => row.bytes)).toSatisfy((sizes: number[]) => sizes.every((size) => size <= MAX_MESSAGE_BYTES));
    expect(rows[2]!.message.content).toMatch(/^\[omitted: \d+ bytes exceed the stored-message limit of 1000000 bytes\]$/);
    expect(rows[3]).toMatchObject({ status: "error", message: { role: "assistant", content: null } });

    const tag = marker();
    const response = await postChat(t, { model: "bot", messages: [{ role: "user", content: `next ${tag}` }] }, { key: POLICY_KEY, headers: { "x-conversation-id": conversationId } });
    expect(response.status).toBe(200);
    await response.json();
    expect(dialogue((await upstreamBodies(tag))[0]!).map((message) => message.role)).toEqual(["user", "assistant", "tool", "user"]);
  });
});
