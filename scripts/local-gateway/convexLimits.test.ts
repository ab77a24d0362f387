// The local gateway runs its Convex functions under Convex's limits and meters them: a chat request
// shows up in the meter as its HTTP action and the transactions it ran, with their reads and writes;
// GATEWAY_CONVEX_LIMITS=0 keeps the meter and enforces nothing.
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestGateway, ACME_KEY } from "../e2e/harness";
import { internal } from "../../convex/_generated/api";
import { TEST_SEED } from "../../convex/testing/seed.testing";
import { usage } from "../../convex/testing/convexLimits/convexLimits.testing";
import { startLocalGateway, type LocalGateway } from "./gateway";

let gateway: LocalGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

test("a chat request is metered call by call, under the limits, and its writes are listed", async () => {
  const mark = gateway.meter.mark();
  const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${ACME_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "support", messages: [{ role: "user", content: "hello" }] }),
  });
  expect(response.status).toBe(200);
  await response.json();
  const calls = gateway.meter.since(mark);
  const [http] = calls;
  expect(http).toMatchObject({ kind: "httpAction", path: "POST /api/v1/chat/completions", parent: null });
  expect(calls.every((call) => call.request === http!.id)).toBe(true);
  const total = usage(calls);
  expect(total.byKind.mutation).toBeGreaterThan(0);
  expect(total.documentsWritten).toBeGreaterThan(0);
  expect(calls.some((call) => call.writes.has(response.headers.get("x-conversation-id")!))).toBe(true);
  expect(gateway.meter.violations).toEqual([]);
});

test("GATEWAY_CONVEX_LIMITS=0 turns enforcement off; by default a 17 MiB argument fails as on a deployment", async () => {
  const oversized = { seed: "x".repeat(17 * 1024 * 1024) };
  await expect(gateway.convex.mutation(internal.admin.seed.apply, oversized)).rejects.toThrow("[argumentsSize]");
  process.env.GATEWAY_CONVEX_LIMITS = "0";
  const unlimited = await startLocalGateway({ port: 0, seed: JSON.stringify(TEST_SEED) }).finally(() => delete process.env.GATEWAY_CONVEX_LIMITS);
  try {
    // The seed mutation itself now refuses the bad seed: no limit fired first.
    const refused = unlimited.convex.mutation(internal.admin.seed.apply, oversized);
    await expect(refused).rejects.toThrow();
    await expect(refused).rejects.not.toThrow("[argumentsSize]");
    expect(unlimited.meter.violations).toEqual([]);
    expect(unlimited.meter.calls.at(-1)).toMatchObject({ path: "admin/seed:apply", argumentsBytes: 17 * 1024 * 1024 + 2 + "seed".length + 1 + 2 });
  } finally {
    await unlimited.close();
  }
});
