// The upstream OpenAI-compatible provider and the relay's clocks, configured from the deployment's
// environment (the one module that reads it).
import { createOpenAI } from "@ai-sdk/openai";
import type { LanguageModel } from "ai";

export const DEFAULT_UPSTREAM_TIMEOUT_MS = 60_000;

export function upstreamModel(modelId: string): LanguageModel {
  const provider = createOpenAI({
    baseURL: process.env.OPENAI_BASE_URL || "https://api.openai.com/v1",
    apiKey: process.env.OPENAI_API_KEY ?? "",
  });
  // `.chat` speaks Chat Completions, which every OpenAI-compatible server implements.
  return provider.chat(modelId);
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
