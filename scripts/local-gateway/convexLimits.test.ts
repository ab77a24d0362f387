// The local gateway runs its Convex functions under Convex's limits and meters them: a chat request
// shows up in the meter as its HTTP action and the transactions it ran, with their reads and writes.
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestGateway, ACME_KEY } from "../e2e/harness";
import { usage } from "../../convex/testing/convexLimits/convexLimits.testing";
import type { LocalGateway } from "./gateway";

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
