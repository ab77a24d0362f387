// Load through the local gateway, bounded to run in `npm test`: a few hundred requests at concurrency 32
// in both modes with no error, and the rate limiter admitting exactly its budget under a concurrent
// burst. The bench (scripts/bench/run.ts) runs the full sizes: 2,000 requests, and a budget of 500
// against 600 requests.
import { afterAll, beforeAll, expect, test } from "vitest";
import type { LocalGateway } from "../local-gateway/gateway";
import { limiterBurst, runLoad } from "../bench/load";
import { recordedRequests } from "../fake-upstream/client";
import { marker, startTestGateway, upstreamUrl } from "./harness";

const LOAD_KEY = "sk-load-test-0000000000000000000";
const LIMITED_KEY = "sk-load-limited-0000000000000000";
const BUDGET = 150;
const TOOL = { type: "function", function: { name: "lookup", parameters: { type: "object", properties: {} } } };

let gateway: LocalGateway;
beforeAll(async () => {
  gateway = await startTestGateway({
    tenants: [
      {
        slug: "load",
        name: "Load",
        apiKeys: [{ name: "main", key: LOAD_KEY }],
        agents: [{ slug: "bot", model: "gpt-4o-mini" }],
        policy: { requestsPerMinute: 1_000_000, tokensPerMinute: 1_000_000_000 },
      },
      {
        slug: "limited",
        name: "Limited",
        // The key's own limit is far above the tenant's, so the tenant's budget is the one measured.
        apiKeys: [{ name: "main", key: LIMITED_KEY, requestsPerMinute: 1_000_000 }],
        agents: [{ slug: "bot", model: "gpt-4o-mini" }],
        policy: { requestsPerMinute: BUDGET, tokensPerMinute: 1_000_000_000 },
      },
    ],
  });
});
afterAll(() => gateway.close());

test("300 requests at concurrency 32, both modes, streamed and not: all 200, every stream complete", async () => {
  const tag = marker();
  const result = await runLoad({
    baseUrl: gateway.baseUrl,
    key: LOAD_KEY,
    total: 300,
    concurrency: 32,
    body: (index) => ({
      model: "bot",
      ...(index % 2 === 0 ? { tools: [TOOL] } : {}),
      stream: index % 4 < 2,
      messages: [{ role: "user", content: `[[words:5]] ${tag} ${index}` }],
    }),
  });
  expect(result.statuses).toEqual({ 200: 300 });
  expect(result.failures).toEqual([]);
  expect(await recordedRequests(upstreamUrl(), tag)).toHaveLength(300);
}, 60_000);

test(`a burst of ${BUDGET + 50} concurrent requests against a budget of ${BUDGET} per minute: exactly the budget admitted, the rest 429`, async () => {
  const tag = marker();
  const result = await limiterBurst({
    baseUrl: gateway.baseUrl,
    key: LIMITED_KEY,
    budget: BUDGET,
    count: BUDGET + 50,
    body: { model: "bot", tools: [TOOL], messages: [{ role: "user", content: `[[words:1]] ${tag}` }] },
    windowMarginMs: 10_000,
  });
  expect(result.other).toEqual({});
  expect(result.windowSpreadMs, "one window held the whole burst").toBeLessThan(30_000);
  expect(result.admitted).toBe(result.expectedAdmitted);
  expect(result.limited).toBe(BUDGET + 50 - result.expectedAdmitted);
  // Only admitted requests reached the upstream: the probe and the burst's admitted ones.
  expect(await recordedRequests(upstreamUrl(), tag)).toHaveLength(result.admitted + 1);
}, 60_000);
