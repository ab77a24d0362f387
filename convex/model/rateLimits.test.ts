// Rate limits and budgets through the HTTP API: OpenAI's headers, 429s, token reservation and
// reconciliation, the monthly budget and the usage ledger.
import { describe, expect, test } from "vitest";
import { get, marker, postChat, startGateway } from "../testing/harness.testing";
import { POLICY_KEY, policySeed } from "../testing/seed.testing";
import { requestShards } from "./limits";
import { meterOf } from "../testing/convexLimits/convexLimits.testing";
import { withinOneMinuteWindow } from "../testing/minuteWindow.testing";

const chat = (text = "hi") => ({ model: "bot", messages: [{ role: "user", content: text }] });

describe("rate limits", () => {
  test("every response carries OpenAI's six rate-limit headers, counting down", async () => {
    const t = await startGateway(policySeed({ requestsPerMinute: 10, tokensPerMinute: 50_000, maxOutputTokens: 100 }));
    const first = await postChat(t, chat(), { key: POLICY_KEY });
    const second = await postChat(t, chat(), { key: POLICY_KEY });
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-limit-requests")).toBe("10");
    expect(first.headers.get("x-ratelimit-remaining-requests")).toBe("9");
    expect(second.headers.get("x-ratelimit-remaining-requests")).toBe("8");
    expect(first.headers.get("x-ratelimit-reset-requests")).toMatch(/^(\d+ms|\d+(\.\d+)?s|\d+m\d+(\.\d+)?s)$/);
    expect(first.headers.get("x-ratelimit-limit-tokens")).toBe("50000");
    expect(Number(first.headers.get("x-ratelimit-remaining-tokens"))).toBeLessThan(50_000);
    expect(first.headers.get("x-ratelimit-reset-tokens")).toBeTruthy();
    const models = await get(t, "/api/v1/models", POLICY_KEY);
    expect(models.headers.get("x-ratelimit-remaining-requests")).toBe("7");
  });

  test("past the requests per minute: 429 rate_limit_exceeded with retry-after and retry-after-ms, and no upstream call", async () => {
    const t = await startGateway(policySeed({ requestsPerMinute: 2 }));
    for (let index = 0; index < 2; index++) expect((await postChat(t, chat(), { key: POLICY_KEY })).status).toBe(200);
    const tag = marker();
    const limited = await postChat(t, chat(tag), { key: POLICY_KEY });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({
      error: { message: expect.stringContaining("Rate limit"), type: "rate_limit_exceeded", param: null, code: "rate_limit_exceeded" },
    });
    const retryAfter = Number(limited.headers.get("retry-after"));
    const retryAfterMs = Number(limited.headers.get("retry-after-ms"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(Math.ceil(retryAfterMs / 1000)).toBe(retryAfter);
    expect(limited.headers.get("x-ratelimit-remaining-requests")).toBe("0");
  });

  test("a sharded request limit (100 a minute, 4 shards) never admits more than its rate, and refuses at most a few early", async () => {
    expect(requestShards(100)).toBe(4);
    const t = await startGateway(policySeed({ requestsPerMinute: 100 }));
    await withinOneMinuteWindow(20_000);
    let admitted = 0;
    for (let index = 0; index < 110; index++) if ((await get(t, "/api/v1/models", POLICY_KEY)).status === 200) admitted++;
    expect(admitted).toBeLessThanOrEqual(100);
    expect(admitted).toBeGreaterThanOrEqual(100 - requestShards(100));
  });

  test("a key's own requestsPerMinute overrides the tenant's", async () => {
    const t = await startGateway(policySeed({ requestsPerMinute: 100 }, { requestsPerMinute: 1 }));
    expect((await postChat(t, chat(), { key: POLICY_KEY })).status).toBe(200);
    const limited = await postChat(t, chat(), { key: POLICY_KEY });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-ratelimit-limit-requests")).toBe("1");
  });

  test("the remaining-requests header costs one rate limiter read, the tenant's, unless the key's own rate is lower", async () => {
    // Requests on the models route: one takeRequest each, and no other rate limiter call.
    const limiterCalls = async (t: Awaited<ReturnType<typeof startGateway>>) => {
      const meter = meterOf(t);
      const mark = meter.mark();
      const response = await get(t, "/api/v1/models", POLICY_KEY);
      expect(response.status).toBe(200);
      return { paths: meter.since(mark).filter((call) => call.component === "rateLimiter").map((call) => call.path), remaining: response.headers.get("x-ratelimit-remaining-requests") };
    };
    // The key has no rate of its own: it can never have less left than its tenant.
    const inherits = await startGateway(policySeed({ requestsPerMinute: 10 }));
    await limiterCalls(inherits);
    expect(await limiterCalls(inherits)).toEqual({ paths: ["lib:rateLimit", "lib:rateLimit", "lib:getValue"], remaining: "8" });
    // A key allowed 3 a minute under a tenant allowed 10: its own count is the tighter one, read too.
    const tighter = await startGateway(policySeed({ requestsPerMinute: 10 }, { requestsPerMinute: 3 }));
    await limiterCalls(tighter);
    expect(await limiterCalls(tighter)).toEqual({ paths: ["lib:rateLimit", "lib:rateLimit", "lib:getValue", "lib:getValue"], remaining: "1" });
  });

  test("tokens per minute: the estimate is reserved up front and reconciled with real usage after", async () => {
    const t = await startGateway(policySeed({ tokensPerMinute: 5000, maxOutputTokens: 1000 }));
    const response = await postChat(t, { ...chat("four words right here"), max_tokens: 1000 }, { key: POLICY_KEY });
    const body = await response.json();
    // Reserved: the prompt estimate plus the 1000-token cap.
    expect(Number(response.headers.get("x-ratelimit-remaining-tokens"))).toBeLessThanOrEqual(4000);
    const next = await get(t, "/api/v1/models", POLICY_KEY);
    expect(next.status).toBe(200);
    const after = await postChat(t, { ...chat("x"), max_tokens: 10 }, { key: POLICY_KEY });
    // After reconciliation only the real usage of the first call stays taken (plus the second's reservation).
    const remaining = Number(after.headers.get("x-ratelimit-remaining-tokens"));
    expect(remaining).toBeGreaterThan(5000 - body.usage.total_tokens - 100);
  });

  test("a request larger than the whole token budget is refused up front", async () => {
    const t = await startGateway(policySeed({ tokensPerMinute: 100 }));
    const response = await postChat(t, { ...chat("x".repeat(2000)), max_tokens: 10 }, { key: POLICY_KEY });
    expect(response.status).toBe(429);
    expect((await response.json()).error.message).toMatch(/Request too large/);
  });

  test("monthly token budget: a request that does not fit in what is left gets 429 insufficient_quota", async () => {
    const t = await startGateway(policySeed({ monthlyTokenBudget: 60 }));
    // Reserved: the prompt estimate (about 10 tokens) plus max_tokens 40; used: the upstream's count.
    const first = await postChat(t, { ...chat("[[words:20]]"), max_tokens: 40 }, { key: POLICY_KEY });
    expect(first.status).toBe(200);
    const used = (await first.json()).usage.total_tokens;
    expect(used).toBeGreaterThan(20);
    const tooLarge = await postChat(t, { ...chat(), max_tokens: 60 - used }, { key: POLICY_KEY });
    expect(tooLarge.status).toBe(429);
    expect((await tooLarge.json()).error).toMatchObject({ type: "insufficient_quota", code: "insufficient_quota" });
    const fits = await postChat(t, { ...chat(), max_tokens: 1 }, { key: POLICY_KEY });
    expect(fits.status).toBe(200);
    const month = await t.run((ctx) => ctx.db.query("tokenShards").collect());
    const monthUsed = month.filter((shard) => shard.kind === "month").reduce((sum, shard) => sum + shard.used, 0);
    expect(monthUsed).toBe(used + (await fits.json()).usage.total_tokens);
  });

  test("the usage ledger records requests and tokens per key and day, and the month's allowance holds the same total", async () => {
    const t = await startGateway(policySeed({}));
    const body = await (await postChat(t, chat("[[words:5]]"), { key: POLICY_KEY })).json();
    await (await postChat(t, chat("[[words:3]]"), { key: POLICY_KEY })).json();
    const rows = await t.run((ctx) => ctx.db.query("usageDaily").collect());
    const total = (field: "requests" | "promptTokens" | "completionTokens") => rows.reduce((sum, row) => sum + row[field], 0);
    expect(new Set(rows.map((row) => row.day))).toEqual(new Set([new Date().toISOString().slice(0, 10)]));
    expect(total("requests")).toBe(2);
    expect(total("completionTokens")).toBe(body.usage.completion_tokens + 3);
    const month = await t.run((ctx) => ctx.db.query("tokenShards").collect());
    const monthUsed = month.filter((shard) => shard.kind === "month").reduce((sum, shard) => sum + shard.used, 0);
    expect(monthUsed).toBe(total("promptTokens") + total("completionTokens"));
    expect(await t.run((ctx) => ctx.db.query("reservations").collect())).toEqual([]);
  });
});
