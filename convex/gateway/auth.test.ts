import { describe, expect, test } from "vitest";
import { get, postChat, startGateway } from "../testing/harness.testing";
import { ACME_DISABLED_KEY, ACME_EXPIRED_KEY } from "../testing/seed.testing";

const chat = { model: "support", messages: [{ role: "user", content: "hi" }] };

describe("authentication", () => {
  const cases: Array<[string, Record<string, string>]> = [
    ["a missing Authorization header", {}],
    ["a non-Bearer scheme", { authorization: "Basic dXNlcjpwYXNz" }],
    ["an unknown key", { authorization: "Bearer sk-unknown-000000000000000000" }],
    ["a disabled key", { authorization: `Bearer ${ACME_DISABLED_KEY}` }],
    ["an expired key", { authorization: `Bearer ${ACME_EXPIRED_KEY}` }],
  ];

  for (const [name, headers] of cases) {
    test(`${name} gets 401 invalid_api_key on every authenticated route and stores nothing`, async () => {
      const t = await startGateway();
      const responses = [
        await postChat(t, chat, { key: null, headers }),
        await t.fetch("/api/v1/models", { headers }),
        await t.fetch("/api/v1/models/support", { headers }),
      ];
      for (const response of responses) {
        expect(response.status).toBe(401);
        expect(response.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{24}$/);
        const body = await response.json();
        expect(body).toEqual({
          error: { message: expect.any(String), type: "invalid_request_error", param: null, code: "invalid_api_key" },
        });
      }
      expect(await t.run((ctx) => ctx.db.query("conversations").collect())).toEqual([]);
    });
  }

  test("health needs no key", async () => {
    const t = await startGateway();
    const response = await get(t, "/api/v1/health", null);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});
