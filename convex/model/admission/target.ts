// Step 3 of admission: resolve the requested model id to what the upstream call needs: the agent or
// passthrough model, its generation caps (the tighter of the agent's and the policy's), its server
// tools, and the system prompts that go first (the tenant's, then the agent's instructions).
import type { Doc } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";
import type { GatewayError } from "../../openai/errors";
import type { ResolvedTarget } from "../requestDecision";
import { resolveModel, type ResolvedModel } from "../models";

export interface Target {
  target: ResolvedTarget;
  systemPrompts: string[];
}

export async function resolveTarget(
  ctx: QueryCtx,
  tenant: Doc<"tenants">,
  key: Doc<"apiKeys">,
  modelId: string,
): Promise<({ ok: true } & Target) | { ok: false; error: GatewayError }> {
  const resolved = await resolveModel(ctx, tenant, key, modelId);
  if (!resolved.ok) return resolved;
  return { ok: true, target: describeTarget(resolved.model, tenant), systemPrompts: systemPrompts(resolved.model, tenant) };
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
