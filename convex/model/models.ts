// Which models a key can see and call: the tenant's agents, then its passthrough upstream models.
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import type { GatewayError } from "../openai/errors";
import { keyAllowsModel } from "./keys";

/** A tenant holds few agents; this bound keeps the listing query bounded all the same. */
const MAX_AGENTS_LISTED = 500;

export type ResolvedModel =
  | { kind: "agent"; id: string; agent: Doc<"agents"> }
  | { kind: "passthrough"; id: string; created: number };

export interface ModelEntry {
  id: string;
  created: number;
  ownedBy: string;
}

export async function listModels(ctx: QueryCtx, tenant: Doc<"tenants">, key: Doc<"apiKeys">): Promise<ModelEntry[]> {
  const agents = await ctx.db
    .query("agents")
    .withIndex("by_tenantId_and_slug", (q) => q.eq("tenantId", tenant._id))
    .take(MAX_AGENTS_LISTED);
  const entries = agents.map((agent) => ({ id: agent.slug, created: seconds(agent._creationTime), ownedBy: tenant.slug }));
  const agentIds = new Set(entries.map((entry) => entry.id));
  for (const model of tenant.policy.allowedModels) {
    if (!agentIds.has(model)) entries.push({ id: model, created: seconds(tenant._creationTime), ownedBy: tenant.slug });
  }
  return entries.filter((entry) => keyAllowsModel(key, entry.id));
}

/**
 * Resolves a model id for a key. Unknown ids and other tenants' ids give the same 404; a model the
 * tenant has but the key may not use gives 403.
 */
export async function resolveModel(
  ctx: QueryCtx,
  tenant: Doc<"tenants">,
  key: Doc<"apiKeys">,
  modelId: string,
): Promise<{ ok: true; model: ResolvedModel } | { ok: false; error: GatewayError }> {
  const agent = await ctx.db
    .query("agents")
    .withIndex("by_tenantId_and_slug", (q) => q.eq("tenantId", tenant._id).eq("slug", modelId))
    .unique();
  const model: ResolvedModel | null = agent
    ? { kind: "agent", id: modelId, agent }
    : tenant.policy.allowedModels.includes(modelId)
      ? { kind: "passthrough", id: modelId, created: seconds(tenant._creationTime) }
      : null;
  if (model === null) return { ok: false, error: modelNotFound(modelId) };
  if (!keyAllowsModel(key, modelId)) {
    return {
      ok: false,
      error: { code: "model_not_allowed", param: "model", message: `This API key is not allowed to use the model '${modelId}'.` },
    };
  }
  return { ok: true, model };
}

export function modelNotFound(modelId: string): GatewayError {
  return {
    code: "model_not_found",
    param: "model",
    message: `The model '${modelId}' does not exist or you do not have access to it.`,
  };
}

function seconds(milliseconds: number): number {
  return Math.floor(milliseconds / 1000);
}
