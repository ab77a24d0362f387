// Queries the agent's tools use: the tenant's knowledge documents (a search index filtered by tenant,
// so one tenant's documents are never another's results) and a webhook tool's URL and secret.
import { v } from "convex/values";
import { internalQuery } from "../_generated/server";

const MAX_RESULTS = 5;
const SNIPPET_LENGTH = 240;

export const search = internalQuery({
  args: { tenantId: v.id("tenants"), query: v.string() },
  returns: v.array(v.object({ title: v.string(), snippet: v.string() })),
  handler: async (ctx, { tenantId, query }) => {
    const documents = await ctx.db
      .query("documents")
      .withSearchIndex("search_text", (q) => q.search("text", query).eq("tenantId", tenantId))
      .take(MAX_RESULTS);
    return documents.map((document) => ({ title: document.title, snippet: snippet(document.text, query) }));
  },
});

/** The passage around the first query word found, so the model can quote it. */
function snippet(text: string, query: string): string {
  const lower = text.toLowerCase();
  const hit = query
    .toLowerCase()
    .split(/\W+/)
    .filter((word) => word.length > 2)
    .map((word) => lower.indexOf(word))
    .filter((index) => index >= 0)
    .sort((a, b) => a - b)[0];
  const start = Math.max(0, (hit ?? 0) - SNIPPET_LENGTH / 4);
  const passage = text.slice(start, start + SNIPPET_LENGTH);
  return `${start > 0 ? "..." : ""}${passage}${start + SNIPPET_LENGTH < text.length ? "..." : ""}`;
}

export const webhookTarget = internalQuery({
  args: { tenantId: v.id("tenants"), name: v.string() },
  returns: v.union(v.object({ url: v.string(), secret: v.string() }), v.null()),
  handler: async (ctx, { tenantId, name }) => {
    const tool = await ctx.db
      .query("webhookTools")
      .withIndex("by_tenantId_and_name", (q) => q.eq("tenantId", tenantId).eq("name", name))
      .unique();
    return tool ? { url: tool.url, secret: tool.secret } : null;
  },
});
