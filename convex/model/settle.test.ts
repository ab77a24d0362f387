// The safety net of client-tool turns: a turn whose HTTP action died after `begin` is settled once its
// lease lapses (conversation released, estimated usage charged), a renewed lease keeps the turn, and a
// turn that settles normally cancels its check.
import { afterEach, describe, expect, test, vi } from "vitest";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { postChat, startGateway, type Gateway } from "../testing/harness.testing";
import { CLIENT_TOOL_MODE } from "../testing/modes.testing";
import { POLICY_KEY, policySeed } from "../testing/seed.testing";
import { sha256Hex } from "./keys";
import { LEASE_MS, LEASE_RENEW_MS } from "./reservations";
import { estimatePromptTokens } from "./tokenEstimate";

const CONTENT = "What is the status of my order?";
const PROMPT_TOKENS = estimatePromptTokens(["You are a test bot."], [{ role: "user", content: CONTENT }]);

afterEach(() => {
  vi.useRealTimers();
});

/** What the HTTP action does first: `begin` a client-tool turn. The action then "dies": nothing else runs. */
async function beginClientTurn(t: Gateway, requestId: string): Promise<Id<"conversations">> {
  const decision = await t.mutation(internal.model.chat.begin, {
    keyHash: sha256Hex(POLICY_KEY),
    requestId,
    model: "bot",
    conversationId: null,
    messages: [{ role: "user", content: CONTENT }],
    requestedMaxTokens: 100,
    agentRequest: null,
  });
  if (!decision.ok) throw new Error(decision.error.message);
  return decision.conversationId;
}

async function turnState(t: Gateway, conversationId: Id<"conversations">) {
  return await t.run(async (ctx) => {
    const ledger = await ctx.db.query("usageDaily").collect();
    const month = (await ctx.db.query("tokenShards").collect()).filter((shard) => shard.kind === "month");
    const messages = await ctx.db
      .query("messages")
      .withIndex("by_conversationId_and_position", (q) => q.eq("conversationId", conversationId))
      .collect();
    return {
      busy: (await ctx.db.get("conversations", conversationId))!.busySince !== null,
      open: (await ctx.db.query("reservations").collect()).length,
      requests: ledger.reduce((sum, row) => sum + row.requests, 0),
      promptTokens: ledger.reduce((sum, row) => sum + row.promptTokens, 0),
      completionTokens: ledger.reduce((sum, row) => sum + row.completionTokens, 0),
      monthUsed: month.reduce((sum, shard) => sum + shard.used, 0),
      last: messages.at(-1)!,
    };
  });
}

async function advance(t: Gateway, milliseconds: number) {
  vi.advanceTimersByTime(milliseconds);
  await t.finishInProgressScheduledFunctions();
}

describe("the safety net of client-tool turns", () => {
  test("a turn whose HTTP action died is settled once its lease lapses: conversation free, estimate charged", async () => {
    vi.useFakeTimers();
    const t = await startGateway(policySeed({ tokensPerMinute: 100_000 }));
    const conversationId = await beginClientTurn(t, "req_dead_action");
    // Reserved: the prompt estimate plus max_tokens.
    expect((await turnState(t, conversationId)).monthUsed).toBe(PROMPT_TOKENS + 100);

    await advance(t, LEASE_MS - 1000);
    expect(await turnState(t, conversationId)).toMatchObject({ busy: true, open: 1 });

    await advance(t, 1000);
    const state = await turnState(t, conversationId);
    expect(state).toMatchObject({ busy: false, open: 0, requests: 1, promptTokens: PROMPT_TOKENS, completionTokens: 0, monthUsed: PROMPT_TOKENS });
    expect(state.last).toMatchObject({ requestId: "req_dead_action", status: "error", message: { role: "assistant", content: null } });
  });

  test("a relay that renews its lease keeps its turn; once renewals stop, the turn settles with what was relayed", async () => {
    vi.useFakeTimers();
    const t = await startGateway(policySeed({ tokensPerMinute: 100_000 }));
    const conversationId = await beginClientTurn(t, "req_long_reply");
    await advance(t, LEASE_MS - 5000);
    await t.mutation(internal.model.settle.renew, { requestId: "req_long_reply", streamedCharacters: 400 });
    // The first check finds the lease renewed and reschedules itself for its new end.
    await advance(t, 5000);
    expect(await turnState(t, conversationId)).toMatchObject({ busy: true, open: 1 });
    await advance(t, LEASE_MS);
    expect(await turnState(t, conversationId)).toMatchObject({ busy: false, open: 0, promptTokens: PROMPT_TOKENS, completionTokens: 100 });
  });

  test("a late outcome after the safety net settled changes nothing", async () => {
    vi.useFakeTimers();
    const t = await startGateway(policySeed({ tokensPerMinute: 100_000 }));
    const conversationId = await beginClientTurn(t, "req_late");
    await advance(t, LEASE_MS);
    const before = await turnState(t, conversationId);
    await t.mutation(internal.model.chat.finish, {
      conversationId,
      requestId: "req_late",
      message: { role: "assistant", content: "late" },
      status: "complete",
      finishReason: "stop",
      usage: { promptTokens: 5, completionTokens: 5, totalTokens: 10 },
    });
    expect(await turnState(t, conversationId)).toEqual(before);
  });

  // Real time (about 11 s): the relay's timer must run inside the action, which fake timers cannot show.
  test("the relay renews its lease every 10 s while it streams, reporting what it has relayed", { timeout: 30_000 }, async () => {
    const t = await startGateway(policySeed({ tokensPerMinute: 100_000 }));
    const started = Date.now();
    const response = await postChat(t, { model: "bot", ...CLIENT_TOOL_MODE, stream: true, messages: [{ role: "user", content: "[[words:600]] [[trickle:20]]" }] }, { key: POLICY_KEY });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const [opened] = await t.run((ctx) => ctx.db.query("reservations").collect());
    expect(opened!.streamedCharacters).toBe(0);
    let renewed = opened!;
    while (renewed.streamedCharacters === 0) {
      const { done } = await reader.read();
      expect(done, "the reply ended before the lease was renewed").toBe(false);
      if (Date.now() - started > LEASE_RENEW_MS) renewed = (await t.run((ctx) => ctx.db.get("reservations", opened!._id)))!;
    }
    expect(renewed.streamedCharacters).toBeGreaterThan(1000);
    expect(renewed.leaseUntil!).toBeGreaterThanOrEqual(opened!.leaseUntil! + LEASE_RENEW_MS - 1000);
    await reader.cancel();
  });

  test("a turn that settles normally cancels its scheduled check", async () => {
    const t = await startGateway(policySeed({ tokensPerMinute: 100_000 }));
    const response = await postChat(t, { model: "bot", ...CLIENT_TOOL_MODE, messages: [{ role: "user", content: "[[words:3]]" }] }, { key: POLICY_KEY });
    expect(response.status).toBe(200);
    await response.json();
    const checks = await t.run(async (ctx) =>
      (await ctx.db.system.query("_scheduled_functions").collect()).filter((scheduled) => scheduled.name.includes("settle")),
    );
    expect(checks.map((check) => check.state.kind)).toEqual(["canceled"]);
    expect(await t.run((ctx) => ctx.db.query("reservations").collect())).toEqual([]);
  });
});
