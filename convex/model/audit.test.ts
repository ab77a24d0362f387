// The audit log through the HTTP API: one row per denial of every kind, with its code, readable
// newest first by the admin report, and never holding request content.
import { describe, expect, test } from "vitest";
import { internal } from "../_generated/api";
import { postChat, startGateway } from "../testing/harness.testing";
import { POLICY_KEY, policySeed } from "../testing/seed.testing";

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

    const rows = await t.query(internal.admin.reports.audit, { tenant: "policy" });
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
    const rows = await t.query(internal.admin.reports.audit, { tenant: "policy" });
    expect(rows[0]).toMatchObject({ event: "request_denied", code: "insufficient_quota" });
  });
});
