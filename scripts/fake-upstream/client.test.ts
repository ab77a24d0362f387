// @vitest-environment edge-runtime
// Runs in the edge runtime, like the Convex tests: proves that global-setup.ts started the run's shared
// upstream, that setup-env.ts pointed OPENAI_BASE_URL at it, and that client.ts works without node: APIs.
import { expect, inject, it } from "vitest";
import { recordedRequests, waitForRecorded } from "./client";

it("reaches the run's shared upstream from OPENAI_BASE_URL and reads its recordings", async () => {
  const baseUrl = inject("upstreamUrl");
  expect(process.env.OPENAI_BASE_URL).toBe(baseUrl);
  expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  const marker = `edge-marker-${crypto.randomUUID()}`;
  const response = await fetch(`${process.env.OPENAI_BASE_URL}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${process.env.OPENAI_API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: marker }] }),
  });
  expect((await response.json()).choices[0].message.content).toBe(`Hello from the fake upstream. You said: ${marker}`);
  const recorded = await waitForRecorded(baseUrl, marker, (request) => request.finishedAt !== null);
  expect(recorded.closedEarly).toBe(false);
  expect(await recordedRequests(baseUrl, marker)).toHaveLength(1);
});
