// The sharded token allowances: a charge never takes more than the allowance, is refused only when the
// whole allowance is short (never because of how it is split), and reconciles with the shards it took.
import { describe, expect, test } from "vitest";
import type { Id } from "../_generated/dataModel";
import { startGateway, type Gateway } from "../testing/harness.testing";
import { applyCharge, planCharge, reconcileCharge, TOKEN_SHARDS, windowOf, type Charges } from "./tokenShards";

const NOW = Date.UTC(2026, 10, 30, 9, 30, 15);

async function tenantOf(t: Gateway): Promise<Id<"tenants">> {
  return await t.run(async (ctx) => (await ctx.db.query("tenants").first())!._id);
}

/** Plans and, when it fits, applies a charge; returns where it went, or null when refused. */
async function charge(t: Gateway, tenantId: Id<"tenants">, allowance: number | null, estimate: number, now = NOW): Promise<Charges | null> {
  return await t.run(async (ctx) => {
    const plan = await planCharge(ctx, tenantId, "month", allowance, estimate, now);
    return plan.ok ? await applyCharge(ctx, plan, now) : null;
  });
}

/** What each shard holds in the month `now` falls in. */
async function used(t: Gateway, tenantId: Id<"tenants">, now = NOW): Promise<number[]> {
  return await t.run(async (ctx) => {
    const shards = await ctx.db.query("tokenShards").collect();
    const current = (shard: number) => shards.find((row) => row.tenantId === tenantId && row.shard === shard && row.window === windowOf("month", now));
    return Array.from({ length: TOKEN_SHARDS }, (_, shard) => current(shard)?.used ?? 0);
  });
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

describe("sharded token allowances", () => {
  test("a charge larger than one shard's part spreads over several; only a short whole allowance refuses", async () => {
    const t = await startGateway();
    const tenantId = await tenantOf(t);
    // 800 tokens: 100 per shard.
    expect((await charge(t, tenantId, 800, 350))!.shards.length).toBeGreaterThanOrEqual(4);
    expect(await charge(t, tenantId, 800, 450)).not.toBeNull();
    expect(sum(await used(t, tenantId))).toBe(800);
    expect(Math.max(...(await used(t, tenantId)))).toBeLessThanOrEqual(100);
    expect(await charge(t, tenantId, 800, 1)).toBeNull();
  });

  test("small charges go to one shard each, and stay balanced", async () => {
    const t = await startGateway();
    const tenantId = await tenantOf(t);
    for (let index = 0; index < 80; index++) expect((await charge(t, tenantId, 8000, 10))!.shards).toHaveLength(1);
    const shards = await used(t, tenantId);
    expect(sum(shards)).toBe(800);
    // Two choices, the roomier charged: no shard is far from the mean of 100.
    expect(Math.max(...shards)).toBeLessThanOrEqual(150);
  });

  test("reconciliation gives an over-estimate back to the shards it came from, and charges usage past it", async () => {
    const t = await startGateway();
    const tenantId = await tenantOf(t);
    const charged = (await charge(t, tenantId, 800, 350))!;
    await t.run((ctx) => reconcileCharge(ctx, tenantId, "month", charged, 50, NOW));
    const after = await used(t, tenantId);
    expect(sum(after)).toBe(50);
    const chargedShards = new Set(charged.shards.map(({ shard }) => shard));
    after.forEach((value, shard) => {
      if (!chargedShards.has(shard)) expect(value).toBe(0);
    });
    const small = (await charge(t, tenantId, 800, 20))!;
    await t.run((ctx) => reconcileCharge(ctx, tenantId, "month", small, 70, NOW));
    expect(sum(await used(t, tenantId))).toBe(120);
  });

  test("a budget raised mid-month applies at once: what was used is kept, not what was left", async () => {
    const t = await startGateway();
    const tenantId = await tenantOf(t);
    expect(await charge(t, tenantId, 800, 700)).not.toBeNull();
    expect(await charge(t, tenantId, 800, 200)).toBeNull();
    expect(await charge(t, tenantId, 1600, 900)).not.toBeNull();
  });

  test("a new month starts empty; a reservation from the last month gives nothing back to it", async () => {
    const t = await startGateway();
    const tenantId = await tenantOf(t);
    const lastMonth = (await charge(t, tenantId, 800, 800))!;
    const nextMonth = Date.UTC(2026, 11, 1, 0, 0, 1);
    expect(await charge(t, tenantId, 800, 100, nextMonth)).not.toBeNull();
    await t.run((ctx) => reconcileCharge(ctx, tenantId, "month", lastMonth, 10, nextMonth));
    expect(sum(await used(t, tenantId, nextMonth))).toBe(100);
  });
});
