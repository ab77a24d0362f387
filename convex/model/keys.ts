// API key hashing and authentication. Keys are never stored or passed between functions in clear:
// the HTTP layer hashes the bearer token and only the SHA-256 travels and is looked up. Unknown keys
// are throttled deployment-wide (a client can vary its key, never this limit's key), so guessing is
// bounded; valid keys are looked up first and never touch that limit. A disabled or expired key is
// throttled by its own id.
import { MINUTE, RateLimiter } from "@convex-dev/rate-limiter";
import { components } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils";
import type { MutationCtx } from "../_generated/server";
import type { GatewayError } from "../openai/errors";

/**
 * SHA-256 in hex, computed in JavaScript (@noble/hashes): Web Crypto's digest is asynchronous, a job
 * on another thread in Node that cost 2 ms of every request in the local gateway's profile, for the
 * few short strings a request hashes. Same digest, so stored key hashes and chains stay valid.
 */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** What lists show to tell keys apart: the start of the key, never enough to use it. */
export function keyPrefix(key: string): string {
  return `${key.slice(0, Math.min(12, Math.floor(key.length / 3)))}...`;
}

export type Authenticated =
  | { ok: true; key: Doc<"apiKeys">; tenant: Doc<"tenants"> }
  /**
   * `key` is set when the key exists but may not be used, so the denial can be audited; `reason` says
   * why, for the audit row only (the client sees the same 401 whatever it is).
   */
  | { ok: false; error: GatewayError; key: Doc<"apiKeys"> | null; reason: string };

const INVALID_KEY: GatewayError = {
  code: "invalid_api_key",
  message: "Incorrect API key provided. Check the key, or ask your administrator for a valid one.",
};

/**
 * Requests with unknown keys, for the whole deployment, per UTC minute (`start: 0` aligns the
 * windows). Past it they get 429 `rate_limit_exceeded` (with retry-after) instead of 401 until the
 * minute ends. Sharded, so admitted guesses spread their writes over several documents; a refused
 * one writes nothing here.
 */
export const UNKNOWN_KEY_LIMIT = { kind: "fixed window", rate: 120, period: MINUTE, shards: 4, start: 0 } as const;

/**
 * Requests with one disabled or expired key, per UTC minute. Past it that key gets 429 too, and its
 * denials are counted rather than audited row by row (model/audit.ts).
 */
export const REFUSED_KEY_LIMIT = { kind: "fixed window", rate: 60, period: MINUTE, start: 0 } as const;

const limits = new RateLimiter(components.rateLimiter, { unknownKeys: UNKNOWN_KEY_LIMIT, refusedKey: REFUSED_KEY_LIMIT });

/** A stored key that may not be used: disabled, or past its expiry. */
export function isRefused(key: Doc<"apiKeys">, now: number): boolean {
  return key.disabled || (key.expiresAt !== null && key.expiresAt <= now);
}

/**
 * One indexed lookup by hash; every failure looks the same to the caller (401), so keys cannot be
 * probed, except that unknown keys past UNKNOWN_KEY_LIMIT, and a refused key past REFUSED_KEY_LIMIT,
 * get 429.
 */
export async function authenticate(ctx: MutationCtx, keyHash: string, now: number): Promise<Authenticated> {
  // Keys are unique (the seed and admin/keys refuse duplicates); two rows for one hash would make the
  // key ambiguous between them, so it authenticates as neither.
  const found = await ctx.db
    .query("apiKeys")
    .withIndex("by_keyHash", (q) => q.eq("keyHash", keyHash))
    .take(2);
  if (found.length === 0) return { ok: false, error: await throttled(ctx, "unknownKeys", undefined), key: null, reason: "unknown key" };
  if (found.length > 1) return { ok: false, error: INVALID_KEY, key: null, reason: "ambiguous key" };
  const key = found[0]!;
  if (isRefused(key, now)) {
    return { ok: false, error: await throttled(ctx, "refusedKey", key._id), key, reason: key.disabled ? "key disabled" : "key expired" };
  }
  const tenant = await ctx.db.get("tenants", key.tenantId);
  if (tenant === null) return { ok: false, error: INVALID_KEY, key, reason: "tenant removed" };
  return { ok: true, key, tenant };
}

/** 401 while the limit has room, 429 past it. */
async function throttled(ctx: MutationCtx, limit: "unknownKeys" | "refusedKey", key: string | undefined): Promise<GatewayError> {
  const taken = await limits.limit(ctx, limit, key === undefined ? {} : { key });
  if (taken.ok) return INVALID_KEY;
  return {
    code: "rate_limit_exceeded",
    message: `Too many requests with invalid API keys. Retry after ${Math.ceil(taken.retryAfter / 1000)} s with a valid key.`,
    retryAfterMs: taken.retryAfter,
  };
}

export function keyAllowsModel(key: Doc<"apiKeys">, modelId: string): boolean {
  return key.agents.includes("*") || key.agents.includes(modelId);
}
