// Applies a seed: the one code path for the local gateway's boot and for real deployments
// (`npx convex run admin/seed:apply`). Idempotent: every row is matched by its natural key and
// updated in place, so applying the same seed twice changes nothing. Rows absent from the seed are kept.
// Key values are unique across the deployment: a key already held by another key (in any tenant) is
// refused, naming the field; a key that was rotated since the seed gave it is left alone, so a
// re-applied seed never brings it back or overwrites its successor.
import { v } from "convex/values";
import { internalMutation, type MutationCtx } from "../_generated/server";
import type { Id } from "../_generated/dataModel";
import { keyPrefix, sha256Hex } from "../model/keys";
import { invalidSeed, parseSeed, type Seed } from "./seedSchema";
import type { ProviderConfig } from "../upstream/providerConfig";

export type TenantSeed = Seed["tenants"][number];

/** What to do with each seed key, by `tenantIndex:keyIndex`: its hash, or null to leave a rotated key alone. */
type KeyPlan = Map<string, string | null>;

export const apply = internalMutation({
  // A JSON string or the object itself: JSON Schema in webhook tools may hold `$ref` keys, which
  // Convex values cannot carry, so the string form always works.
  args: { seed: v.any() },
  returns: v.object({ tenants: v.array(v.object({ slug: v.string(), tenantId: v.id("tenants") })) }),
  handler: async (ctx, args) => {
    const seed = parseSeed(typeof args.seed === "string" ? JSON.parse(args.seed) : args.seed);
    await applyProviders(ctx, seed.providers);
    const plan = await planKeys(ctx, seed);
    const tenants = [];
    for (const [index, tenant] of seed.tenants.entries()) tenants.push({ slug: tenant.slug, tenantId: await applyTenant(ctx, tenant, index, plan) });
    return { tenants };
  },
});

/**
 * Stores the seed's providers by name (created or updated; absent ones are kept, like every row).
 * Their environment variables are not checked here: a deployment's mutation may not see the values
 * its actions will, so the local gateway checks them at startup and a call with a missing secret is
 * answered by the provider's 401 (docs/configuration.md).
 */
async function applyProviders(ctx: MutationCtx, providers: Seed["providers"]): Promise<void> {
  for (const provider of providers) {
    const row: ProviderConfig = {
      name: provider.name,
      kind: provider.kind,
      baseURL: provider.baseURL,
      region: provider.kind === "bedrock" ? provider.region : null,
      apiKeyEnv: provider.kind === "bedrock" ? null : provider.apiKeyEnv,
      accessKeyIdEnv: provider.kind === "bedrock" ? provider.accessKeyIdEnv : null,
      secretAccessKeyEnv: provider.kind === "bedrock" ? provider.secretAccessKeyEnv : null,
      sessionTokenEnv: provider.kind === "bedrock" ? provider.sessionTokenEnv : null,
      timeoutMs: provider.timeoutMs,
      retries: provider.retries,
      retryOnStatus: provider.retryOnStatus,
    };
    const found = await ctx.db
      .query("providers")
      .withIndex("by_name", (q) => q.eq("name", provider.name))
      .unique();
    if (found) await ctx.db.replace("providers", found._id, row);
    else await ctx.db.insert("providers", row);
  }
}

/** Checks every seed key against the stored keys before anything is written; throws naming each conflicting field. */
async function planKeys(ctx: MutationCtx, seed: Seed): Promise<KeyPlan> {
  const plan: KeyPlan = new Map();
  const problems: Array<{ path: PropertyKey[]; message: string }> = [];
  for (const [tenantIndex, tenant] of seed.tenants.entries()) {
    for (const [keyIndex, key] of tenant.apiKeys.entries()) {
      const keyHash = sha256Hex(key.key);
      // At most one row holds a hash; a few are read so that rows left by older versions are reported too.
      const holders = await ctx.db
        .query("apiKeys")
        .withIndex("by_keyHash", (q) => q.eq("keyHash", keyHash))
        .take(4);
      let rotated = false;
      for (const holder of holders) {
        const holderTenant = await ctx.db.get("tenants", holder.tenantId);
        const sameTenant = holderTenant?.slug === tenant.slug;
        if (sameTenant && holder.name === key.name) continue;
        if (sameTenant && holder.replacedBy !== undefined) {
          rotated = true;
          continue;
        }
        problems.push({
          path: ["tenants", tenantIndex, "apiKeys", keyIndex, "key"],
          message: `this key is already in use by key '${holder.name}' of tenant '${holderTenant?.slug ?? "?"}'; every key must be unique`,
        });
      }
      plan.set(`${tenantIndex}:${keyIndex}`, rotated ? null : keyHash);
    }
  }
  if (problems.length > 0) throw invalidSeed(problems);
  return plan;
}

/** Creates or updates one tenant and its rows from the seed (admin/tenants.ts `put` uses it with no keys). */
export async function applyTenant(ctx: MutationCtx, seed: TenantSeed, tenantIndex: number, plan: KeyPlan): Promise<Id<"tenants">> {
  const existing = await ctx.db
    .query("tenants")
    .withIndex("by_slug", (q) => q.eq("slug", seed.slug))
    .unique();
  const fields = { slug: seed.slug, name: seed.name, policy: seed.policy };
  const tenantId = existing ? existing._id : await ctx.db.insert("tenants", fields);
  if (existing) await ctx.db.patch("tenants", tenantId, fields);

  for (const [keyIndex, key] of seed.apiKeys.entries()) {
    const keyHash = plan.get(`${tenantIndex}:${keyIndex}`);
    // Rotated since the seed gave it: the rotation (its successor, the old key's grace period) stands.
    if (keyHash === null || keyHash === undefined) continue;
    const row = {
      tenantId,
      name: key.name,
      keyHash,
      prefix: keyPrefix(key.key),
      agents: key.agents,
      expiresAt: key.expiresAt,
      disabled: key.disabled,
      requestsPerMinute: key.requestsPerMinute,
    };
    const found = await ctx.db
      .query("apiKeys")
      .withIndex("by_tenantId_and_name", (q) => q.eq("tenantId", tenantId).eq("name", key.name))
      .unique();
    if (found) await ctx.db.patch("apiKeys", found._id, row);
    else await ctx.db.insert("apiKeys", { ...row, createdAt: Date.now(), lastUsedAt: null });
  }

  for (const agent of seed.agents) {
    const found = await ctx.db
      .query("agents")
      .withIndex("by_tenantId_and_slug", (q) => q.eq("tenantId", tenantId).eq("slug", agent.slug))
      .unique();
    if (found) await ctx.db.patch("agents", found._id, { tenantId, ...agent });
    else await ctx.db.insert("agents", { tenantId, ...agent });
  }

  for (const document of seed.documents) {
    const found = await ctx.db
      .query("documents")
      .withIndex("by_tenantId_and_title", (q) => q.eq("tenantId", tenantId).eq("title", document.title))
      .first();
    if (found) await ctx.db.patch("documents", found._id, { text: document.text });
    else await ctx.db.insert("documents", { tenantId, ...document });
  }

  for (const tool of seed.webhookTools) {
    const row = { tenantId, ...tool, parameters: JSON.stringify(tool.parameters) };
    const found = await ctx.db
      .query("webhookTools")
      .withIndex("by_tenantId_and_name", (q) => q.eq("tenantId", tenantId).eq("name", tool.name))
      .unique();
    if (found) await ctx.db.patch("webhookTools", found._id, row);
    else await ctx.db.insert("webhookTools", row);
  }
  return tenantId;
}
