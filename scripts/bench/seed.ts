// The bench's tenants: limits far above anything the bench sends, so rate limiting never shapes a
// latency figure; the same tenant with PII scrubbing off, to price scrubbing inside `begin`; and a
// tenant whose budget of 500 requests per minute the limiter burst measures. The soak's seed keeps
// the main tenant's data one minute (retentionDays 1/1440), so its store reaches a steady state.
export const BENCH_KEY = "sk-bench-main-000000000000000000";
export const PII_OFF_KEY = "sk-bench-pii-off-000000000000000";
export const LIMITED_KEY = "sk-bench-limited-0000000000000000";
export const LIMITED_BUDGET = 500;

/** The agent every bench request names; the upstream model the direct requests name. */
export const BENCH_MODEL = "bot";
export const UPSTREAM_MODEL = "gpt-4o-mini";

const UNLIMITED = { requestsPerMinute: 100_000_000, tokensPerMinute: 100_000_000_000 };
// No server tools: in agent mode the upstream gets the same request as in client-tool mode, minus the tools.
const AGENTS = [{ slug: BENCH_MODEL, model: UPSTREAM_MODEL, instructions: "You are a benchmark bot." }];

export const BENCH_SEED = {
  tenants: [
    { slug: "bench", name: "Bench", apiKeys: [{ name: "main", key: BENCH_KEY, requestsPerMinute: UNLIMITED.requestsPerMinute }], agents: AGENTS, policy: UNLIMITED },
    { slug: "bench-pii-off", name: "Bench, PII off", apiKeys: [{ name: "main", key: PII_OFF_KEY }], agents: AGENTS, policy: { ...UNLIMITED, pii: "off" } },
    {
      slug: "bench-limited",
      name: "Bench, limited",
      // The key's own limit is far higher, so the tenant's budget is the one measured.
      apiKeys: [{ name: "main", key: LIMITED_KEY, requestsPerMinute: UNLIMITED.requestsPerMinute }],
      agents: AGENTS,
      policy: { ...UNLIMITED, requestsPerMinute: LIMITED_BUDGET },
    },
  ],
};

/** Retention compressed from days to a minute: what a month of traffic does to the store, in a soak's minutes. */
export const SOAK_RETENTION_DAYS = 1 / 1440;

export const SOAK_SEED = {
  tenants: [{ ...BENCH_SEED.tenants[0]!, policy: { ...UNLIMITED, retentionDays: SOAK_RETENTION_DAYS } }],
};

/** The provider kinds the per-kind overhead measures (providerKinds.ts); openai-compatible is the default provider. */
export type ProviderKind = "openai-compatible" | "anthropic" | "bedrock" | "google";

/** The model each kind is asked for, directly and by the gateway. */
export const PROVIDER_MODELS: Record<ProviderKind, string> = {
  "openai-compatible": UPSTREAM_MODEL,
  anthropic: "claude-sonnet-4-5",
  bedrock: "anthropic.claude-3-5-haiku-20241022-v1:0",
  google: "gemini-2.5-flash",
};

/** The fakes' credentials, set in the bench gateway's environment under these names (the fakes accept any). */
export const BENCH_PROVIDER_SECRETS = {
  BENCH_ANTHROPIC_KEY: "sk-ant-bench",
  BENCH_GOOGLE_KEY: "g-bench-key",
  BENCH_AWS_ACCESS_KEY_ID: "AKIDBENCH",
  BENCH_AWS_SECRET_ACCESS_KEY: "bench-secret",
};

/** The agent whose model is on the given kind's provider. */
export function providerAgentSlug(kind: ProviderKind): string {
  return kind === "openai-compatible" ? BENCH_MODEL : `bot-${kind}`;
}

/** The bench seed plus one provider of each protocol kind at the given fakes, and an agent on each. */
export function providerSeed(urls: { anthropic: string; bedrock: string; google: string }) {
  const agents = [
    ...AGENTS,
    { slug: providerAgentSlug("anthropic"), model: `claude/${PROVIDER_MODELS.anthropic}`, instructions: AGENTS[0]!.instructions },
    { slug: providerAgentSlug("bedrock"), model: `aws/${PROVIDER_MODELS.bedrock}`, instructions: AGENTS[0]!.instructions },
    { slug: providerAgentSlug("google"), model: `gemini/${PROVIDER_MODELS.google}`, instructions: AGENTS[0]!.instructions },
  ];
  return {
    providers: [
      { name: "claude", kind: "anthropic", baseURL: urls.anthropic, apiKeyEnv: "BENCH_ANTHROPIC_KEY" },
      { name: "aws", kind: "bedrock", region: "us-east-1", baseURL: urls.bedrock, accessKeyIdEnv: "BENCH_AWS_ACCESS_KEY_ID", secretAccessKeyEnv: "BENCH_AWS_SECRET_ACCESS_KEY" },
      { name: "gemini", kind: "google", baseURL: urls.google, apiKeyEnv: "BENCH_GOOGLE_KEY" },
    ],
    tenants: [{ ...BENCH_SEED.tenants[0]!, agents }],
  };
}
