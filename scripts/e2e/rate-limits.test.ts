// Rate-limit headers and 429s as the official openai SDK sees them (no retries, so the 429 surfaces).
import { afterAll, beforeAll, expect, test } from "vitest";
import OpenAI from "openai";
import type { LocalGateway } from "../local-gateway/gateway";
import { POLICY_KEY, policySeed } from "../../convex/testing/seed.testing";
import { withinOneMinuteWindow } from "../../convex/testing/minuteWindow.testing";
import { openaiClient, startTestGateway } from "./harness";

let gateway: LocalGateway;
beforeAll(async () => {
  gateway = await startTestGateway(policySeed({ requestsPerMinute: 3, tokensPerMinute: 100_000 }));
});
afterAll(() => gateway.close());

test("the SDK reads the x-ratelimit headers, then gets a RateLimitError with retry-after once the window is spent", async () => {
  const client = openaiClient(gateway, POLICY_KEY, { maxRetries: 0 });
  // All four requests must fall in one window, or the fourth is admitted by the next one.
  await withinOneMinuteWindow(15_000);
  const remaining: string[] = [];
  for (let index = 0; index < 3; index++) {
    const { data, response } = await client.chat.completions
      .create({ model: "bot", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toContain("hi");
    expect(response.headers.get("x-ratelimit-limit-requests")).toBe("3");
    expect(response.headers.get("x-ratelimit-limit-tokens")).toBe("100000");
    remaining.push(response.headers.get("x-ratelimit-remaining-requests")!);
  }
  expect(remaining).toEqual(["2", "1", "0"]);

  const error = await client.chat.completions.create({ model: "bot", messages: [{ role: "user", content: "hi" }] }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(OpenAI.RateLimitError);
  const rateLimitError = error as InstanceType<typeof OpenAI.RateLimitError>;
  expect(rateLimitError.status).toBe(429);
  expect(rateLimitError.code).toBe("rate_limit_exceeded");
  expect(rateLimitError.type).toBe("rate_limit_exceeded");
  expect(Number(rateLimitError.headers?.get("retry-after"))).toBeGreaterThan(0);
  expect(Number(rateLimitError.headers?.get("retry-after-ms"))).toBeGreaterThan(0);
});
