// The target-resolution step: agents and passthrough models, caps and system prompts, denials.
import { describe, expect, test } from "vitest";
import { startGateway } from "../../testing/harness.testing";
import { ACME_LIMITED_KEY, TEST_SEED } from "../../testing/seed.testing";
import { sha256Hex } from "../keys";
import { resolveTarget, smallest } from "./target";
import { DEFAULT_PROVIDER } from "../../upstream/providerConfig";

async function resolve(modelId: string, policy: Record<string, unknown> = {}, rawKey = "sk-acme-test-000000000000000000") {
  const seed = structuredClone(TEST_SEED);
  Object.assign(seed.tenants[0]!.policy!, policy);
  const t = await startGateway(seed);
  const keyHash = sha256Hex(rawKey);
  return t.run(async (ctx) => {
    const key = (await ctx.db.query("apiKeys").withIndex("by_keyHash", (q) => q.eq("keyHash", keyHash)).unique())!;
    const tenant = (await ctx.db.get("tenants", key.tenantId))!;
    return resolveTarget(ctx, tenant, key, modelId);
  });
}

describe("resolveTarget", () => {
  test("an agent: its upstream model, the tighter output cap, its tools, tenant prompt before instructions", async () => {
    const result = await resolve("support", { maxOutputTokens: 512, systemPrompt: "Be brief." });
    expect(result).toEqual({
      ok: true,
      target: {
        kind: "agent",
        id: "support",
        upstreamModel: "gpt-4o-mini",
        temperature: 0.3,
        maxOutputTokens: 512,
        serverTools: ["calculator", "current_time", "knowledge_search"],
        upstreams: [{ provider: DEFAULT_PROVIDER, model: "gpt-4o-mini", coolingUntil: null }],
      },
      systemPrompts: ["Be brief.", "You are Acme's support agent."],
    });
  });

  test("a passthrough model: the policy's cap, no tools, no instructions", async () => {
    const result = await resolve("gpt-4.1-mini");
    expect(result).toMatchObject({ ok: true, target: { kind: "passthrough", upstreamModel: "gpt-4.1-mini", maxOutputTokens: 4096, serverTools: [] }, systemPrompts: [] });
  });

  test("an unknown model is 404 and a model the key may not use is 403", async () => {
    expect(await resolve("nope")).toMatchObject({ ok: false, error: { code: "model_not_found", param: "model" } });
    expect(await resolve("support", {}, ACME_LIMITED_KEY)).toMatchObject({ ok: false, error: { code: "model_not_allowed" } });
  });

  test("smallest ignores unset caps", () => {
    expect(smallest([null, 5, 3])).toBe(3);
    expect(smallest([null, null])).toBeNull();
  });
});
