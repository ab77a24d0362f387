// Rate limits, with @convex-dev/rate-limiter, inside the authorising mutation: requests per minute
// per key and per tenant, and tokens per minute per tenant (an estimate reserved before the upstream
// call, reconciled with the real usage after). Fixed one-minute windows, so a window admits exactly
// its configured budget and the reset time is the window's end.
import { calculateRateLimit, MINUTE, RateLimiter } from "@convex-dev/rate-limiter";
import { components } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import type { GatewayError } from "../openai/errors";
import type { LimitStatus } from "../openai/rateLimitHeaders";

const rateLimiter = new RateLimiter(components.rateLimiter);


type LimitName = "requestsPerKey" | "requestsPerTenant" | "tokensPerTenant";

function windowOf(rate: number) {
  return { kind: "fixed window" as const, rate, period: MINUTE };
}

async function status(ctx: MutationCtx, name: LimitName, key: string, rate: number, now: number): Promise<LimitStatus> {
  const config = windowOf(rate);
  const stored = await rateLimiter.getValue(ctx, name, { key, config });
  const current = calculateRateLimit(stored, config, now, 0);
  return {
    limit: rate,
    remaining: Math.max(0, Math.floor(current.value)),
    resetMs: Math.max(0, current.ts + config.period - now),
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
  const keyStatus = await status(ctx, "requestsPerKey", key._id, keyRate, now);
  const tenantStatus = await status(ctx, "requestsPerTenant", tenant._id, tenantRate, now);
  return { ok: true, status: keyStatus.remaining <= tenantStatus.remaining ? keyStatus : tenantStatus };
}

/** Reserves the request's estimated tokens from the tenant's per-minute budget. */
export async function reserveTokens(
  ctx: MutationCtx,
  tenant: Doc<"tenants">,
  estimate: number,
  now: number,
): Promise<{ ok: true; status: LimitStatus } | { ok: false; error: GatewayError; status: LimitStatus }> {
  const rate = tenant.policy.tokensPerMinute;
  if (estimate > rate) {
    return {
      ok: false,
      error: {
        code: "rate_limit_exceeded",
        param: "messages",
        message: `Request too large: about ${estimate} tokens requested, the limit is ${rate} tokens per minute. Shorten the messages or lower max_tokens.`,
        retryAfterMs: MINUTE,
      },
      status: await status(ctx, "tokensPerTenant", tenant._id, rate, now),
    };
  }
  const result = await rateLimiter.limit(ctx, "tokensPerTenant", { key: tenant._id, config: windowOf(rate), count: estimate });
  const current = await status(ctx, "tokensPerTenant", tenant._id, rate, now);
  if (!result.ok) return { ok: false, error: rateLimited("tokens per minute", result.retryAfter), status: current };
  return { ok: true, status: current };
}

/** After the call: takes what the estimate missed, or gives back what it over-reserved. */
export async function reconcileTokens(ctx: MutationCtx, tenant: Doc<"tenants">, estimate: number, actual: number): Promise<void> {
  const difference = actual - estimate;
  if (difference === 0) return;
  await rateLimiter.limit(ctx, "tokensPerTenant", {
    key: tenant._id,
    config: windowOf(tenant.policy.tokensPerMinute),
    count: difference,
    // Usage already happened: it is recorded even when it overdraws the window.
    reserve: true,
  });
}
