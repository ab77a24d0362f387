// Tenants for operators (`npx convex run admin/tenants:<name>`, and the admin API's /tenants routes):
// list, read (policy, agents, documents, webhook tools; never key values or webhook secrets), and
// create-or-replace one tenant from the seed's tenant object, validated by the same zod schema as a
// seed. Refusals are ConvexError({ code, param, message }) as in keys.ts.
import { getDocumentSize, v } from "convex/values";
import { internalMutation, internalQuery, type MutationCtx, type QueryCtx } from "../_generated/server";
import type { Doc } from "../_generated/dataModel";
import { policy } from "../model/validators";
import { joinPath } from "../openai/parseRequest";
import { adminError, tenantBySlug } from "./keys";
import { applyTenant } from "./seed";
import { MAX_PROVIDERS, seedSchema } from "./seedSchema";
import { pageArgs, pageOf } from "./pages";

/** The most agents, documents and webhook tools a tenant read returns (and `put` replaces) of each kind. */
export const MAX_TENANT_ROWS = 200;
/** Documents are read until this many bytes: a tenant's knowledge may hold documents of up to 1 MiB each. */
const DOCUMENT_READ_BYTES = 4 * 1024 * 1024;

const tenantSummary = v.object({ slug: v.string(), name: v.string(), policy });

const tenantDetail = v.object({
  slug: v.string(),
  name: v.string(),
  policy,
  agents: v.array(
    v.object({
      slug: v.string(),
      model: v.string(),
      fallbacks: v.array(v.string()),
      instructions: v.string(),
      tools: v.array(v.string()),
      temperature: v.union(v.number(), v.null()),
      maxOutputTokens: v.union(v.number(), v.null()),
    }),
  ),
  /** Titles and sizes; the text stays in the store. */
  documents: v.array(v.object({ title: v.string(), characters: v.number() })),
  /** The webhook's JSON Schema parameters as text (it may hold `$ref` keys); never the signing secret. */
  webhookTools: v.array(v.object({ name: v.string(), description: v.string(), url: v.string(), parameters: v.string() })),
  /** Whether a list stopped at MAX_TENANT_ROWS (or documents at their byte budget). */
  truncated: v.boolean(),
});

export const list = internalQuery({
  args: pageArgs,
  returns: v.object({ data: v.array(tenantSummary), nextCursor: v.union(v.string(), v.null()) }),
  handler: async (ctx, args) => {
    const page = await pageOf(ctx.db.query("tenants").withIndex("by_slug"), args);
    return { data: page.data.map(({ slug, name, policy }) => ({ slug, name, policy })), nextCursor: page.nextCursor };
  },
});

export const read = internalQuery({
  args: { tenant: v.string() },
  returns: tenantDetail,
  handler: async (ctx, args) => {
    const tenant = await tenantBySlug(ctx, args.tenant);
    const agents = await ctx.db
      .query("agents")
      .withIndex("by_tenantId_and_slug", (q) => q.eq("tenantId", tenant._id))
      .take(MAX_TENANT_ROWS + 1);
    const tools = await ctx.db
      .query("webhookTools")
      .withIndex("by_tenantId_and_name", (q) => q.eq("tenantId", tenant._id))
      .take(MAX_TENANT_ROWS + 1);
    const documents = await readDocuments(ctx, tenant);
    return {
      slug: tenant.slug,
      name: tenant.name,
      policy: tenant.policy,
      agents: agents.slice(0, MAX_TENANT_ROWS).map(({ slug, model, fallbacks, instructions, tools, temperature, maxOutputTokens }) => ({ slug, model, fallbacks: fallbacks ?? [], instructions, tools, temperature, maxOutputTokens })),
      documents: documents.rows.map(({ title, text }) => ({ title, characters: text.length })),
      webhookTools: tools.slice(0, MAX_TENANT_ROWS).map(({ name, description, url, parameters }) => ({ name, description, url, parameters })),
      truncated: agents.length > MAX_TENANT_ROWS || tools.length > MAX_TENANT_ROWS || documents.truncated,
    };
  },
});

/** The tenant's documents by title, up to MAX_TENANT_ROWS and DOCUMENT_READ_BYTES. */
async function readDocuments(ctx: QueryCtx, tenant: Doc<"tenants">): Promise<{ rows: Doc<"documents">[]; truncated: boolean }> {
  const rows: Doc<"documents">[] = [];
  let bytes = 0;
  const byTitle = ctx.db.query("documents").withIndex("by_tenantId_and_title", (q) => q.eq("tenantId", tenant._id));
  for await (const document of byTitle) {
    if (rows.length === MAX_TENANT_ROWS || bytes > DOCUMENT_READ_BYTES) return { rows, truncated: true };
    bytes += getDocumentSize(document);
    rows.push(document);
  }
  return { rows, truncated: false };
}

/**
 * Creates or replaces one tenant: name, policy, agents, documents and webhook tools become exactly
 * what the object says (rows it does not name are deleted, up to MAX_TENANT_ROWS of each kind); its
 * API keys are kept as they are (`apiKeys` in the object is ignored: keys are managed with keys.ts).
 * `tenant` is the seed's tenant object, or its JSON text (JSON Schema in webhook tools may hold `$ref`).
 */
export const put = internalMutation({
  args: { slug: v.string(), tenant: v.any() },
  returns: v.object({ slug: v.string(), created: v.boolean() }),
  handler: async (ctx, args) => {
    const input = typeof args.tenant === "string" ? parseJson(args.tenant) : args.tenant;
    if (typeof input !== "object" || input === null || Array.isArray(input)) throw adminError("invalid_value", null, "The tenant must be a JSON object.");
    const given = (input as { slug?: unknown }).slug;
    if (given !== undefined && given !== args.slug) throw adminError("invalid_value", "slug", `The body's slug '${String(given)}' is not the path's '${args.slug}'.`);
    // Agents and allowed models may name the deployment's providers, which the seed stored.
    const providers = (await ctx.db.query("providers").take(MAX_PROVIDERS)).map(({ _id, _creationTime, ...provider }) => provider);
    const parsed = seedSchema.safeParse({ providers, tenants: [{ ...input, slug: args.slug, apiKeys: [] }] });
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ param: joinPath(issue.path.slice(2)) || null, message: issue.message }));
      const message = issues.map((issue) => `${issue.param ?? "(tenant)"}: ${issue.message}`).join("; ");
      throw adminError("invalid_value", issues[0]?.param ?? null, `Invalid tenant: ${message}`);
    }
    const seed = parsed.data.tenants[0]!;
    const existed = (await ctx.db.query("tenants").withIndex("by_slug", (q) => q.eq("slug", args.slug)).unique()) !== null;
    const tenantId = await applyTenant(ctx, seed, 0, new Map());
    await removeUnnamed(ctx, tenantId, seed);
    return { slug: args.slug, created: !existed };
  },
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw adminError("invalid_value", null, "The tenant is not valid JSON.");
  }
}

/** Deletes the tenant's agents, documents and webhook tools the object does not name. */
async function removeUnnamed(ctx: MutationCtx, tenantId: Doc<"tenants">["_id"], seed: { agents: { slug: string }[]; documents: { title: string }[]; webhookTools: { name: string }[] }) {
  const agents = new Set(seed.agents.map((agent) => agent.slug));
  for (const agent of await ctx.db.query("agents").withIndex("by_tenantId_and_slug", (q) => q.eq("tenantId", tenantId)).take(MAX_TENANT_ROWS)) {
    if (!agents.has(agent.slug)) await ctx.db.delete("agents", agent._id);
  }
  const titles = new Set(seed.documents.map((document) => document.title));
  const documents = ctx.db.query("documents").withIndex("by_tenantId_and_title", (q) => q.eq("tenantId", tenantId));
  let bytes = 0;
  let read = 0;
  for await (const document of documents) {
    if (++read > MAX_TENANT_ROWS || bytes > DOCUMENT_READ_BYTES) break;
    bytes += getDocumentSize(document);
    if (!titles.has(document.title)) await ctx.db.delete("documents", document._id);
  }
  const tools = new Set(seed.webhookTools.map((tool) => tool.name));
  for (const tool of await ctx.db.query("webhookTools").withIndex("by_tenantId_and_name", (q) => q.eq("tenantId", tenantId)).take(MAX_TENANT_ROWS)) {
    if (!tools.has(tool.name)) await ctx.db.delete("webhookTools", tool._id);
  }
}
