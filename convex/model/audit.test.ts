// The audit log through the HTTP API: one row per denial of every kind, with its code, readable
// newest first by the admin report, and never holding request content.
import { afterEach, describe, expect, test, vi } from "vitest";
import { internal } from "../_generated/api";
import { get, postChat, startGateway } from "../testing/harness.testing";
import { ACME_DISABLED_KEY, ACME_EXPIRED_KEY, ACME_KEY, POLICY_KEY, policySeed } from "../testing/seed.testing";
import { REFUSED_KEY_LIMIT, UNKNOWN_KEY_LIMIT } from "./keys";
import { UNKNOWN_KEY_RETENTION_MS, UNKNOWN_KEY_SHARDS } from "./audit";
import { hotDocuments, meterOf, writeSet } from "../testing/convexLimits/convexLimits.testing";

describe("audit log", () => {
  test("records every kind of denial with its code, newest first", async () => {
    const seed = policySeed({ blockedTerms: ["forbidden"], pii: "block", requestsPerMinute: 4 });
    seed.tenants[0]!.apiKeys.push({ name: "off", key: "sk-policy-disabled-000000000000000", disabled: true } as never);
    const t = await startGateway(seed);
    const send = (content: string, key = POLICY_KEY, model = "bot") => postChat(t, { model, messages: [{ role: "user", content }] }, { key }).then((response) => response.status);

    expect(await send("hi", "sk-policy-disabled-000000000000000")).toBe(401);
    expect(await send("this is forbidden")).toBe(403);
    expect(await send("mail me: secret.person@example.com")).toBe(403);
    expect(await send("hi", POLICY_KEY, "no-such-model")).toBe(404);
    expect(await send("hi")).toBe(200);
    expect(await send("hi")).toBe(429);

    const rows = (await t.query(internal.admin.reports.audit, { tenant: "policy" })).data;
    const denials = rows.filter((row) => row.event === "request_denied").map((row) => row.code);
    expect(denials).toEqual(["rate_limit_exceeded", "model_not_found", "pii_detected", "content_policy_violation", "invalid_api_key"]);
    expect(rows.map((row) => row.at)).toEqual([...rows.map((row) => row.at)].sort((a, b) => b - a));
    const text = JSON.stringify(rows);
    expect(text).not.toContain("secret.person@example.com");
    expect(text).not.toContain("sk-policy");
  });

  test("a budget denial is audited as insufficient_quota", async () => {
    const t = await startGateway(policySeed({ monthlyTokenBudget: 1 }));
    await (await postChat(t, { model: "bot", messages: [{ role: "user", content: "hi" }] }, { key: POLICY_KEY })).json();
    expect((await postChat(t, { model: "bot", messages: [{ role: "user", content: "hi" }] }, { key: POLICY_KEY })).status).toBe(429);
    const rows = (await t.query(internal.admin.reports.audit, { tenant: "policy" })).data;
    expect(rows[0]).toMatchObject({ event: "request_denied", code: "insufficient_quota" });
  });
});

describe("unauthenticated traffic", () => {
  // Only the clock is frozen (nothing here waits on a timer), so the limit's minute cannot roll over mid-test.
  const freezeClock = () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now());
  };
  afterEach(() => {
    vi.useRealTimers();
  });

  test("2,000 guesses: a bounded number of 401s then 429 with retry-after, a few counter rows, no row per guess; valid keys unaffected", { timeout: 120_000 }, async () => {
    const t = await startGateway();
    freezeClock();
    const statuses = new Map<number, number>();
    let retryAfter: string | null = null;
    for (let batch = 0; batch < 40; batch++) {
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, index) => get(t, "/api/v1/models", `sk-guess-${batch}-${index}-${crypto.randomUUID()}`)),
      );
      for (const response of responses) {
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 429) retryAfter = response.headers.get("retry-after");
        await response.body?.cancel();
      }
    }
    // The limit is deployment-wide and sharded: at most its rate is answered 401 in the minute (a
    // little less can be, when the last units sit on shards the two-choice pick did not sample).
    expect(statuses.get(401)).toBeLessThanOrEqual(UNKNOWN_KEY_LIMIT.rate);
    expect(statuses.get(401)).toBeGreaterThan(UNKNOWN_KEY_LIMIT.rate / 2);
    expect(statuses.get(429)).toBe(2000 - statuses.get(401)!);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    // A valid key is looked up first and never touches the unknown-key limit.
    expect((await get(t, "/api/v1/models", ACME_KEY)).status).toBe(200);
    expect((await postChat(t, { model: "writer", messages: [{ role: "user", content: "hi" }] })).status).toBe(200);

    const stored = await t.run(async (ctx) => ({
      counters: await ctx.db.query("unknownKeyDenials").collect(),
      tenantless: (await ctx.db.query("auditEvents").collect()).filter((row) => row.tenantId === null),
    }));
    expect(stored.tenantless).toHaveLength(0);
    // One hour (two if the run straddles an hour boundary), at most one row per shard.
    expect(stored.counters.length).toBeLessThanOrEqual(2 * UNKNOWN_KEY_SHARDS);
    expect(stored.counters.reduce((sum, row) => sum + row.rejected, 0)).toBe(statuses.get(401));
    expect(stored.counters.reduce((sum, row) => sum + row.throttled, 0)).toBe(statuses.get(429));
    const report = await t.query(internal.admin.keys.unknownKeyDenials, {});
    expect(report.reduce((sum, hour) => sum + hour.rejected + hour.throttled, 0)).toBe(2000);
  });

  test("a guessing flood has no hot document: no document is written by more than about 1 in 8 guesses", { timeout: 120_000 }, async () => {
    const t = await startGateway();
    freezeClock();
    const meter = meterOf(t);
    const mark = meter.mark();
    for (let batch = 0; batch < 16; batch++) {
      const responses = await Promise.all(Array.from({ length: 50 }, (_, index) => get(t, "/api/v1/models", `sk-guess-${batch}-${index}-0000000000000`)));
      for (const response of responses) await response.body?.cancel();
    }
    const requests = [...meter.byRequest(meter.since(mark)).values()].filter((calls) => calls[0]!.kind === "httpAction");
    expect(requests).toHaveLength(800);
    const largestShare = hotDocuments(requests.map(writeSet))[0]?.share ?? 0;
    console.log(`hot documents over 800 guesses: largest share ${largestShare.toFixed(3)} (1/${UNKNOWN_KEY_SHARDS} = ${(1 / UNKNOWN_KEY_SHARDS).toFixed(3)})`);
    // Counters are picked at random among UNKNOWN_KEY_SHARDS: a little over 1/8 is chance; a shared document would show 1.
    expect(largestShare).toBeLessThanOrEqual(1.5 / UNKNOWN_KEY_SHARDS);
  });

  test("a throttled unknown key on the chat route gets 429 rate_limit_exceeded in OpenAI's shape; bad bodies do not dodge it", async () => {
    const t = await startGateway();
    freezeClock();
    // Twice the limit: each guess samples two of the four shards, so every unit is taken long before.
    for (let index = 0; index < 2 * UNKNOWN_KEY_LIMIT.rate; index++) await (await get(t, "/api/v1/models", `sk-guess-${index}-000000000000000`)).text();
    const response = await postChat(t, { model: "writer", messages: [{ role: "user", content: "hi" }] }, { key: "sk-guess-final-0000000000000000" });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await response.json()).toMatchObject({ error: { type: "rate_limit_exceeded", code: "rate_limit_exceeded" } });
    const invalidBody = await postChat(t, "{not json", { key: "sk-guess-final-1111111111111111" });
    expect(invalidBody.status).toBe(429);
  });

  test("a disabled or expired key is throttled by its own id: at most its limit audited row by row, the rest counted", async () => {
    const t = await startGateway();
    freezeClock();
    for (const key of [ACME_DISABLED_KEY, ACME_EXPIRED_KEY]) {
      const statuses: number[] = [];
      for (let batch = 0; batch < 5; batch++) {
        const responses = await Promise.all(Array.from({ length: 40 }, () => get(t, "/api/v1/models", key)));
        for (const response of responses) {
          statuses.push(response.status);
          await response.body?.cancel();
        }
      }
      expect(statuses.filter((status) => status === 401)).toHaveLength(REFUSED_KEY_LIMIT.rate);
      expect(statuses.filter((status) => status === 429)).toHaveLength(200 - REFUSED_KEY_LIMIT.rate);
    }
    // Each key's throttle is its own: unknown keys still get their 401s.
    expect((await get(t, "/api/v1/models", "sk-guess-after-refused-0000000000")).status).toBe(401);
    const stored = await t.run(async (ctx) => ({
      audit: await ctx.db.query("auditEvents").collect(),
      counters: await ctx.db.query("unknownKeyDenials").collect(),
    }));
    expect(stored.audit.filter((row) => row.event === "request_denied")).toHaveLength(2 * REFUSED_KEY_LIMIT.rate);
    expect(stored.counters.reduce((sum, row) => sum + row.throttled, 0)).toBe(2 * (200 - REFUSED_KEY_LIMIT.rate));
    expect(stored.counters.reduce((sum, row) => sum + row.rejected, 0)).toBe(1);
  });

  test("counters older than 30 days are deleted when a new hour's counter is created", async () => {
    const t = await startGateway();
    const old = Date.now() - UNKNOWN_KEY_RETENTION_MS - 3_600_000;
    await t.run(async (ctx) => {
      for (let shard = 0; shard < 3; shard++) {
        await ctx.db.insert("unknownKeyDenials", { hour: old - (old % 3_600_000), shard, rejected: 5, throttled: 0, lastAt: old });
      }
    });
    expect((await get(t, "/api/v1/models", "sk-guess-retention-000000000000")).status).toBe(401);
    const rows = await t.run((ctx) => ctx.db.query("unknownKeyDenials").collect());
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ rejected: 1, throttled: 0 });
  });
});
