// The seed's providers: validated (kinds, names, references, secrets only as environment variable
// names), stored by the seed mutation, and checked against the environment (the local gateway's
// startup check: scripts/local-gateway/providerEnvironment.test.ts).
import { afterEach, describe, expect, test } from "vitest";
import { internal } from "../_generated/api";
import { startGateway } from "../testing/harness.testing";
import { restoreEnvironment, setEnvironment } from "../testing/environment.testing";
import { parseSeed, providerSeed } from "./seedSchema";
import configuration from "../../docs/configuration.md?raw";
import { missingProviderEnvironment } from "../upstream/config";

const ANTHROPIC = { name: "anthropic", kind: "anthropic", baseURL: "https://api.anthropic.com/v1", apiKeyEnv: "ANTHROPIC_API_KEY" };
const BEDROCK = { name: "bedrock", kind: "bedrock", region: "us-east-1", baseURL: null, accessKeyIdEnv: "AWS_ACCESS_KEY_ID", secretAccessKeyEnv: "AWS_SECRET_ACCESS_KEY" };
const GEMINI = { name: "gemini", kind: "google", baseURL: null, apiKeyEnv: "GOOGLE_GENERATIVE_AI_API_KEY" };
const BACKUP = { name: "backup", kind: "openai-compatible", baseURL: "http://127.0.0.1:8000/v1", apiKeyEnv: "BACKUP_API_KEY" };

function seedWith(providers: unknown[], agent: Record<string, unknown> = {}, policy: Record<string, unknown> = {}) {
  return {
    providers,
    tenants: [{ slug: "acme", name: "Acme", agents: [{ slug: "bot", model: "gpt-4o-mini", ...agent }], policy }],
  };
}

/** The lines of the error a seed fails with. */
function problems(seed: unknown): string {
  try {
    parseSeed(seed);
  } catch (error) {
    return String((error as { data?: unknown }).data ?? error);
  }
  return "";
}

afterEach(restoreEnvironment);

describe("seed providers", () => {
  test("the contract's example parses, with retries 0 and the default retryable statuses", () => {
    const seed = parseSeed(seedWith([ANTHROPIC, BEDROCK, GEMINI, BACKUP], { model: "anthropic/claude-x", fallbacks: ["bedrock/model", "gemini/m", "backup/m"] }, { allowedModels: ["backup/gpt-4o"] }));
    expect(seed.providers.map((provider) => provider.kind)).toEqual(["anthropic", "bedrock", "google", "openai-compatible"]);
    expect(seed.providers[0]).toMatchObject({ retries: 0, retryOnStatus: [429, 500, 502, 503, 504], timeoutMs: null });
  });

  test("a seed without providers still parses (the default provider openai always exists)", () => {
    expect(parseSeed(seedWith([], { model: "openai/gpt-4o" })).providers).toEqual([]);
  });

  test.each([
    ["an unknown kind", [{ ...BACKUP, kind: "azure" }], {}, {}, "providers[0].kind"],
    ["a duplicate name", [BACKUP, { ...BACKUP }], {}, {}, "providers: 'backup' appears twice"],
    ["the reserved name openai", [{ ...BACKUP, name: "openai" }], {}, {}, "providers[0].name: 'openai' is the default provider"],
    ["a secret in place of a variable name", [{ ...BACKUP, apiKeyEnv: "sk-live-123" }], {}, {}, "providers[0].apiKeyEnv: name an environment variable"],
    ["a bedrock provider without a region", [{ ...BEDROCK, region: undefined }], {}, {}, "providers[0].region"],
    ["an unknown provider in an agent's model", [BACKUP], { model: "nope/gpt-4o" }, {}, "tenants[0].agents[0].model: unknown provider 'nope'"],
    ["an unknown provider in a fallback", [BACKUP], { fallbacks: ["backup/m", "nope/m"] }, {}, "tenants[0].agents[0].fallbacks[1]: unknown provider 'nope'"],
    ["an unknown provider in allowedModels", [], {}, { allowedModels: ["nope/m"] }, "tenants[0].policy.allowedModels[0]: unknown provider 'nope'"],
    ["an empty model id after the provider", [BACKUP], { model: "backup/" }, {}, "tenants[0].agents[0].model: the model id after the provider is empty"],
    ["more than three fallbacks", [BACKUP], { fallbacks: ["backup/a", "backup/b", "backup/c", "backup/d"] }, {}, "tenants[0].agents[0].fallbacks"],
    ["an agent temperature above 1 on anthropic", [ANTHROPIC], { model: "anthropic/claude-x", temperature: 1.5 }, {}, "tenants[0].agents[0].temperature: the anthropic provider takes a temperature from 0 to 1"],
    ["a negative retry count", [{ ...BACKUP, retries: -1 }], {}, {}, "providers[0].retries"],
  ])("%s is refused, naming the field", (_name, providers, agent, policy, expected) => {
    expect(problems(seedWith(providers, agent, policy))).toContain(expected);
  });

  test("the seed mutation stores providers by name, updating in place; agents keep their fallbacks", async () => {
    const t = await startGateway(seedWith([BACKUP, BEDROCK], { model: "backup/m", fallbacks: ["bedrock/n"] }));
    await t.mutation(internal.admin.seed.apply, { seed: seedWith([{ ...BACKUP, retries: 2 }, BEDROCK], { model: "backup/m" }) });
    const rows = await t.run(async (ctx) => ({ providers: await ctx.db.query("providers").collect(), agents: await ctx.db.query("agents").collect() }));
    expect(rows.providers).toHaveLength(2);
    expect(rows.providers.find((row) => row.name === "backup")).toMatchObject({ kind: "openai-compatible", retries: 2, apiKeyEnv: "BACKUP_API_KEY", accessKeyIdEnv: null });
    expect(rows.providers.find((row) => row.name === "bedrock")).toMatchObject({ region: "us-east-1", apiKeyEnv: null, secretAccessKeyEnv: "AWS_SECRET_ACCESS_KEY" });
    expect(rows.agents.find((row) => row.slug === "bot")).toMatchObject({ model: "backup/m", fallbacks: [] });
  });

  test("missing environment variables are named by their seed field", () => {
    setEnvironment("BACKUP_API_KEY", "sk-set");
    setEnvironment("AWS_ACCESS_KEY_ID", " ");
    setEnvironment("AWS_SECRET_ACCESS_KEY", "");
    expect(missingProviderEnvironment([BACKUP, BEDROCK]).map((problem) => problem.path.join("."))).toEqual(["providers.1.accessKeyIdEnv", "providers.1.secretAccessKeyEnv"]);
  });

  test("docs/configuration.md documents every provider field of every kind", () => {
    const section = configuration.split("### `providers[]`\n")[1]!.split("\n#")[0]!;
    const documented = [...section.matchAll(/^\| `(\w+)` \|/gm)].map((match) => match[1]!);
    const fields = new Set(providerSeed.options.flatMap((option) => Object.keys(option.shape)));
    expect(documented.sort()).toEqual([...fields].sort());
  });

  test("the admin API's tenant put accepts the stored providers in agents and allowed models, and refuses unknown ones", async () => {
    const t = await startGateway(seedWith([BACKUP]));
    const tenant = { name: "Hooli", agents: [{ slug: "bot", model: "backup/m", fallbacks: ["openai/gpt-4o"] }], policy: { allowedModels: ["backup/gpt-x"] } };
    await expect(t.mutation(internal.admin.tenants.put, { slug: "hooli", tenant })).resolves.toMatchObject({ created: true });
    // Read back as written, fallbacks included, so a read-edit-put round trip keeps them.
    expect((await t.query(internal.admin.tenants.read, { tenant: "hooli" })).agents).toEqual([
      { slug: "bot", model: "backup/m", fallbacks: ["openai/gpt-4o"], instructions: "", tools: [], temperature: null, maxOutputTokens: null },
    ]);
    const refused = t.mutation(internal.admin.tenants.put, { slug: "hooli", tenant: { ...tenant, agents: [{ slug: "bot", model: "nope/m" }] } });
    await expect(refused).rejects.toThrow("unknown provider 'nope'");
  });
});
