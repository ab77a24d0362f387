// Key management as an operator runs it, checked through the HTTP API: create (shown once, stored
// hashed), list, disable, expire, rotate with a grace period, and lastUsedAt written at most once a minute.
import { afterEach, describe, expect, test, vi } from "vitest";
import { internal } from "../_generated/api";
import { get, postChat, startGateway } from "../testing/harness.testing";
import { sha256Hex } from "../model/keys";

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
    expect(rows.find((row) => row.name === "ci")!.keyHash).toBe(await sha256Hex(created.key));
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
    const events = (await t.query(internal.admin.reports.audit, { tenant: "acme" })).map((row) => row.event);
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
});
