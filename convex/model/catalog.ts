// The /models queries: what a key may see, resolved in one query per request.
import { v } from "convex/values";
import { internalQuery } from "../_generated/server";
import { authenticate } from "./keys";
import { listModels, modelNotFound } from "./models";
import { gatewayError } from "./requestDecision";

const modelEntry = v.object({ id: v.string(), created: v.number(), ownedBy: v.string() });
const denied = v.object({ ok: v.literal(false), error: gatewayError });

export const list = internalQuery({
  args: { keyHash: v.string() },
  returns: v.union(v.object({ ok: v.literal(true), models: v.array(modelEntry) }), denied),
  handler: async (ctx, { keyHash }) => {
    const auth = await authenticate(ctx, keyHash, Date.now());
    if (!auth.ok) return auth;
    return { ok: true as const, models: await listModels(ctx, auth.tenant, auth.key) };
  },
});

export const retrieve = internalQuery({
  args: { keyHash: v.string(), modelId: v.string() },
  returns: v.union(v.object({ ok: v.literal(true), model: modelEntry }), denied),
  handler: async (ctx, { keyHash, modelId }) => {
    const auth = await authenticate(ctx, keyHash, Date.now());
    if (!auth.ok) return auth;
    // A model the key may not call is reported as absent: retrieving reveals no more than listing.
    const model = (await listModels(ctx, auth.tenant, auth.key)).find((entry) => entry.id === modelId);
    if (model === undefined) return { ok: false as const, error: modelNotFound(modelId) };
    return { ok: true as const, model };
  },
});
