// Step 3 of admission: resolve the requested model id to what the upstream call needs: the agent or
// passthrough model, its generation caps (the tighter of the agent's and the policy's), its server
// tools, and the system prompts that go first (the tenant's, then the agent's instructions).
import type { Doc } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";
import type { GatewayError } from "../../openai/errors";
import type { ResolvedTarget } from "../requestDecision";
import { resolveModel, type ResolvedModel } from "../models";
import { describeRefusal, refusedFact } from "../../upstream/parameterSupport";
import { DEFAULT_PROVIDER, DEFAULT_PROVIDER_NAME, type ProviderConfig, type UpstreamTarget } from "../../upstream/providerConfig";

export interface Target {
  target: ResolvedTarget;
  systemPrompts: string[];
}

export async function resolveTarget(
  ctx: QueryCtx,
  tenant: Doc<"tenants">,
  key: Doc<"apiKeys">,
  modelId: string,
  /** The request's settings some provider kind cannot honour (upstream/parameterSupport.ts). */
  facts: readonly string[] = [],
): Promise<({ ok: true } & Target) | { ok: false; error: GatewayError }> {
  const resolved = await resolveModel(ctx, tenant, key, modelId);
  if (!resolved.ok) return resolved;
  const target = describeTarget(resolved.model, tenant);
  const refs = resolved.model.kind === "agent" ? [resolved.model.agent.model, ...(resolved.model.agent.fallbacks ?? [])] : [resolved.model.id];
  const upstreams: UpstreamTarget[] = [];
  for (const ref of refs) upstreams.push(await upstreamTargetOf(ctx, ref));
  // The model's own provider must honour every setting; a fallback that cannot is left out of the plan.
  const refused = refusedFact(upstreams[0]!.provider.kind, facts);
  if (refused !== null) return { ok: false, error: describeRefusal(refused, upstreams[0]!.provider) };
  upstreams.splice(1, upstreams.length, ...upstreams.slice(1).filter((upstream) => refusedFact(upstream.provider.kind, facts) === null));
  return { ok: true, target: { ...target, upstreamModel: upstreams[0]!.model, upstreams }, systemPrompts: systemPrompts(resolved.model, tenant) };
}

/**
 * One `model-id` or `provider/model-id` reference as a target: the provider row its prefix names (a
 * prefix naming no provider is part of a default-provider model id), and its cool-down if it has one.
 * Both reads are of rows written only by the seed and when a provider starts cooling, never per request.
 */
async function upstreamTargetOf(ctx: QueryCtx, ref: string): Promise<UpstreamTarget> {
  const slash = ref.indexOf("/");
  const prefix = slash > 0 ? ref.slice(0, slash) : null;
  let provider: ProviderConfig = DEFAULT_PROVIDER;
  let model = ref;
  if (prefix === DEFAULT_PROVIDER_NAME) {
    model = ref.slice(slash + 1);
  } else if (prefix !== null) {
    const row = await ctx.db
      .query("providers")
      .withIndex("by_name", (q) => q.eq("name", prefix))
      .unique();
    if (row !== null) {
      const { _id, _creationTime, ...config } = row;
      provider = config;
      model = ref.slice(slash + 1);
    }
  }
  const cooldown = await ctx.db
    .query("providerCooldowns")
    .withIndex("by_provider", (q) => q.eq("provider", provider.name))
    .first();
  return { provider, model, coolingUntil: cooldown?.until ?? null };
}

export function describeTarget(model: ResolvedModel, tenant: Doc<"tenants">): ResolvedTarget {
  const policyCap = tenant.policy.maxOutputTokens;
  if (model.kind === "passthrough") {
    return { kind: "passthrough", id: model.id, upstreamModel: model.id, temperature: null, maxOutputTokens: policyCap, serverTools: [] };
  }
  const { agent } = model;
  return {
    kind: "agent",
    id: model.id,
    upstreamModel: agent.model,
    temperature: agent.temperature,
    maxOutputTokens: smallest([agent.maxOutputTokens, policyCap]),
    serverTools: agent.tools,
  };
}

export function systemPrompts(model: ResolvedModel, tenant: Doc<"tenants">): string[] {
  const prompts: string[] = [];
  if (tenant.policy.systemPrompt) prompts.push(tenant.policy.systemPrompt);
  if (model.kind === "agent" && model.agent.instructions) prompts.push(model.agent.instructions);
  return prompts;
}

/** The smallest of the caps that are set, or null when none is. */
export function smallest(caps: Array<number | null>): number | null {
  const set = caps.filter((cap): cap is number => cap !== null);
  return set.length > 0 ? Math.min(...set) : null;
}
