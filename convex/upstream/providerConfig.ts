// What the gateway stores of a provider (the `providers` table, filled by the seed) and carries in a
// resolved target: its kind, endpoint and the NAMES of the environment variables holding its secrets
// (never the secrets), with its retry rules. The default provider `openai` is not stored: it is
// DEFAULT_PROVIDER, configured by OPENAI_BASE_URL and OPENAI_API_KEY.
import { v, type Infer } from "convex/values";

export const PROVIDER_KINDS = ["openai-compatible", "anthropic", "bedrock", "google"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** The provider a model id without a `provider/` prefix goes to. */
export const DEFAULT_PROVIDER_NAME = "openai";

/** Statuses retried (and failed over) when a provider does not list its own. */
export const DEFAULT_RETRY_ON_STATUS = [429, 500, 502, 503, 504];

export const providerConfig = v.object({
  name: v.string(),
  kind: v.union(...PROVIDER_KINDS.map((kind) => v.literal(kind))),
  /** Null: the provider's public endpoint (the default provider: OPENAI_BASE_URL). */
  baseURL: v.union(v.string(), v.null()),
  /** Bedrock only. */
  region: v.union(v.string(), v.null()),
  /** Environment variable names; which ones are set depends on the kind. */
  apiKeyEnv: v.union(v.string(), v.null()),
  accessKeyIdEnv: v.union(v.string(), v.null()),
  secretAccessKeyEnv: v.union(v.string(), v.null()),
  sessionTokenEnv: v.union(v.string(), v.null()),
  /** Overrides UPSTREAM_TIMEOUT_MS for this provider: the wait for a first byte and any silence inside a stream. */
  timeoutMs: v.union(v.number(), v.null()),
  retries: v.number(),
  retryOnStatus: v.array(v.number()),
});
export type ProviderConfig = Infer<typeof providerConfig>;

export const DEFAULT_PROVIDER: ProviderConfig = {
  name: DEFAULT_PROVIDER_NAME,
  kind: "openai-compatible",
  baseURL: null,
  region: null,
  apiKeyEnv: "OPENAI_API_KEY",
  accessKeyIdEnv: null,
  secretAccessKeyEnv: null,
  sessionTokenEnv: null,
  timeoutMs: null,
  retries: 0,
  retryOnStatus: DEFAULT_RETRY_ON_STATUS,
};

/** One model on one provider: a step of a request's failover plan. */
export const upstreamTarget = v.object({
  provider: providerConfig,
  model: v.string(),
  /** Until when the provider is cooling down after failing (upstream/cooldowns.ts); null when it is not. */
  coolingUntil: v.union(v.number(), v.null()),
});
export type UpstreamTarget = Infer<typeof upstreamTarget>;

/** `provider/model-id`, as the x-gateway-upstream header and the request log name a target. */
export function targetLabel(target: { provider: { name: string }; model: string }): string {
  return `${target.provider.name}/${target.model}`;
}
