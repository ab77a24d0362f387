// The seed file's schema (local.seed.json, or the object passed to admin/seed:apply). Validated with
// zod so that a bad file fails with a message naming the field; defaults are filled in here, once.
import { ConvexError } from "convex/values";
import { z } from "zod";
import { joinPath } from "../openai/parseRequest";
import { BUILT_IN_TOOLS } from "../model/builtInTools";
import { checkWebhookTarget } from "../model/webhookTarget";
import { allowPrivateWebhooks } from "../upstream/config";
import { DEFAULT_PROVIDER_NAME, DEFAULT_RETRY_ON_STATUS } from "../upstream/providerConfig";

const slug = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "use lowercase letters, digits, '.', '_' or '-'");

/** ISO 8601 date-time, epoch milliseconds, or null; stored as epoch milliseconds or null. */
const expiresAt = z
  .union([z.iso.datetime({ offset: true }), z.number().int().nonnegative(), z.null()])
  .default(null)
  .transform((value) => (typeof value === "string" ? Date.parse(value) : value));

export const apiKeySeed = z.object({
  name: z.string().min(1),
  key: z.string().min(20, "keys must be at least 20 characters"),
  agents: z.array(z.string().min(1)).default(["*"]),
  expiresAt,
  disabled: z.boolean().default(false),
  /** Overrides the tenant policy's requestsPerMinute for this key. */
  requestsPerMinute: z.number().int().positive().optional(),
});


/** The most fallbacks an agent lists: each may cost a full timeout before the next is tried. */
export const MAX_FALLBACKS = 3;

export const agentSeed = z.object({
  slug,
  /** `model-id` (the default provider) or `provider/model-id`. */
  model: z.string().min(1),
  /** Tried in order when the current target fails before any content reached the client. */
  fallbacks: z.array(z.string().min(1)).max(MAX_FALLBACKS).default([]),
  instructions: z.string().default(""),
  tools: z.array(z.string().min(1)).default([]),
  temperature: z.number().min(0).max(2).nullable().default(null),
  maxOutputTokens: z.number().int().positive().nullable().default(null),
});

export const documentSeed = z.object({ title: z.string().min(1), text: z.string().min(1) });

export const webhookToolSeed = z.object({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
  description: z.string().default(""),
  /**
   * Checked by the SSRF guard (loopback, private, link-local and metadata targets are refused unless
   * GATEWAY_ALLOW_PRIVATE_WEBHOOKS=1) and stored in its canonical form, the one every call re-checks.
   */
  url: z.string().transform((url, ctx) => {
    const checked = checkWebhookTarget(url, { allowPrivate: allowPrivateWebhooks() });
    if (checked.ok) return checked.url;
    ctx.addIssue({ code: "custom", message: `webhook target refused: ${checked.reason}` });
    return z.NEVER;
  }),
  secret: z.string().min(16, "webhook secrets must be at least 16 characters"),
  parameters: z.record(z.string(), z.unknown()).default({ type: "object", properties: {} }),
});

export const policySeed = z.object({
  pii: z.enum(["off", "redact", "block"]).default("redact"),
  requestsPerMinute: z.number().int().positive().default(60),
  tokensPerMinute: z.number().int().positive().default(200_000),
  monthlyTokenBudget: z.number().int().positive().nullable().default(null),
  blockedTerms: z.array(z.string().min(1)).default([]),
  maxOutputTokens: z.number().int().positive().nullable().default(4096),
  allowedModels: z.array(z.string().min(1)).default([]),
  systemPrompt: z.string().nullable().default(null),
  scanOutput: z.boolean().default(false),
  retentionDays: z.number().positive().default(30),
});

export const tenantSeed = z
  .object({
    slug,
    name: z.string().min(1),
    apiKeys: z.array(apiKeySeed).default([]),
    agents: z.array(agentSeed).default([]),
    documents: z.array(documentSeed).default([]),
    webhookTools: z.array(webhookToolSeed).default([]),
    policy: policySeed.default(policySeed.parse({})),
  })
  .superRefine((tenant, ctx) => {
    const tools = new Set<string>([...BUILT_IN_TOOLS, ...tenant.webhookTools.map((tool) => tool.name)]);
    tenant.agents.forEach((agent, agentIndex) =>
      agent.tools.forEach((tool, toolIndex) => {
        if (!tools.has(tool)) {
          ctx.addIssue({
            code: "custom",
            path: ["agents", agentIndex, "tools", toolIndex],
            message: `unknown tool '${tool}': use ${BUILT_IN_TOOLS.join(", ")} or one of the tenant's webhookTools`,
          });
        }
      }),
    );
    for (const [field, names] of [
      ["agents", tenant.agents.map((agent) => agent.slug)],
      ["apiKeys", tenant.apiKeys.map((key) => key.name)],
      ["webhookTools", tenant.webhookTools.map((tool) => tool.name)],
    ] as const) {
      const duplicate = names.find((name, index) => names.indexOf(name) !== index);
      if (duplicate !== undefined) ctx.addIssue({ code: "custom", path: [field], message: `'${duplicate}' appears twice` });
    }
  });

/** An environment variable's NAME: the seed never holds a secret itself. */
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, "name an environment variable (A-Z, 0-9, _), never the secret itself");

const providerCommon = {
  name: slug.refine((name) => name !== DEFAULT_PROVIDER_NAME, `'${DEFAULT_PROVIDER_NAME}' is the default provider (OPENAI_BASE_URL, OPENAI_API_KEY)`),
  /** Null: the provider's public endpoint. */
  baseURL: z.url({ protocol: /^https?$/ }).nullable().default(null),
  timeoutMs: z.number().int().positive().max(600_000).nullable().default(null),
  retries: z.number().int().min(0).max(5).default(0),
  retryOnStatus: z.array(z.number().int().min(400).max(599)).default(DEFAULT_RETRY_ON_STATUS),
};

export const providerSeed = z.discriminatedUnion("kind", [
  z.object({ ...providerCommon, kind: z.literal("openai-compatible"), apiKeyEnv: envName }),
  z.object({ ...providerCommon, kind: z.literal("anthropic"), apiKeyEnv: envName }),
  z.object({ ...providerCommon, kind: z.literal("google"), apiKeyEnv: envName }),
  z.object({
    ...providerCommon,
    kind: z.literal("bedrock"),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region such as us-east-1"),
    accessKeyIdEnv: envName,
    secretAccessKeyEnv: envName,
    sessionTokenEnv: envName.nullable().default(null),
  }),
]);
export type ProviderSeed = z.output<typeof providerSeed>;

/** The most providers a seed names. */
export const MAX_PROVIDERS = 32;

export const seedSchema = z.object({ providers: z.array(providerSeed).max(MAX_PROVIDERS).default([]), tenants: z.array(tenantSeed).min(1) }).superRefine((seed, ctx) => {
  const names = seed.providers.map((provider) => provider.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) ctx.addIssue({ code: "custom", path: ["providers"], message: `'${duplicate}' appears twice` });
  // A reference with a "/" must name a provider: `openai/vendor/model` reaches a default-provider model whose id has a slash.
  const known = new Set([DEFAULT_PROVIDER_NAME, ...names]);
  const kinds = new Map(seed.providers.map((provider) => [provider.name, provider.kind]));
  const checkRef = (ref: string, path: PropertyKey[]) => {
    const slash = ref.indexOf("/");
    if (slash >= 0 && !known.has(ref.slice(0, slash))) {
      ctx.addIssue({ code: "custom", path, message: `unknown provider '${ref.slice(0, slash)}': use ${[...known].join(", ")} (a model id with a '/' on the default provider: 'openai/${ref}')` });
    } else if (slash === ref.length - 1) {
      ctx.addIssue({ code: "custom", path, message: "the model id after the provider is empty" });
    }
  };
  seed.tenants.forEach((tenant, tenantIndex) => {
    tenant.agents.forEach((agent, agentIndex) => {
      checkRef(agent.model, ["tenants", tenantIndex, "agents", agentIndex, "model"]);
      // Anthropic and Bedrock take temperatures up to 1 (their packages would clamp silently).
      const kind = kinds.get(agent.model.slice(0, Math.max(0, agent.model.indexOf("/"))));
      if ((kind === "anthropic" || kind === "bedrock") && agent.temperature !== null && agent.temperature > 1) {
        ctx.addIssue({ code: "custom", path: ["tenants", tenantIndex, "agents", agentIndex, "temperature"], message: `the ${kind} provider takes a temperature from 0 to 1` });
      }
      agent.fallbacks.forEach((ref, index) => checkRef(ref, ["tenants", tenantIndex, "agents", agentIndex, "fallbacks", index]));
    });
    tenant.policy.allowedModels.forEach((ref, index) => checkRef(ref, ["tenants", tenantIndex, "policy", "allowedModels", index]));
  });

  // One key string, one key: a shared key would authenticate as two rows (see admin/seed.ts for the store).
  const firstUse = new Map<string, string>();
  seed.tenants.forEach((tenant, tenantIndex) =>
    tenant.apiKeys.forEach((key, keyIndex) => {
      const earlier = firstUse.get(key.key);
      if (earlier === undefined) firstUse.set(key.key, `tenants[${tenantIndex}].apiKeys[${keyIndex}]`);
      else ctx.addIssue({ code: "custom", path: ["tenants", tenantIndex, "apiKeys", keyIndex, "key"], message: `the same key is already given to ${earlier}; every key must be unique` });
    }),
  );
});
export type Seed = z.output<typeof seedSchema>;

/** Parses a seed, throwing one readable line per problem, each naming the field, e.g. `tenants[0].apiKeys[0].key`. */
export function parseSeed(input: unknown): Seed {
  const result = seedSchema.safeParse(input);
  if (result.success) return result.data;
  throw invalidSeed(result.error.issues.map((issue) => ({ path: issue.path, message: issue.message })));
}

/**
 * The error for a seed that cannot be applied (also used for conflicts with what is stored): a
 * ConvexError, so a deployment shows its message to the operator instead of redacting it.
 */
export function invalidSeed(problems: Array<{ path: PropertyKey[]; message: string }>): ConvexError<string> {
  const lines = problems.map((problem) => `${joinPath(problem.path) || "(root)"}: ${problem.message}`);
  return new ConvexError(`Invalid seed:\n  ${lines.join("\n  ")}`);
}
