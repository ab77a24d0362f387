// The audit log: denials, PII redactions and key lifecycle events. Rows name categories, counts and
// codes, never request content, PII values or keys.
import { v, type Infer } from "convex/values";
import type { Doc, Id } from "../_generated/dataModel";
import type { GatewayError } from "../openai/errors";
import type { MutationCtx } from "../_generated/server";

export const auditEvent = v.union(
  v.literal("request_denied"),
  v.literal("pii_redacted"),
  v.literal("key_created"),
  v.literal("key_disabled"),
  v.literal("key_expired"),
  v.literal("key_rotated"),
);
export type AuditEvent = Infer<typeof auditEvent>;

export interface AuditEntry {
  tenantId: Id<"tenants"> | null;
  event: AuditEvent;
  apiKeyId?: Id<"apiKeys">;
  requestId?: string;
  /** For denials: the error code returned. */
  code?: string;
  /** For PII: how many values of each category were found. */
  piiCounts?: Record<string, number>;
  /** A short human-readable note with no request content in it. */
  detail?: string;
}

export async function audit(ctx: MutationCtx, entry: AuditEntry, now: number): Promise<void> {
  await ctx.db.insert("auditEvents", { ...entry, at: now });
}

/** Records a refused request under the key's tenant (or no tenant, for an unknown key). */
export async function auditDenial(
  ctx: MutationCtx,
  denial: { key: Doc<"apiKeys"> | null; requestId: string; error: GatewayError; detail?: string },
  now: number,
): Promise<void> {
  const { key, requestId, error, detail } = denial;
  await audit(
    ctx,
    {
      tenantId: key?.tenantId ?? null,
      event: "request_denied",
      ...(key ? { apiKeyId: key._id } : {}),
      requestId,
      code: error.code,
      ...(detail ? { detail } : {}),
    },
    now,
  );
}
