// The providers' secrets and endpoints and the relay's clocks, configured from the deployment's
// environment (the one module that reads it). Providers name their secrets' environment variables
// (upstream/providerConfig.ts); the values are read here, when a call is made.
import type { ProviderConfig } from "./providerConfig";

export const DEFAULT_UPSTREAM_TIMEOUT_MS = 60_000;

/** The default provider's endpoint: OPENAI_BASE_URL, else OpenAI's. */
export function defaultProviderBaseUrl(): string {
  return process.env.OPENAI_BASE_URL || "https://api.openai.com/v1";
}

/** A provider's secrets, read from the environment variables it names ("" when one is unset: the provider answers 401). */
export function providerSecrets(provider: ProviderConfig): { apiKey: string; accessKeyId: string; secretAccessKey: string; sessionToken: string | undefined } {
  const read = (name: string | null) => (name === null ? "" : (process.env[name] ?? ""));
  return {
    apiKey: read(provider.apiKeyEnv),
    accessKeyId: read(provider.accessKeyIdEnv),
    secretAccessKey: read(provider.secretAccessKeyEnv),
    sessionToken: provider.sessionTokenEnv === null ? undefined : read(provider.sessionTokenEnv) || undefined,
  };
}

/**
 * The environment variables the seed's providers name that are unset or blank, each with the seed
 * field that names it (`providers[1].apiKeyEnv`). The local gateway refuses to start on any.
 */
export function missingProviderEnvironment(providers: ReadonlyArray<Record<string, unknown>>): Array<{ path: PropertyKey[]; message: string }> {
  const problems: Array<{ path: PropertyKey[]; message: string }> = [];
  providers.forEach((provider, index) => {
    for (const field of ["apiKeyEnv", "accessKeyIdEnv", "secretAccessKeyEnv", "sessionTokenEnv"]) {
      const name = provider[field];
      if (typeof name === "string" && (process.env[name] ?? "").trim() === "") {
        problems.push({ path: ["providers", index, field], message: `the environment variable ${name} is not set` });
      }
    }
  });
  return problems;
}

/** SSE keep-alive comments go out at least this often while a stream is silent, so proxies keep it open. */
export const DEFAULT_KEEP_ALIVE_MS = 15_000;

/** Bounds the wait for the upstream's first byte and any silence inside its stream. */
export function upstreamTimeoutMs(): number {
  return positiveMilliseconds(process.env.UPSTREAM_TIMEOUT_MS, DEFAULT_UPSTREAM_TIMEOUT_MS);
}

/** The keep-alive interval; GATEWAY_KEEPALIVE_MS overrides the default (tests shorten it). */
export function keepAliveMs(): number {
  return positiveMilliseconds(process.env.GATEWAY_KEEPALIVE_MS, DEFAULT_KEEP_ALIVE_MS);
}

/**
 * GATEWAY_ALLOW_PRIVATE_WEBHOOKS=1 lets webhook tools call loopback, private and link-local addresses
 * (the local demo and the tests set it; deployments never need it). Off unless set to "1" or "true".
 */
export function allowPrivateWebhooks(): boolean {
  return ["1", "true"].includes((process.env.GATEWAY_ALLOW_PRIVATE_WEBHOOKS ?? "").trim().toLowerCase());
}

/**
 * GATEWAY_ADMIN_KEY enables the admin API (/api/admin/v1) and the dashboard (/admin): operators send it
 * as a bearer token. Unset or blank, every admin route answers 404. (The local gateway makes one at boot
 * when it is unset.)
 */
export function adminKey(): string | null {
  const key = (process.env.GATEWAY_ADMIN_KEY ?? "").trim();
  return key === "" ? null : key;
}

function positiveMilliseconds(configured: string | undefined, fallback: number): number {
  const value = Number(configured);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
