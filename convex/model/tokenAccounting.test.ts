// Token accounting that cannot be dodged: a generation that ends without the upstream's usage (the
// client left, the upstream reset, the agent run failed or expired) is charged an estimate of its
// prompt and of everything it produced, and the per-minute limit, the monthly budget and the ledger
// all see the same charge. And the monthly budget holds under concurrency.
import { describe, expect, test } from "vitest";
import { internal } from "../_generated/api";
import { marker, postChat, startGateway, type Gateway } from "../testing/harness.testing";
import { upstreamRequests } from "../testing/upstream.testing";
import { CLIENT_TOOL_MODE } from "../testing/modes.testing";
import { POLICY_KEY, policySeed } from "../testing/seed.testing";
import { estimatePromptTokens } from "./tokenEstimate";

const SYSTEM_PROMPT = "You are a test bot.";

/** What the store holds for the tenant: ledger totals, allowance charges, open reservations. */
async function accounts(t: Gateway) {
  return await t.run(async (ctx) => {
    const ledger = await ctx.db.query("usageDaily").collect();
    const shards = await ctx.db.query("tokenShards").collect();
    const used = (kind: "minute" | "month") => shards.filter((shard) => shard.kind === kind).reduce((sum, shard) => sum + shard.used, 0);
    return {
      requests: ledger.reduce((sum, row) => sum + row.requests, 0),
      promptTokens: ledger.reduce((sum, row) => sum + row.promptTokens, 0),
      completionTokens: ledger.reduce((sum, row) => sum + row.completionTokens, 0),
      minute: used("minute"),
      month: used("month"),
      open: (await ctx.db.query("reservations").collect()).length,
    };
  });
}

/** Waits until every admitted generation has settled (its reservation is gone). */
async function settled(t: Gateway) {
  for (let attempt = 0; attempt < 250; attempt++) {
    const state = await accounts(t);
    if (state.open === 0 && state.requests > 0) return state;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("the generation never settled");
}

/** Reads a streamed response until `text` has arrived, then hangs up. */
async function readUntilThenCancel(response: Response, text: string): Promise<string> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let received = "";
  while (!received.includes(text)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`the stream ended before ${text}`);
    received += value;
  }
  await reader.cancel();
  return received;
}

const promptTokensOf = (content: string) => estimatePromptTokens([SYSTEM_PROMPT], [{ role: "user", content }]);

describe("a generation that ends without the upstream's usage is charged an estimate", () => {
  test("client-tool mode: a client that aborts a streamed reply is charged its prompt and what was streamed", async () => {
    const t = await startGateway(policySeed({ tokensPerMinute: 100_000 }));
    const content = `[[words:300]] [[trickle:20]] ${marker()}`;
    const response = await postChat(t, { model: "bot", ...CLIENT_TOOL_MODE, stream: true, max_tokens: 400, messages: [{ role: "user", content }] }, { key: POLICY_KEY });
    await readUntilThenCancel(response, "word5 ");
    const state = await settled(t);

    expect(state.requests).toBe(1);
    expect(state.promptTokens).toBe(promptTokensOf(content));
    // At least "word1 word2 word3 word4 word5 " (30 characters) was streamed; far less than the 300 words.
    expect(state.completionTokens).toBeGreaterThanOrEqual(Math.ceil(30 / 4));
    expect(state.completionTokens).toBeLessThan(300);
    // The monthly allowance and the per-minute limit hold the same charge, not a refunded reservation.
    expect(state.month).toBe(state.promptTokens + state.completionTokens);
    expect(state.minute).toBe(state.promptTokens + state.completionTokens);
  });

  test("client-tool mode: an upstream reset mid-stream is charged its prompt and what had arrived", async () => {
    const t = await startGateway(policySeed({ tokensPerMinute: 100_000 }));
    const content = `[[words:40]] [[fault:reset]] ${marker()}`;
    const response = await postChat(t, { model: "bot", ...CLIENT_TOOL_MODE, stream: true, max_tokens: 400, messages: [{ role: "user", content }] }, { key: POLICY_KEY });
    expect(await response.text()).toContain("word2");
    const state = await settled(t);
    expect(state.promptTokens).toBe(promptTokensOf(content));
    expect(state.completionTokens).toBeGreaterThan(0);
    expect(state.month).toBe(state.promptTokens + state.completionTokens);
    expect(state.minute).toBe(state.month);
  });

  test("client-tool mode: streamed tool-call arguments count as output", async () => {
    const t = await startGateway(policySeed({ tokensPerMinute: 100_000 }));
    const argument = "x".repeat(400);
    const content = `[[call:lookup_order {"id":"${argument}"}]] [[fault:reset]] ${marker()}`;
    const response = await postChat(t, { model: "bot", ...CLIENT_TOOL_MODE, stream: true, max_tokens: 400, messages: [{ role: "user", content }] }, { key: POLICY_KEY });
    const body = await response.text();
    const state = await settled(t);
    // The reset may cut the call short; whatever of the arguments reached the relay was charged.
    const relayedArguments = (body.match(/x/g) ?? []).length;
    expect(relayedArguments).toBeGreaterThan(0);
    expect(state.promptTokens).toBe(promptTokensOf(content));
    expect(state.completionTokens).toBeGreaterThanOrEqual(Math.floor(relayedArguments / 4));
    expect(state.month).toBe(state.promptTokens + state.completionTokens);
  });

  test("agent mode: a run that fails is charged its prompt and what it produced", async () => {
    const t = await startGateway(policySeed({ tokensPerMinute: 100_000 }));
    const content = `[[words:40]] [[fault:reset]] ${marker()}`;
    const response = await postChat(t, { model: "bot", stream: true, max_tokens: 400, messages: [{ role: "user", content }] }, { key: POLICY_KEY });
    await response.text();
    const state = await settled(t);
    expect(state.promptTokens).toBe(promptTokensOf(content));
    expect(state.month).toBe(state.promptTokens + state.completionTokens);
    expect(state.minute).toBe(state.month);
  });

  test("agent mode: a run that fails after a server-tool step is charged the prompt once per model call, and the step", async () => {
    const t = await startGateway();
    const call = '[[call:calculator {"expression":"1200 * 0.15"}]]';
    const content = `What is 15% of 1200? ${call} [[after-tools:fault:reset]] ${marker()}`;
    const response = await postChat(t, { model: "support", max_tokens: 400, messages: [{ role: "user", content }] });
    expect(response.status).toBe(502);
    const state = await settled(t);
    // Two model calls (the tool call, then the failed answer), each sending the prompt.
    expect(state.promptTokens).toBe(2 * estimatePromptTokens(["You are Acme's support agent."], [{ role: "user", content }]));
    // The step's call ("calculator" and its arguments) was produced by the model.
    expect(state.completionTokens).toBeGreaterThanOrEqual(Math.ceil(('calculator{"expression":"1200 * 0.15"}').length / 4));
    expect(state.month).toBe(state.promptTokens + state.completionTokens);
  });

  test("agent mode: a run expired by its scheduled check is charged its prompt and the text it wrote", async () => {
    const t = await startGateway(policySeed({ tokensPerMinute: 100_000 }));
    const content = `[[words:8]] [[fault:hang-after:8]] ${marker()}`;
    const response = await postChat(t, { model: "bot", stream: true, max_tokens: 400, messages: [{ role: "user", content }] }, { key: POLICY_KEY });
    await readUntilThenCancel(response, "word3");
    const stream = (await t.run((ctx) => ctx.db.query("streams").first()))!;
    const written = await t.run(async (ctx) =>
      (await ctx.db.query("streamChunks").withIndex("by_streamId_and_index", (q) => q.eq("streamId", stream._id)).collect()).map((chunk) => chunk.text).join(""),
    );
    await t.mutation(internal.agent.stream.expire, { streamId: stream._id });
    const state = await accounts(t);
    expect(state.open).toBe(0);
    expect(state.promptTokens).toBe(promptTokensOf(content));
    expect(state.completionTokens).toBe(Math.ceil(written.length / 4));
    expect(state.completionTokens).toBeGreaterThan(0);
    expect(state.month).toBe(state.promptTokens + state.completionTokens);
  });

  test("a reply the upstream reports usage for is charged exactly that usage", async () => {
    const t = await startGateway(policySeed({ tokensPerMinute: 100_000 }));
    const body = await (await postChat(t, { model: "bot", ...CLIENT_TOOL_MODE, max_tokens: 400, messages: [{ role: "user", content: "[[words:12]]" }] }, { key: POLICY_KEY })).json();
    const state = await settled(t);
    expect(state).toMatchObject({ promptTokens: body.usage.prompt_tokens, completionTokens: body.usage.completion_tokens, month: body.usage.total_tokens, minute: body.usage.total_tokens });
  });
});

describe("the monthly budget under concurrency", () => {
  test("20 concurrent ~400-token requests against a 1,000-token budget: only what fits is admitted", async () => {
    const t = await startGateway(policySeed({ monthlyTokenBudget: 1000, tokensPerMinute: 100_000, requestsPerMinute: 100 }));
    const tag = marker();
    const content = `[[words:3]] ${tag}`;
    // The prompt estimate plus max_tokens makes a 400-token reservation.
    const request = { model: "bot", ...CLIENT_TOOL_MODE, max_tokens: 400 - promptTokensOf(content), messages: [{ role: "user", content }] };
    const responses = await Promise.all(Array.from({ length: 20 }, () => postChat(t, request, { key: POLICY_KEY })));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(2);
    expect(statuses.filter((status) => status === 429)).toHaveLength(18);
    for (const response of responses.filter((response) => response.status === 429)) {
      expect((await response.json()).error.code).toBe("insufficient_quota");
    }
    expect(await upstreamRequests(tag)).toHaveLength(2);
    const state = await settled(t);
    expect(state.requests).toBe(2);
    expect(state.month).toBeLessThanOrEqual(1000);
  });
});
