// Key management for operators (`npx convex run admin/keys:<name>`): create, list, disable, expire
// and rotate. A key is shown once, when created; only its SHA-256 and a display prefix are stored.
// Key material is generated in actions, where randomness is not replayed like a mutation's. Every
// key value is unique across the deployment. Refusals are typed: ConvexError({ code, param, message })
// with the API's codes (invalid_value: 400, not_found: 404), so an HTTP layer maps them by code.
import { ConvexError, v } from "convex/values";
import { internalAction, internalMutation, internalQuery, type MutationCtx, type QueryCtx } from "../_generated/server";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import { keyPrefix, sha256Hex } from "../model/keys";
import { audit, unknownKeyDenialsByHour } from "../model/audit";
import type { ErrorCode } from "../openai/errors";

/** A refused operator call, naming the field at fault (`param`). */
export function adminError(code: Extract<ErrorCode, "invalid_value" | "not_found">, param: string | null, message: string) {
  return new ConvexError({ code, param, message });
}

/** The longest grace period a rotated key may keep working: 30 days. */
export const MAX_GRACE_SECONDS = 30 * 24 * 3600;

/** The longest key name, and the most agents one key may list. */
export const MAX_KEY_NAME_LENGTH = 100;
export const MAX_KEY_AGENTS = 100;

function checkKeySettings(args: { name: string; agents?: string[]; expiresAt?: number | null; requestsPerMinute?: number }): void {
  if (args.name.trim() === "" || args.name.length > MAX_KEY_NAME_LENGTH) {
    throw adminError("invalid_value", "name", `name must be 1 to ${MAX_KEY_NAME_LENGTH} characters.`);
  }
  if (args.agents !== undefined && (args.agents.length > MAX_KEY_AGENTS || args.agents.some((agent) => agent.trim() === ""))) {
    throw adminError("invalid_value", "agents", `agents must be up to ${MAX_KEY_AGENTS} agent slugs or model ids ("*" for all).`);
  }
  if (args.expiresAt != null && !(Number.isFinite(args.expiresAt) && args.expiresAt >= 0)) {
    throw adminError("invalid_value", "expiresAt", "expiresAt must be a time (epoch milliseconds) or null.");
  }
  if (args.requestsPerMinute !== undefined && !(Number.isInteger(args.requestsPerMinute) && args.requestsPerMinute > 0)) {
    throw adminError("invalid_value", "requestsPerMinute", "requestsPerMinute must be a positive whole number.");
  }
}

function checkGraceSeconds(graceSeconds: number): void {
  if (!Number.isFinite(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) {
    throw adminError("invalid_value", "graceSeconds", `graceSeconds must be a number of seconds from 0 to ${MAX_GRACE_SECONDS} (30 days); got ${graceSeconds}.`);
  }
}

const KEY_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** 48 characters of a 62-letter alphabet: about 285 bits. */
const KEY_LENGTH = 48;

function generateKey(): string {
  // Rejection sampling keeps every character uniformly likely.
  const characters: string[] = [];
  while (characters.length < KEY_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(KEY_LENGTH))) {
      if (byte < 248 && characters.length < KEY_LENGTH) characters.push(KEY_ALPHABET[byte % 62]!);
    }
  }
  return `sk-gw-${characters.join("")}`;
}

const keySettings = {
  agents: v.optional(v.array(v.string())),
  expiresAt: v.optional(v.union(v.number(), v.null())),
  requestsPerMinute: v.optional(v.number()),
};

const keySummary = v.object({
  name: v.string(),
  prefix: v.string(),
  agents: v.array(v.string()),
  expiresAt: v.union(v.number(), v.null()),
  disabled: v.boolean(),
  requestsPerMinute: v.union(v.number(), v.null()),
  createdAt: v.number(),
  lastUsedAt: v.union(v.number(), v.null()),
});

export async function tenantBySlug(ctx: QueryCtx, slug: string): Promise<Doc<"tenants">> {
  const tenant = await ctx.db
    .query("tenants")
    .withIndex("by_slug", (q) => q.eq("slug", slug))
    .unique();
  if (tenant === null) throw adminError("not_found", "tenant", `No tenant '${slug}'.`);
  return tenant;
}

async function keyByName(ctx: QueryCtx, tenant: Doc<"tenants">, name: string): Promise<Doc<"apiKeys">> {
  const key = await ctx.db
    .query("apiKeys")
    .withIndex("by_tenantId_and_name", (q) => q.eq("tenantId", tenant._id).eq("name", name))
    .unique();
  if (key === null) throw adminError("not_found", "name", `Tenant '${tenant.slug}' has no key named '${name}'.`);
  return key;
}

export const create = internalAction({
  args: { tenant: v.string(), name: v.string(), ...keySettings },
  returns: v.object({ name: v.string(), key: v.string(), prefix: v.string() }),
  handler: async (ctx, args): Promise<{ name: string; key: string; prefix: string }> => {
    // Checked before any key is made; `insert` checks again, as the transaction that changes anything.
    checkKeySettings(args);
    const key = generateKey();
    await ctx.runMutation(internal.admin.keys.insert, { ...args, keyHash: sha256Hex(key), prefix: keyPrefix(key) });
    return { name: args.name, key, prefix: keyPrefix(key) };
  },
});

export const insert = internalMutation({
  args: { tenant: v.string(), name: v.string(), keyHash: v.string(), prefix: v.string(), ...keySettings },
  returns: v.null(),
  handler: async (ctx, args) => {
    checkKeySettings(args);
    const tenant = await tenantBySlug(ctx, args.tenant);
    await insertKey(ctx, tenant, args);
    return null;
  },
});

async function insertKey(
  ctx: MutationCtx,
  tenant: Doc<"tenants">,
  args: { name: string; keyHash: string; prefix: string; agents?: string[]; expiresAt?: number | null; requestsPerMinute?: number },
): Promise<Id<"apiKeys">> {
  const clash = await ctx.db
    .query("apiKeys")
    .withIndex("by_tenantId_and_name", (q) => q.eq("tenantId", tenant._id).eq("name", args.name))
    .unique();
  if (clash) throw adminError("invalid_value", "name", `Tenant '${tenant.slug}' already has a key named '${args.name}'.`);
  const sameValue = await ctx.db
    .query("apiKeys")
    .withIndex("by_keyHash", (q) => q.eq("keyHash", args.keyHash))
    .first();
  if (sameValue) throw adminError("invalid_value", "key", "This key value is already in use; every key must be unique.");
  const now = Date.now();
  const apiKeyId = await ctx.db.insert("apiKeys", {
    tenantId: tenant._id,
    name: args.name,
    keyHash: args.keyHash,
    prefix: args.prefix,
    agents: args.agents ?? ["*"],
    expiresAt: args.expiresAt ?? null,
    disabled: false,
    ...(args.requestsPerMinute !== undefined ? { requestsPerMinute: args.requestsPerMinute } : {}),
    createdAt: now,
    lastUsedAt: null,
  });
  await audit(ctx, { tenantId: tenant._id, event: "key_created", apiKeyId, detail: `key '${args.name}' (${args.prefix})` }, now);
  return apiKeyId;
}

export const list = internalQuery({
  args: { tenant: v.string() },
  returns: v.array(keySummary),
  handler: async (ctx, args) => {
    const tenant = await tenantBySlug(ctx, args.tenant);
    const keys = await ctx.db
      .query("apiKeys")
      .withIndex("by_tenantId_and_name", (q) => q.eq("tenantId", tenant._id))
      .take(1000);
    return keys.map((key) => ({
      name: key.name,
      prefix: key.prefix,
      agents: key.agents,
      expiresAt: key.expiresAt,
      disabled: key.disabled,
      requestsPerMinute: key.requestsPerMinute ?? null,
      createdAt: key.createdAt,
      lastUsedAt: key.lastUsedAt,
    }));
  },
});

export const disable = internalMutation({
  args: { tenant: v.string(), name: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => {
    const tenant = await tenantBySlug(ctx, args.tenant);
    const key = await keyByName(ctx, tenant, args.name);
    await ctx.db.patch("apiKeys", key._id, { disabled: true });
    await audit(ctx, { tenantId: tenant._id, event: "key_disabled", apiKeyId: key._id, detail: `key '${key.name}' (${key.prefix})` }, Date.now());
    return null;
  },
});

export const expire = internalMutation({
  args: { tenant: v.string(), name: v.string(), at: v.optional(v.union(v.number(), v.string())) },
  returns: v.object({ expiresAt: v.number() }),
  handler: async (ctx, args) => {
    const tenant = await tenantBySlug(ctx, args.tenant);
    const key = await keyByName(ctx, tenant, args.name);
    const expiresAt = args.at === undefined ? Date.now() : typeof args.at === "number" ? args.at : Date.parse(args.at);
    if (Number.isNaN(expiresAt)) throw adminError("invalid_value", "at", `'${args.at}' is not an ISO 8601 date-time.`);
    await ctx.db.patch("apiKeys", key._id, { expiresAt });
    await audit(
      ctx,
      { tenantId: tenant._id, event: "key_expired", apiKeyId: key._id, detail: `key '${key.name}' expires ${new Date(expiresAt).toISOString()}` },
      Date.now(),
    );
    return { expiresAt };
  },
});

export const rotate = internalAction({
  args: { tenant: v.string(), name: v.string(), graceSeconds: v.optional(v.number()) },
  returns: v.object({ name: v.string(), key: v.string(), prefix: v.string(), previousExpiresAt: v.number() }),
  handler: async (ctx, args): Promise<{ name: string; key: string; prefix: string; previousExpiresAt: number }> => {
    // Checked before any key is made; `replace` checks again, as the transaction that changes anything.
    checkGraceSeconds(args.graceSeconds ?? 0);
    const key = generateKey();
    const previousExpiresAt: number = await ctx.runMutation(internal.admin.keys.replace, {
      tenant: args.tenant,
      name: args.name,
      graceSeconds: args.graceSeconds ?? 0,
      keyHash: sha256Hex(key),
      prefix: keyPrefix(key),
    });
    return { name: args.name, key, prefix: keyPrefix(key), previousExpiresAt };
  },
});

/**
 * The rotation's transaction: the old key is renamed, expires after the grace period and points to
 * its successor (`replacedBy`); a new key takes its name and settings.
 */
export const replace = internalMutation({
  args: { tenant: v.string(), name: v.string(), graceSeconds: v.number(), keyHash: v.string(), prefix: v.string() },
  returns: v.number(),
  handler: async (ctx, args) => {
    checkGraceSeconds(args.graceSeconds);
    const now = Date.now();
    const tenant = await tenantBySlug(ctx, args.tenant);
    const old = await keyByName(ctx, tenant, args.name);
    const expiresAt = Math.min(old.expiresAt ?? Infinity, now + args.graceSeconds * 1000);
    await ctx.db.patch("apiKeys", old._id, { name: `${old.name} (rotated ${new Date(now).toISOString()})`, expiresAt });
    const successor = await insertKey(ctx, tenant, {
      name: old.name,
      keyHash: args.keyHash,
      prefix: args.prefix,
      agents: old.agents,
      expiresAt: old.expiresAt,
      ...(old.requestsPerMinute !== undefined ? { requestsPerMinute: old.requestsPerMinute } : {}),
    });
    await ctx.db.patch("apiKeys", old._id, { replacedBy: successor });
    await audit(
      ctx,
      { tenantId: tenant._id, event: "key_rotated", apiKeyId: old._id, detail: `key '${old.name}' (${old.prefix}) replaced by ${args.prefix}` },
      now,
    );
    return expiresAt;
  },
});

/** The most hours one report returns: the counters' 30-day retention. */
const MAX_REPORT_HOURS = 30 * 24;

/** Denials counted rather than audited row by row (unknown keys; refused keys past their limit), per hour, newest first. */
export const unknownKeyDenials = internalQuery({
  args: { since: v.optional(v.number()), hours: v.optional(v.number()) },
  returns: v.array(v.object({ hour: v.number(), rejected: v.number(), throttled: v.number(), lastAt: v.number() })),
  handler: (ctx, args) => {
    const hours = Number.isFinite(args.hours) ? Math.max(1, Math.min(Math.floor(args.hours!), MAX_REPORT_HOURS)) : 24;
    return unknownKeyDenialsByHour(ctx, args.since ?? 0, hours);
  },
});
