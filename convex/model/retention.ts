// Data retention: each tenant's conversations (with their messages), audit events and request log rows are deleted once
// they are older than the tenant's `policy.retentionDays` (DEFAULT_RETENTION_DAYS when unset). A
// conversation's age is its last activity (`updatedAt`), so an active conversation is kept whole. Run
// by a cron (convex/crons.ts) as a chain of bounded transactions: one tenant at a time, at most
// RETENTION_BATCH deletions and READ_BUDGET_BYTES read per transaction, each transaction scheduling
// the next; old rows are found through time indexes, never by scanning.
import { getDocumentSize, v } from "convex/values";
import { internalMutation, type MutationCtx } from "../_generated/server";
import type { Doc } from "../_generated/dataModel";
import { internal } from "../_generated/api";

export const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Rows deleted per transaction (Convex allows 16,000 written). */
export const RETENTION_BATCH = 200;
/** Bytes read per transaction, kept well under Convex's 16 MiB even if every row read is the 1 MiB maximum. */
const READ_BUDGET_BYTES = 12 * 1024 * 1024;
const MAX_DOCUMENT_BYTES = 1024 * 1024;

export function retentionCutoff(policy: Doc<"tenants">["policy"], now: number): number {
  return now - (policy.retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_MS;
}

/** One step of a sweep: a batch of one tenant's expired rows, then the next step is scheduled. */
export const sweep = internalMutation({
  args: {
    /** The tenant page to work on (null: the first tenant). */
    cursor: v.union(v.string(), v.null()),
    /** The sweep's clock, fixed by its first step so every batch uses the same cutoff. */
    now: v.optional(v.number()),
  },
  returns: v.null(),
  handler: async (ctx, { cursor, now = Date.now() }) => {
    const { page, isDone, continueCursor } = await ctx.db.query("tenants").paginate({ cursor, numItems: 1 });
    const tenant = page[0];
    if (tenant !== undefined && !(await deleteExpired(ctx, tenant, now))) {
      // This tenant has more to delete: the same tenant again, in a fresh transaction.
      await ctx.scheduler.runAfter(0, internal.model.retention.sweep, { cursor, now });
    } else if (!isDone) {
      await ctx.scheduler.runAfter(0, internal.model.retention.sweep, { cursor: continueCursor, now });
    }
    return null;
  },
});

/** Deletes one bounded batch of the tenant's expired rows; true when nothing expired is left. */
export async function deleteExpired(ctx: MutationCtx, tenant: Doc<"tenants">, now: number): Promise<boolean> {
  const cutoff = retentionCutoff(tenant.policy, now);
  const batch = new Batch();

  // Audit events and request log rows are small (no request content), so these take a whole batch's count.
  for (const table of ["auditEvents", "requestLog"] as const) {
    const rows = await ctx.db
      .query(table)
      .withIndex("by_tenantId_and_at", (q) => q.eq("tenantId", tenant._id).lt("at", cutoff))
      .take(RETENTION_BATCH - batch.deleted);
    for (const row of rows) {
      batch.read(row);
      await ctx.db.delete(table, row._id);
      batch.deleted++;
    }
    if (batch.full()) return false;
  }

  const asked = RETENTION_BATCH - batch.deleted;
  const conversations = await ctx.db
    .query("conversations")
    .withIndex("by_tenantId_and_updatedAt", (q) => q.eq("tenantId", tenant._id).lt("updatedAt", cutoff))
    .take(asked);
  for (const conversation of conversations) {
    batch.read(conversation);
    if (!(await deleteMessages(ctx, conversation, batch))) return false;
    await ctx.db.delete("conversations", conversation._id);
    batch.deleted++;
    if (batch.full()) return false;
  }
  return conversations.length < asked;
}

/** Deletes the conversation's messages within the batch's bounds; true when none is left. */
async function deleteMessages(ctx: MutationCtx, conversation: Doc<"conversations">, batch: Batch): Promise<boolean> {
  for (;;) {
    const size = batch.pageSize();
    if (size === 0) return false;
    const messages = await ctx.db
      .query("messages")
      .withIndex("by_conversationId_and_position", (q) => q.eq("conversationId", conversation._id))
      .take(size);
    for (const message of messages) {
      batch.read(message);
      await ctx.db.delete("messages", message._id);
      batch.deleted++;
    }
    if (messages.length < size) return true;
  }
}

/** What one transaction has used of its bounds. */
class Batch {
  deleted = 0;
  private bytesRead = 0;

  read(document: Doc<"auditEvents"> | Doc<"requestLog"> | Doc<"conversations"> | Doc<"messages">): void {
    this.bytesRead += getDocumentSize(document);
  }

  full(): boolean {
    return this.pageSize() === 0;
  }

  /** The most rows the next read may take: within the deletion budget, and within the byte budget even at 1 MiB a row. */
  pageSize(): number {
    const byBytes = Math.floor((READ_BUDGET_BYTES - this.bytesRead) / MAX_DOCUMENT_BYTES);
    return Math.max(0, Math.min(RETENTION_BATCH - this.deleted, byBytes));
  }
}
