// The local gateway does what a deployment does by itself: its retention cron runs on schedule, and
// finished scheduled-function records are dropped, so the store does not grow with every request.
import { expect, test } from "vitest";
import { ACME_KEY } from "../e2e/harness";
import { TEST_SEED } from "../../convex/testing/seed.testing";
import { startLocalGateway, type LocalGateway } from "./gateway";
import { dropFinishedJobs } from "./maintenance";

async function chat(gateway: LocalGateway): Promise<string> {
  const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${ACME_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "support", messages: [{ role: "user", content: "hello" }] }),
  });
  expect(response.status).toBe(200);
  await response.json();
  return response.headers.get("x-conversation-id")!;
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("the retention cron runs on its schedule: a conversation past the tenant's retention is deleted", async () => {
  const seed = structuredClone(TEST_SEED);
  // About 0.9 s of retention, and the hourly sweep compressed to every 200 ms.
  seed.tenants[0]!.policy = { ...seed.tenants[0]!.policy!, retentionDays: 1e-5 } as typeof seed.tenants[0]["policy"];
  const gateway = await startLocalGateway({ port: 0, seed: JSON.stringify(seed), maintenance: { sweepEveryMs: 200 } });
  try {
    const id = await chat(gateway);
    const exists = () => gateway.convex.run(async (ctx) => (await ctx.db.get("conversations", id as never)) !== null);
    expect(await exists()).toBe(true);
    await until(async () => !(await exists()));
  } finally {
    await gateway.close();
  }
});

test("finished scheduled-function records are dropped, pending ones kept", async () => {
  const gateway = await startLocalGateway({ port: 0, seed: JSON.stringify(TEST_SEED) });
  try {
    await chat(gateway);
    const jobs = () => gateway.convex.run(async (ctx) => (await ctx.db.system.query("_scheduled_functions").collect()).map((job) => job.state.kind));
    // The agent run has finished (and cancelled its expiry check) once the reply is stored.
    await until(async () => (await jobs()).includes("success"));
    const dropped = await dropFinishedJobs(gateway.convex, 0);
    expect(dropped).toBeGreaterThan(0);
    expect((await jobs()).every((state) => state === "pending" || state === "inProgress")).toBe(true);
  } finally {
    await gateway.close();
  }
});
