// Applies a seed: the one code path for the local gateway's boot and for real deployments
// (`npx convex run admin/seed:apply`). Idempotent: every row is matched by its natural key and
// updated in place, so applying the same seed twice changes nothing. Rows absent from the seed are kept.
import { v } from "convex/values";
import { internalMutation, type MutationCtx } from "../_generated/server";
import type { Id } from "../_generated/dataModel";
import { keyPrefix, sha256Hex } from "../model/keys";
import { parseSeed, type Seed } from "./seedSchema";

type TenantSeed = Seed["tenants"][number];

export const apply = internalMutation({
  // A JSON string or the object itself: JSON Schema in webhook tools may hold `$ref` keys, which
  // Convex values cannot carry, so the string form always works.
  args: { seed: v.any() },
  returns: v.object({ tenants: v.array(v.object({ slug: v.string(), tenantId: v.id("tenants") })) }),
  handler: async (ctx, args) => {
    const seed = parseSeed(typeof args.seed === "string" ? JSON.parse(args.seed) : args.seed);
    const tenants = [];
    for (const tenant of seed.tenants) tenants.push({ slug: tenant.slug, tenantId: await applyTenant(ctx, tenant) });
    return { tenants };
  },
});

async function applyTenant(ctx: MutationCtx, seed: TenantSeed): Promise<Id<"tenants">> {
  const existing = await ctx.db
    .query("tenants")
    .withIndex("by_slug", (q) => q.eq("slug", seed.slug))
    .unique();
  const fields = { slug: seed.slug, name: seed.name, policy: seed.policy };
  const tenantId = existing ? existing._id : await ctx.db.insert("tenants", fields);
  if (existing) await ctx.db.patch("tenants", tenantId, fields);

  for (const key of seed.apiKeys) {
    const row = {
      tenantId,
      name: key.name,
      keyHash: await sha256Hex(key.key),
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
