// Key management as an operator runs it, checked through the HTTP API: create (shown once, stored
// hashed), list, disable, expire, rotate with a grace period, and lastUsedAt written at most once a minute.
import { afterEach, describe, expect, test, vi } from "vitest";
import { internal } from "../_generated/api";
import { get, postChat, startGateway } from "../testing/harness.testing";
import { ACME_KEY } from "../testing/seed.testing";
import { sha256Hex } from "../model/keys";
import { MAX_GRACE_SECONDS } from "./keys";

afterEach(() => {
  vi.useRealTimers();
});

describe("key management", () => {
  test("create returns a high-entropy key once; only its hash and prefix are stored; it authenticates", async () => {
    const t = await startGateway();
    const created = await t.action(internal.admin.keys.create, { tenant: "acme", name: "ci", agents: ["writer"] });
    expect(created.key).toMatch(/^sk-gw-[0-9A-Za-z]{48}$/);
    expect(created.prefix).toBe(`${created.key.slice(0, 12)}...`);
    const rows = await t.run((ctx) => ctx.db.query("apiKeys").collect());
    expect(JSON.stringify(rows)).not.toContain(created.key);
    expect(rows.find((row) => row.name === "ci")!.keyHash).toBe(sha256Hex(created.key));
    const listed = await t.query(internal.admin.keys.list, { tenant: "acme" });
    const ci = listed.find((key) => key.name === "ci")!;
    expect(ci).toMatchObject({ prefix: created.prefix, agents: ["writer"], disabled: false, expiresAt: null });
    expect(JSON.stringify(listed)).not.toMatch(/keyHash|sk-gw-[0-9A-Za-z]{20}/);

    expect((await postChat(t, { model: "writer", messages: [{ role: "user", content: "hi" }] }, { key: created.key })).status).toBe(200);
    expect((await postChat(t, { model: "support", messages: [{ role: "user", content: "hi" }] }, { key: created.key })).status).toBe(403);
    await expect(t.action(internal.admin.keys.create, { tenant: "acme", name: "ci" })).rejects.toThrow(/already has a key named 'ci'/);
  });

  test("disable and expire take effect on the next request, and are audited", async () => {
    const t = await startGateway();
    const first = await t.action(internal.admin.keys.create, { tenant: "acme", name: "one" });
    const second = await t.action(internal.admin.keys.create, { tenant: "acme", name: "two" });
    await t.mutation(internal.admin.keys.disable, { tenant: "acme", name: "one" });
    await t.mutation(internal.admin.keys.expire, { tenant: "acme", name: "two" });
    expect((await get(t, "/api/v1/models", first.key)).status).toBe(401);
    expect((await get(t, "/api/v1/models", second.key)).status).toBe(401);
    const events = (await t.query(internal.admin.reports.audit, { tenant: "acme" })).data.map((row) => row.event);
    expect(events).toEqual(expect.arrayContaining(["key_created", "key_disabled", "key_expired", "request_denied"]));
  });

  test("rotate: the new key works at once, the old one until the grace period ends", async () => {
    const t = await startGateway();
    const original = await t.action(internal.admin.keys.create, { tenant: "acme", name: "svc" });
    const rotated = await t.action(internal.admin.keys.rotate, { tenant: "acme", name: "svc", graceSeconds: 60 });
    expect(rotated.key).not.toBe(original.key);
    expect((await get(t, "/api/v1/models", rotated.key)).status).toBe(200);
    expect((await get(t, "/api/v1/models", original.key)).status).toBe(200);
    vi.useFakeTimers({ shouldAdvanceTime: true });
    vi.setSystemTime(Date.now() + 61_000);
    expect((await get(t, "/api/v1/models", original.key)).status).toBe(401);
    expect((await get(t, "/api/v1/models", rotated.key)).status).toBe(200);
    const listed = await t.query(internal.admin.keys.list, { tenant: "acme" });
    expect(listed.filter((key) => key.name.startsWith("svc"))).toHaveLength(2);
  });

  test("lastUsedAt is written at most once a minute per key", async () => {
    const t = await startGateway();
    const created = await t.action(internal.admin.keys.create, { tenant: "acme", name: "busy" });
    const lastUsed = async () => (await t.query(internal.admin.keys.list, { tenant: "acme" })).find((key) => key.name === "busy")!.lastUsedAt;
    const chat = () => postChat(t, { model: "writer", messages: [{ role: "user", content: "hi" }] }, { key: created.key }).then((response) => response.json());
    await chat();
    const firstUse = await lastUsed();
    expect(firstUse).not.toBeNull();
    await chat();
    await chat();
    expect(await lastUsed()).toBe(firstUse);
    vi.useFakeTimers({ shouldAdvanceTime: true });
    vi.setSystemTime(firstUse! + 61_000);
    await chat();
    expect(await lastUsed()).toBeGreaterThanOrEqual(firstUse! + 61_000);
  });

  test.each([-1, MAX_GRACE_SECONDS + 1, Number.POSITIVE_INFINITY, Number.NaN])(
    "rotate refuses graceSeconds %s with an invalid_value naming the field, and changes nothing",
    async (graceSeconds) => {
      const t = await startGateway();
      const original = await t.action(internal.admin.keys.create, { tenant: "acme", name: "svc" });
      const before = await t.run(async (ctx) => ({ keys: await ctx.db.query("apiKeys").collect(), audit: await ctx.db.query("auditEvents").collect() }));
      const refusal = t.action(internal.admin.keys.rotate, { tenant: "acme", name: "svc", graceSeconds });
      await expect(refusal).rejects.toMatchObject({ data: { code: "invalid_value", param: "graceSeconds" } });
      await expect(t.mutation(internal.admin.keys.replace, { tenant: "acme", name: "svc", graceSeconds, keyHash: "f".repeat(64), prefix: "sk-gw-x..." })).rejects.toThrow(
        /graceSeconds must be a number of seconds from 0 to 2592000 \(30 days\)/,
      );
      expect(await t.run(async (ctx) => ({ keys: await ctx.db.query("apiKeys").collect(), audit: await ctx.db.query("auditEvents").collect() }))).toEqual(before);
      expect((await get(t, "/api/v1/models", original.key)).status).toBe(200);
    },
  );

  test("rotate accepts the bounds 0 and 30 days, and marks the old key as replaced by the new one", async () => {
    const t = await startGateway();
    await t.action(internal.admin.keys.create, { tenant: "acme", name: "svc" });
    const first = await t.action(internal.admin.keys.rotate, { tenant: "acme", name: "svc", graceSeconds: MAX_GRACE_SECONDS });
    expect(first.previousExpiresAt).toBeGreaterThan(Date.now() + (MAX_GRACE_SECONDS - 60) * 1000);
    const second = await t.action(internal.admin.keys.rotate, { tenant: "acme", name: "svc", graceSeconds: 0 });
    expect(second.previousExpiresAt).toBeLessThanOrEqual(Date.now());
    const rows = await t.run((ctx) => ctx.db.query("apiKeys").collect());
    const current = rows.find((row) => row.name === "svc")!;
    const middle = rows.find((row) => row.replacedBy === current._id)!;
    expect(middle.keyHash).toBe(sha256Hex(first.key));
    expect(rows.filter((row) => row.replacedBy !== undefined)).toHaveLength(2);
  });

  test("a key value already in use is refused, naming the field, in any tenant", async () => {
    const t = await startGateway();
    const before = await t.run((ctx) => ctx.db.query("apiKeys").collect());
    await expect(
      t.mutation(internal.admin.keys.insert, { tenant: "globex", name: "copy", keyHash: sha256Hex(ACME_KEY), prefix: "sk-acme-te..." }),
    ).rejects.toMatchObject({ data: { code: "invalid_value", param: "key" } });
    expect(await t.run((ctx) => ctx.db.query("apiKeys").collect())).toEqual(before);
  });
});
