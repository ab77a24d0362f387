// API key hashing and authentication. Keys are never stored or passed between functions in clear:
// the HTTP layer hashes the bearer token and only the SHA-256 travels and is looked up.
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import type { GatewayError } from "../openai/errors";

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** What lists show to tell keys apart: the start of the key, never enough to use it. */
export function keyPrefix(key: string): string {
  return `${key.slice(0, Math.min(12, Math.floor(key.length / 3)))}...`;
}

export type Authenticated =
  | { ok: true; key: Doc<"apiKeys">; tenant: Doc<"tenants"> }
  /** `key` is set when the key exists but is disabled or expired, so the denial can be audited. */
  | { ok: false; error: GatewayError; key: Doc<"apiKeys"> | null };

const INVALID_KEY: GatewayError = {
  code: "invalid_api_key",
  message: "Incorrect API key provided. Check the key, or ask your administrator for a valid one.",
};

/** One indexed lookup by hash; every failure looks the same to the caller, so keys cannot be probed. */
export async function authenticate(ctx: QueryCtx, keyHash: string, now: number): Promise<Authenticated> {
  const key = await ctx.db
    .query("apiKeys")
    .withIndex("by_keyHash", (q) => q.eq("keyHash", keyHash))
    .unique();
  if (key === null) return { ok: false, error: INVALID_KEY, key: null };
  if (key.disabled || (key.expiresAt !== null && key.expiresAt <= now)) return { ok: false, error: INVALID_KEY, key };
  const tenant = await ctx.db.get("tenants", key.tenantId);
  if (tenant === null) return { ok: false, error: INVALID_KEY, key };
  return { ok: true, key, tenant };
}

export function keyAllowsModel(key: Doc<"apiKeys">, modelId: string): boolean {
  return key.agents.includes("*") || key.agents.includes(modelId);
}
