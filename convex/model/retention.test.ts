// Retention on the store: a sweep deletes each tenant's conversations (with their messages) idle past
// its retentionDays and its audit events older than that, in bounded batches that schedule the next
// one, keeps everything younger, and leaves a tenant with a longer retention untouched.
import { describe, expect, test } from "vitest";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { postChat, startGateway, type Gateway } from "../testing/harness.testing";
import { GLOBEX_KEY, TEST_SEED } from "../testing/seed.testing";
import { meterOf } from "../testing/convexLimits/convexLimits.testing";
import { DEFAULT_RETENTION_DAYS, RETENTION_BATCH } from "./retention";

const DAY_MS = 24 * 60 * 60 * 1000;

async function tenantId(t: Gateway, slug: string): Promise<Id<"tenants">> {
  return t.run(async (ctx) => (await ctx.db.query("tenants").withIndex("by_slug", (q) => q.eq("slug", slug)).unique())!._id);
}

/** A stored conversation of two messages (the request's turn and the reply), idle since `idleSince`. */
async function conversation(t: Gateway, key: string | undefined, model: string, idleSince: number): Promise<Id<"conversations">> {
  const response = await postChat(t, { model, tools: [{ type: "function", function: { name: "noop" } }], messages: [{ role: "user", content: "[[words:2]] hello" }] }, key ? { key } : {});
  expect(response.status).toBe(200);
  await response.json();
  const id = response.headers.get("x-conversation-id") as Id<"conversations">;
  await t.run((ctx) => ctx.db.patch("conversations", id, { updatedAt: idleSince }));
  return id;
}

async function auditAt(t: Gateway, tenant: Id<"tenants">, at: number, count: number): Promise<void> {
  await t.run(async (ctx) => {
    for (let index = 0; index < count; index++) await ctx.db.insert("auditEvents", { tenantId: tenant, at, event: "request_denied", code: "model_not_found" });
  });
}

async function messagesOf(t: Gateway, id: Id<"conversations">) {
  return t.run((ctx) => ctx.db.query("messages").withIndex("by_conversationId_and_position", (q) => q.eq("conversationId", id)).collect());
}

async function sweepsPending(t: Gateway): Promise<boolean> {
  const jobs = await t.run((ctx) => ctx.db.system.query("_scheduled_functions").collect());
  return jobs.some((job) => job.name === "model/retention:sweep" && (job.state.kind === "pending" || job.state.kind === "inProgress"));
}

describe("retention", () => {
  test("a sweep deletes what is past each tenant's retention, in bounded batches, and keeps the rest", async () => {
    const seed = structuredClone(TEST_SEED) as unknown as { tenants: Array<Record<string, unknown>> };
    seed.tenants[1]!.policy = { retentionDays: 365 };
    const t = await startGateway(seed);
    const now = Date.now();
    const acme = await tenantId(t, "acme");
    const globex = await tenantId(t, "globex");
    const old = now - (DEFAULT_RETENTION_DAYS + 10) * DAY_MS;
    const recent = now - (DEFAULT_RETENTION_DAYS - 1) * DAY_MS;

    const acmeOld = await conversation(t, undefined, "support", old);
    const acmeRecent = await conversation(t, undefined, "support", recent);
    const globexOld = await conversation(t, GLOBEX_KEY, "sales", old);
    expect((await messagesOf(t, acmeOld)).length).toBe(2);
    // More expired audit events than one batch deletes.
    await auditAt(t, acme, old, RETENTION_BATCH + 50);
    await auditAt(t, acme, recent, 3);
    await auditAt(t, globex, old, 4);
    const auditOf = (tenant: Id<"tenants">) =>
      t.run((ctx) => ctx.db.query("auditEvents").withIndex("by_tenantId_and_at", (q) => q.eq("tenantId", tenant)).collect());
    const acmeAuditBefore = (await auditOf(acme)).length;

    const meter = meterOf(t);
    const mark = meter.mark();
    await t.mutation(internal.model.retention.sweep, { cursor: null, now });
    // The first transaction stops at the batch bound and schedules the next.
    expect((await auditOf(acme)).length).toBe(acmeAuditBefore - RETENTION_BATCH);
    for (let attempt = 0; attempt < 200 && (await sweepsPending(t)); attempt++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await sweepsPending(t)).toBe(false);

    // acme: everything past 30 days is gone, the rest kept.
    expect((await auditOf(acme)).every((event) => event.at >= recent)).toBe(true);
    expect((await auditOf(acme)).filter((event) => event.at === recent)).toHaveLength(3);
    expect(await t.run((ctx) => ctx.db.get("conversations", acmeOld))).toBeNull();
    expect(await messagesOf(t, acmeOld)).toEqual([]);
    expect(await t.run((ctx) => ctx.db.get("conversations", acmeRecent))).not.toBeNull();
    expect((await messagesOf(t, acmeRecent)).length).toBe(2);
    // globex keeps a year: its 40-day-old rows stay.
    expect(await t.run((ctx) => ctx.db.get("conversations", globexOld))).not.toBeNull();
    expect((await messagesOf(t, globexOld)).length).toBe(2);
    expect((await auditOf(globex)).filter((event) => event.at === old)).toHaveLength(4);

    // Every batch found its rows through the time indexes: it read about what it deleted (each row
    // once by its query and once by its delete), never the tables.
    const sweeps = meter.since(mark).filter((call) => call.path === "model/retention:sweep");
    expect(sweeps.length).toBeGreaterThanOrEqual(3);
    for (const sweep of sweeps) {
      expect(sweep.documentsWritten).toBeLessThanOrEqual(RETENTION_BATCH);
      expect(sweep.documentsRead).toBeLessThanOrEqual(2 * sweep.documentsWritten + 4);
    }
  });

  test("the cron runs the sweep hourly from the first tenant", async () => {
    const crons = (await import("../crons")).default as unknown as { crons: Record<string, { name: string; args: unknown[]; schedule: unknown }> };
    expect(Object.values(crons.crons)).toEqual([
      { name: "model/retention:sweep", args: [{ cursor: null }], schedule: { type: "interval", hours: 1 } },
    ]);
  });
});
