import { describe, expect, test } from "vitest";
import { internal } from "../_generated/api";
import { startGateway } from "../testing/harness.testing";
import { get } from "../testing/harness.testing";
import { TEST_SEED, ACME_KEY, GLOBEX_KEY } from "../testing/seed.testing";
import { sha256Hex } from "../model/keys";
import { parseSeed } from "./seedSchema";
import localSeed from "../../local.seed.json";

describe("seed", () => {
  test("applies tenants, hashed keys, agents, documents and defaults", async () => {
    const t = await startGateway();
    const rows = await t.run(async (ctx) => ({
      tenants: await ctx.db.query("tenants").collect(),
      keys: await ctx.db.query("apiKeys").collect(),
      agents: await ctx.db.query("agents").collect(),
      documents: await ctx.db.query("documents").collect(),
    }));
    expect(rows.tenants.map((tenant) => tenant.slug).sort()).toEqual(["acme", "globex"]);
    const globex = rows.tenants.find((tenant) => tenant.slug === "globex")!;
    expect(globex.policy).toEqual({
      pii: "redact",
      requestsPerMinute: 60,
      tokensPerMinute: 200_000,
      monthlyTokenBudget: null,
      blockedTerms: [],
      maxOutputTokens: 4096,
      allowedModels: [],
      systemPrompt: null,
      scanOutput: false,
      retentionDays: 30,
    });
    const main = rows.keys.find((key) => key.name === "main" && key.tenantId !== globex._id)!;
    expect(main.keyHash).toBe(sha256Hex(ACME_KEY));
    expect(main.prefix).toBe("sk-acme-te...");
    // Nothing stored holds a plaintext key.
    expect(JSON.stringify(rows)).not.toContain(ACME_KEY);
    expect(rows.keys.find((key) => key.name === "expired")!.expiresAt).toBe(Date.parse("2020-01-01T00:00:00Z"));
    expect(rows.agents).toHaveLength(3);
    expect(rows.documents).toHaveLength(2);
  });

  test("is idempotent: applying the same seed twice leaves the same rows", async () => {
    const t = await startGateway();
    const snapshot = () =>
      t.run(async (ctx) =>
        Promise.all(
          (["tenants", "apiKeys", "agents", "documents", "webhookTools"] as const).map((table) => ctx.db.query(table).collect()),
        ),
      );
    const before = await snapshot();
    await t.mutation(internal.admin.seed.apply, { seed: JSON.stringify(TEST_SEED) });
    expect(await snapshot()).toEqual(before);
  });

  test("keeps webhook tool schemas with $ref intact when given as a string", async () => {
    const parameters = {
      type: "object",
      $defs: { id: { type: "string", pattern: "^ORD-" } },
      properties: { orderId: { $ref: "#/$defs/id" } },
      required: ["orderId"],
    };
    const seed = {
      tenants: [
        {
          slug: "hooks",
          name: "Hooks",
          agents: [{ slug: "bot", model: "gpt-4o-mini", tools: ["order_status"] }],
          webhookTools: [
            { name: "order_status", description: "Look up an order", url: "https://hooks.example/order", secret: "whsec-0123456789abcdef", parameters },
          ],
        },
      ],
    };
    const t = await startGateway(JSON.stringify(seed));
    const tools = await t.run((ctx) => ctx.db.query("webhookTools").collect());
    expect(JSON.parse(tools[0]!.parameters)).toEqual(parameters);
  });

  test("rejects a bad seed with a message naming the field, and writes nothing", async () => {
    const bad = structuredClone(TEST_SEED) as { tenants: Array<{ apiKeys: Array<{ key: string }> }> };
    bad.tenants[0]!.apiKeys[1]!.key = "short";
    expect(() => parseSeed(bad)).toThrow(/tenants\[0\]\.apiKeys\[1\]\.key/);
    const t = await startGateway();
    const before = await t.run((ctx) => ctx.db.query("apiKeys").collect());
    await expect(t.mutation(internal.admin.seed.apply, { seed: bad })).rejects.toThrow(/apiKeys\[1\]\.key/);
    expect(await t.run((ctx) => ctx.db.query("apiKeys").collect())).toEqual(before);
  });

  test("names an agent's unknown tool", () => {
    const seed = { tenants: [{ slug: "x", name: "X", agents: [{ slug: "a", model: "m", tools: ["teleport"] }] }] };
    expect(() => parseSeed(seed)).toThrow(/tenants\[0\]\.agents\[0\]\.tools\[0\]: unknown tool 'teleport'/);
  });

  test("the committed local.seed.json is valid", () => {
    const seed = parseSeed(localSeed);
    expect(seed.tenants[0]!.agents.map((agent) => agent.slug)).toEqual(["support", "writer"]);
  });
});

describe("seed: every key value is unique", () => {
  const keyRows = (t: Awaited<ReturnType<typeof startGateway>>) => t.run((ctx) => ctx.db.query("apiKeys").collect());

  test("the same key in two tenants of one seed is refused, naming the field and never the key", async () => {
    const seed = structuredClone(TEST_SEED);
    seed.tenants[1]!.apiKeys[0]!.key = ACME_KEY;
    const refusal = /tenants\[1\]\.apiKeys\[0\]\.key: the same key is already given to tenants\[0\]\.apiKeys\[0\]/;
    expect(() => parseSeed(seed)).toThrow(refusal);
    expect(() => parseSeed(seed)).not.toThrow(new RegExp(ACME_KEY));
    const t = await startGateway();
    const before = await keyRows(t);
    await expect(t.mutation(internal.admin.seed.apply, { seed })).rejects.toThrow(refusal);
    expect(await keyRows(t)).toEqual(before);
  });

  test("a key already stored for another tenant, or another key of the same tenant, is refused and nothing is written", async () => {
    const t = await startGateway();
    const before = await t.run(async (ctx) => ({ tenants: await ctx.db.query("tenants").collect(), keys: await ctx.db.query("apiKeys").collect() }));
    const other = { tenants: [{ slug: "other", name: "Other", apiKeys: [{ name: "borrowed", key: ACME_KEY }] }] };
    await expect(t.mutation(internal.admin.seed.apply, { seed: other })).rejects.toThrow(
      /tenants\[0\]\.apiKeys\[0\]\.key: this key is already in use by key 'main' of tenant 'acme'; every key must be unique/,
    );
    const renamed = structuredClone(TEST_SEED);
    renamed.tenants[1]!.apiKeys.push({ name: "second", key: GLOBEX_KEY.replace("globex", "globey"), agents: ["*"], expiresAt: null, disabled: false });
    renamed.tenants[1]!.apiKeys.push({ name: "copy", key: ACME_KEY.replace("acme", "acmf"), agents: ["*"], expiresAt: null, disabled: false });
    renamed.tenants[0]!.apiKeys[0]!.name = "main-renamed";
    await expect(t.mutation(internal.admin.seed.apply, { seed: renamed })).rejects.toThrow(/tenants\[0\]\.apiKeys\[0\]\.key: this key is already in use by key 'main' of tenant 'acme'/);
    expect(await t.run(async (ctx) => ({ tenants: await ctx.db.query("tenants").collect(), keys: await ctx.db.query("apiKeys").collect() }))).toEqual(before);
    // The key still authenticates as exactly one row.
    expect((await get(t, "/api/v1/models", ACME_KEY)).status).toBe(200);
  });

  test("re-applying a seed after a rotation neither resurrects the rotated key nor breaks its successor", async () => {
    const t = await startGateway();
    const rotated = await t.action(internal.admin.keys.rotate, { tenant: "acme", name: "main", graceSeconds: 0 });
    const afterRotation = await keyRows(t);
    for (let round = 0; round < 2; round++) await t.mutation(internal.admin.seed.apply, { seed: TEST_SEED });
    const rows = await keyRows(t);
    expect(rows).toEqual(afterRotation);
    const seedKeyHash = sha256Hex(ACME_KEY);
    expect(rows.filter((row) => row.keyHash === seedKeyHash)).toHaveLength(1);
    const hashes = rows.map((row) => row.keyHash);
    expect(new Set(hashes).size).toBe(hashes.length);
    expect(rows.find((row) => row.name === "main" && row.prefix.startsWith("sk-gw-"))!.keyHash).toBe(sha256Hex(rotated.key));
    expect((await get(t, "/api/v1/models", rotated.key)).status).toBe(200);
    expect((await get(t, "/api/v1/models", ACME_KEY)).status).toBe(401);
    // The other tenant's key and the seed's other keys are still applied as usual.
    expect((await get(t, "/api/v1/models", GLOBEX_KEY)).status).toBe(200);
  });

  test("re-applying after a rotation with a grace period keeps the old key's expiry", async () => {
    const t = await startGateway();
    const rotated = await t.action(internal.admin.keys.rotate, { tenant: "acme", name: "main", graceSeconds: 3600 });
    await t.mutation(internal.admin.seed.apply, { seed: TEST_SEED });
    expect(rotated.previousExpiresAt).toBeGreaterThan(Date.now());
    const rows = await keyRows(t);
    const previous = rows.find((row) => row.replacedBy !== undefined)!;
    expect(previous.expiresAt).toBe(rotated.previousExpiresAt);
    expect((await get(t, "/api/v1/models", ACME_KEY)).status).toBe(200);
    expect((await get(t, "/api/v1/models", rotated.key)).status).toBe(200);
  });
});
