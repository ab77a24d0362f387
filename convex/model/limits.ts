// Rate limits and the monthly budget, inside the authorising mutation. Requests per minute per key and
// per tenant use @convex-dev/rate-limiter (fixed UTC-minute windows) with `shards` once the rate is
// high enough to cause contention. Tokens per minute and tokens per calendar month are reserved from
// the tenant's sharded allowances (tokenShards.ts): the estimate is charged up front, and reconciled
// with the real usage when the turn settles (settle.ts).
import { calculateRateLimit, MINUTE, RateLimiter } from "@convex-dev/rate-limiter";
import { components } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import type { GatewayError } from "../openai/errors";
import type { LimitStatus } from "../openai/rateLimitHeaders";
import { applyCharge, planCharge, windowResetMs, type Charges } from "./tokenShards";

const rateLimiter = new RateLimiter(components.rateLimiter);

type LimitName = "requestsPerKey" | "requestsPerTenant";

/** The most shards a request limit is split into. */
export const MAX_REQUEST_SHARDS = 8;
/** Each shard of a request limit holds at least this many requests per minute. */
const REQUESTS_PER_SHARD = 25;

/**
 * Shards for a request limit: one below 75 requests a minute (too few writes to contend, and exact),
 * else one per 25 requests up to 8. Never two: the limiter only combines shards from three up.
 */
export function requestShards(rate: number): number {
  const shards = Math.floor(rate / REQUESTS_PER_SHARD);
  return shards < 3 ? 1 : Math.min(shards, MAX_REQUEST_SHARDS);
}

/**
 * UTC-minute windows (`start: 0`): every shard of a limit refills at the same moment, so the limiter's
 * pick of the fuller of two shards keeps their writes balanced (with random starts, a shard that has
 * just refilled would win every pick it is in until the others refill).
 */
function windowOf(rate: number) {
  const shards = requestShards(rate);
  return { kind: "fixed window" as const, rate, period: MINUTE, start: 0, ...(shards > 1 ? { shards } : {}) };
}

/** What the headers report: one shard sampled and scaled up by the shard count (exact when unsharded). */
async function status(ctx: MutationCtx, name: LimitName, key: string, rate: number, now: number): Promise<LimitStatus> {
  const config = windowOf(rate);
  const shards = config.shards ?? 1;
  const stored = await rateLimiter.getValue(ctx, name, { key, config });
  const shardConfig = { kind: "fixed window" as const, rate: rate / shards, period: MINUTE, start: 0 };
  const current = calculateRateLimit({ value: stored.value, ts: stored.ts }, shardConfig, now, 0);
  return {
    limit: rate,
    remaining: Math.max(0, Math.floor(current.value * shards)),
    resetMs: Math.max(0, current.ts + MINUTE - now),
  };
}

function rateLimited(what: string, retryAfterMs: number): GatewayError {
  return {
    code: "rate_limit_exceeded",
    message: `Rate limit reached for ${what}. Retry after ${Math.ceil(retryAfterMs / 1000)} s.`,
    retryAfterMs,
  };
}

export function requestsPerMinute(key: Doc<"apiKeys">, tenant: Doc<"tenants">): number {
  return key.requestsPerMinute ?? tenant.policy.requestsPerMinute;
}

/** Takes one request from the key's and the tenant's budgets; the tighter one is reported. */
export async function takeRequest(
  ctx: MutationCtx,
  key: Doc<"apiKeys">,
  tenant: Doc<"tenants">,
  now: number,
): Promise<{ ok: true; status: LimitStatus } | { ok: false; error: GatewayError; status: LimitStatus }> {
  const keyRate = requestsPerMinute(key, tenant);
  const tenantRate = tenant.policy.requestsPerMinute;
  const byKey = await rateLimiter.limit(ctx, "requestsPerKey", { key: key._id, config: windowOf(keyRate) });
  if (!byKey.ok) {
    return { ok: false, error: rateLimited("requests on this API key", byKey.retryAfter), status: await status(ctx, "requestsPerKey", key._id, keyRate, now) };
  }
  const byTenant = await rateLimiter.limit(ctx, "requestsPerTenant", { key: tenant._id, config: windowOf(tenantRate) });
  if (!byTenant.ok) {
    // The key's unit is given back: a request the tenant refused did not use the key's budget.
    await rateLimiter.limit(ctx, "requestsPerKey", { key: key._id, config: windowOf(keyRate), count: -1 });
    return {
      ok: false,
      error: rateLimited("requests on this organization", byTenant.retryAfter),
      status: await status(ctx, "requestsPerTenant", tenant._id, tenantRate, now),
    };
  }
  const tenantStatus = await status(ctx, "requestsPerTenant", tenant._id, tenantRate, now);
  // Both windows are the same UTC minutes and every request of the key is one of the tenant's, so a key
  // allowed at least the tenant's rate has at least the tenant's remaining: its own is read (one
  // component call, on every request) only when its rate is lower.
  if (keyRate >= tenantRate) return { ok: true, status: tenantStatus };
  const keyStatus = await status(ctx, "requestsPerKey", key._id, keyRate, now);
  return { ok: true, status: keyStatus.remaining <= tenantStatus.remaining ? keyStatus : tenantStatus };
}

/** Where a request's tokens were reserved, per minute and per month, for reconciliation. */
export interface TokenReservation {
  minute: Charges;
  month: Charges;
}

/**
 * Reserves the request's estimated tokens from the tenant's per-minute limit and monthly budget, both
 * or neither: a request is refused when the estimate does not fit in what is left of either.
 */
export async function reserveTokens(
  ctx: MutationCtx,
  tenant: Doc<"tenants">,
  estimate: number,
  now: number,
): Promise<{ ok: true; status: LimitStatus; reservation: TokenReservation } | { ok: false; error: GatewayError; status: LimitStatus }> {
  const rate = tenant.policy.tokensPerMinute;
  const budget = tenant.policy.monthlyTokenBudget;
  const resetMs = windowResetMs("minute", now);
  const minute = await planCharge(ctx, tenant._id, "minute", rate, estimate, now);
  // What the headers report on a denial: what is left without this request.
  const left = { limit: rate, remaining: Math.max(0, Math.floor(minute.ok ? minute.remaining + estimate : minute.remaining)), resetMs };
  if (estimate > rate) {
    return {
      ok: false,
      error: {
        code: "rate_limit_exceeded",
        param: "messages",
        message: `Request too large: about ${estimate} tokens requested, the limit is ${rate} tokens per minute. Shorten the messages or lower max_tokens.`,
        retryAfterMs: MINUTE,
      },
      status: left,
    };
  }
  const month = await planCharge(ctx, tenant._id, "month", budget, estimate, now);
  if (!month.ok) {
    return {
      ok: false,
      error: {
        code: "insufficient_quota",
        message:
          month.remaining <= 0
            ? "You exceeded your organization's monthly token budget. Ask your administrator to raise it."
            : `This request (about ${estimate} tokens) does not fit in what is left of your organization's monthly token budget (about ${Math.floor(month.remaining)} tokens). Lower max_tokens, or ask your administrator to raise the budget.`,
      },
      status: left,
    };
  }
  if (!minute.ok) return { ok: false, error: rateLimited("tokens per minute", resetMs), status: left };
  const reservation = { month: await applyCharge(ctx, month, now), minute: await applyCharge(ctx, minute, now) };
  return { ok: true, status: { limit: rate, remaining: Math.max(0, Math.floor(minute.remaining)), resetMs }, reservation };
}
