// The /models transactions: authenticate (auditing a denial), count the request against the rate
// limits, and list or find what the key may see.
import { v } from "convex/values";
import { internalMutation, type MutationCtx } from "../_generated/server";
import type { GatewayError } from "../openai/errors";
import { authenticate } from "./keys";
import { listModels, modelNotFound, type ModelEntry } from "./models";
import { denied, rateLimits, type RateLimits } from "./requestDecision";
import { takeRequest } from "./limits";
import { auditDenial } from "./audit";

const modelEntry = v.object({ id: v.string(), created: v.number(), ownedBy: v.string() });

type Outcome = { ok: true; models: ModelEntry[]; rateLimits: RateLimits } | { ok: false; error: GatewayError; rateLimits?: RateLimits };

async function visibleModels(ctx: MutationCtx, keyHash: string, requestId: string): Promise<Outcome> {
  const now = Date.now();
  const auth = await authenticate(ctx, keyHash, now);
  const deny = async (error: GatewayError, rateLimits?: RateLimits) => {
    await auditDenial(ctx, { key: auth.key, requestId, error }, now);
    return { ok: false as const, error, ...(rateLimits ? { rateLimits } : {}) };
  };
  if (!auth.ok) return deny(auth.error);
  const requests = await takeRequest(ctx, auth.key, auth.tenant, now);
  if (!requests.ok) return deny(requests.error, { requests: requests.status });
  return { ok: true, models: await listModels(ctx, auth.tenant, auth.key), rateLimits: { requests: requests.status } };
}

export const list = internalMutation({
  args: { keyHash: v.string(), requestId: v.string() },
  returns: v.union(v.object({ ok: v.literal(true), models: v.array(modelEntry), rateLimits }), denied),
  handler: (ctx, { keyHash, requestId }) => visibleModels(ctx, keyHash, requestId),
});

export const retrieve = internalMutation({
  args: { keyHash: v.string(), requestId: v.string(), modelId: v.string() },
  returns: v.union(v.object({ ok: v.literal(true), model: modelEntry, rateLimits }), denied),
  handler: async (ctx, { keyHash, requestId, modelId }) => {
    const visible = await visibleModels(ctx, keyHash, requestId);
    if (!visible.ok) return visible;
    // A model the key may not call is reported as absent: retrieving reveals no more than listing.
    const model = visible.models.find((entry) => entry.id === modelId);
    if (model === undefined) return { ok: false as const, error: modelNotFound(modelId), rateLimits: visible.rateLimits };
    return { ok: true as const, model, rateLimits: visible.rateLimits };
  },
});
