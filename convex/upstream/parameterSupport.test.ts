// Settings a provider kind cannot honour: refused with 400 unsupported_parameter (invalid_value for a value
// the kind's API rejects, such as an empty stop string) naming the parameter and the provider when the
// model's own provider cannot, before anything is stored or sent; a fallback that cannot is left out of the plan.
import { afterEach, describe, expect, test } from "vitest";
import { marker, postChat, startGateway } from "../testing/harness.testing";
import { restoreEnvironment, setEnvironment } from "../testing/environment.testing";
import { upstreamBodies } from "../testing/upstream.testing";
import { MODES } from "../testing/modes.testing";
import { sha256Hex } from "../model/keys";
import { resolveTarget } from "../model/admission/target";
import { describeRefusal, refusedFact, requestFacts } from "./parameterSupport";
import { parseChatCompletionRequest } from "../openai/parseRequest";

const KEY = "sk-parameters-test-0000000000000";

const SEED = {
  providers: [
    { name: "claude", kind: "anthropic", baseURL: "http://127.0.0.1:9/v1", apiKeyEnv: "CLAUDE_KEY" },
    { name: "gemini", kind: "google", baseURL: "http://127.0.0.1:9/v1", apiKeyEnv: "GEMINI_KEY" },
  ],
  tenants: [
    {
      slug: "parameters",
      name: "Parameters",
      apiKeys: [{ name: "main", key: KEY }],
      agents: [
        { slug: "sonnet", model: "claude/claude-sonnet-4-5" },
        { slug: "mixed", model: "gpt-4o-mini", fallbacks: ["claude/claude-sonnet-4-5", "gemini/gemini-2.0-flash"] },
      ],
    },
  ],
};

afterEach(restoreEnvironment);

function facts(request: Record<string, unknown>): string[] {
  const parsed = parseChatCompletionRequest({ model: "m", messages: [{ role: "user", content: "hi" }], ...request });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return requestFacts(parsed.value);
}

describe("parameters a provider kind cannot honour", () => {
  test("the facts of a request: only settings some kind refuses, with their conditions", () => {
    expect(facts({ temperature: 0.5, top_p: 0.9, stop: ["x"] })).toEqual([]);
    expect(facts({ temperature: 1.5, seed: 7, parallel_tool_calls: false, ...MODES[1].fields, response_format: { type: "json_object" }, user: "u" })).toEqual([
      "temperature:above-1",
      "seed",
      "parallel_tool_calls:false",
      "response_format:json_object",
      "user",
    ]);
    expect(refusedFact("openai-compatible", facts({ seed: 1, logit_bias: { "1": 2 } }))).toBeNull();
    expect(refusedFact("google", facts({ seed: 1, logit_bias: { "1": 2 } }))).toBe("logit_bias");
    expect(refusedFact("anthropic", facts({ temperature: 1 }))).toBeNull();
  });

  test("an empty stop string is a fact Anthropic and Bedrock refuse (each stop sequence needs a character); others take it", () => {
    expect(facts({ stop: "" })).toEqual(["stop:empty"]);
    expect(facts({ stop: ["END", ""] })).toEqual(["stop:empty"]);
    expect(facts({ stop: [" ", "END"] })).toEqual([]);
    for (const kind of ["anthropic", "bedrock"] as const) expect(refusedFact(kind, facts({ stop: "" }))).toBe("stop:empty");
    for (const kind of ["openai-compatible", "google"] as const) expect(refusedFact(kind, facts({ stop: "" }))).toBeNull();
    expect(describeRefusal("stop:empty", { name: "aws", kind: "bedrock" })).toEqual({
      code: "invalid_value",
      param: "stop",
      message: "The model's provider 'aws' (bedrock) does not accept an empty stop sequence: each must be at least 1 character.",
    });
    expect(describeRefusal("seed", { name: "aws", kind: "bedrock" })).toMatchObject({ code: "unsupported_parameter", param: "seed" });
  });

  for (const mode of MODES) {
    test(`${mode.name}: the model's provider cannot honour a setting: 400 naming it and the provider; nothing stored or sent`, async () => {
      setEnvironment("CLAUDE_KEY", "k");
      const t = await startGateway(SEED);
      const tag = marker();
      const response = await postChat(t, { model: "sonnet", seed: 42, messages: [{ role: "user", content: tag }], ...mode.fields }, { key: KEY });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; param: string; message: string } };
      expect(body.error).toMatchObject({ code: "unsupported_parameter", param: "seed" });
      expect(body.error.message).toContain("'claude' (anthropic)");
      const stored = await t.run(async (ctx) => ({ conversations: await ctx.db.query("conversations").collect(), messages: await ctx.db.query("messages").collect() }));
      expect(stored).toEqual({ conversations: [], messages: [] });
      expect(await upstreamBodies(tag)).toEqual([]);
    });

    test(`${mode.name}: an empty stop string on a provider that rejects it: 400 invalid_value (param stop); nothing stored or sent`, async () => {
      setEnvironment("CLAUDE_KEY", "k");
      const t = await startGateway(SEED);
      const tag = marker();
      const response = await postChat(t, { model: "sonnet", stop: "", messages: [{ role: "user", content: tag }], ...mode.fields }, { key: KEY });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: unknown }).error).toMatchObject({ code: "invalid_value", param: "stop", message: expect.stringContaining("'claude' (anthropic)") });
      const stored = await t.run(async (ctx) => ({ conversations: await ctx.db.query("conversations").collect(), messages: await ctx.db.query("messages").collect() }));
      expect(stored).toEqual({ conversations: [], messages: [] });
      expect(await upstreamBodies(tag)).toEqual([]);
    });
  }

  test("a fallback that cannot honour a setting is left out of the plan; one that can stays", async () => {
    const t = await startGateway(SEED);
    const keyHash = sha256Hex(KEY);
    const plan = await t.run(async (ctx) => {
      const key = (await ctx.db.query("apiKeys").withIndex("by_keyHash", (q) => q.eq("keyHash", keyHash)).unique())!;
      const tenant = (await ctx.db.get("tenants", key.tenantId))!;
      const resolved = await resolveTarget(ctx, tenant, key, "mixed", ["seed"]);
      return resolved.ok ? resolved.target.upstreams!.map((upstream) => `${upstream.provider.name}/${upstream.model}`) : resolved.error;
    });
    expect(plan).toEqual(["openai/gpt-4o-mini", "gemini/gemini-2.0-flash"]);
    const emptyStopPlan = await t.run(async (ctx) => {
      const key = (await ctx.db.query("apiKeys").withIndex("by_keyHash", (q) => q.eq("keyHash", keyHash)).unique())!;
      const tenant = (await ctx.db.get("tenants", key.tenantId))!;
      const resolved = await resolveTarget(ctx, tenant, key, "mixed", ["stop:empty"]);
      return resolved.ok ? resolved.target.upstreams!.map((upstream) => upstream.provider.name) : resolved.error;
    });
    expect(emptyStopPlan).toEqual(["openai", "gemini"]);
  });
});
