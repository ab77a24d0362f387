/// <reference types="vite/client" />
// The shared setup of the integration tests: the real convex/ functions on convex-test, under Convex's
// documented limits and metered (convexLimits/), with the rate limiter component registered and the
// test seed applied, plus small helpers to call the HTTP API.
import type { TestConvex } from "convex-test";
import rateLimiterTest from "@convex-dev/rate-limiter/test";
import { afterEach, inject } from "vitest";
import schema from "../schema";
import { internal } from "../_generated/api";
import { ACME_KEY, TEST_SEED } from "./seed.testing";
import { convexTestWithLimits, meterOf, type LimitViolation } from "./convexLimits/convexLimits.testing";
import "../../scripts/fake-upstream/provided-context";

const modules = import.meta.glob("../**/*.*s");

export type Gateway = TestConvex<typeof schema>;

/** A gateway on convex-test with every Convex limit enforced; `meterOf(t)` (convexLimits/) reads its meter. */
export async function startGateway(seed: unknown = TEST_SEED): Promise<Gateway> {
  const t = convexTestWithLimits(schema, modules);
  gateways.push(new WeakRef(t));
  rateLimiterTest.register(t, "rateLimiter");
  await t.mutation(internal.admin.seed.apply, { seed });
  return t;
}

/** This test file's gateways, while something still holds them. */
let gateways: WeakRef<Gateway>[] = [];

// A test fails when a Convex limit fired in any of its gateways, even where the app turned the error
// into an HTTP status or it happened in a scheduled function: a deployment would have failed there.
// A test that means to pass a limit asserts on `meterOf(t).violations` and empties it.
afterEach(() => {
  gateways = gateways.filter((gateway) => gateway.deref() !== undefined);
  const violations = gateways.flatMap((gateway) => meterOf(gateway.deref()!).violations.splice(0));
  if (violations.length > 0) throw new Error(`Convex limits exceeded in this test:\n${violations.map(describeViolation).join("\n")}`);
});

function describeViolation(violation: LimitViolation): string {
  return `${violation.path || "(test code)"}: ${violation.limit} ${violation.actual} > ${violation.maximum} ${violation.detail}`;
}

export const upstreamUrl = () => inject("upstreamUrl");

/** A unique marker to put in a prompt, to find this test's requests among the fake upstream's recordings. */
export function marker(): string {
  return `marker-${crypto.randomUUID()}`;
}

export function postChat(t: Gateway, body: unknown, options: { key?: string | null; headers?: Record<string, string> } = {}) {
  const key = options.key === undefined ? ACME_KEY : options.key;
  return t.fetch("/api/v1/chat/completions", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      ...options.headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export function get(t: Gateway, path: string, key: string | null = ACME_KEY) {
  return t.fetch(path, { headers: key === null ? {} : { authorization: `Bearer ${key}` } });
}

/** Reads an SSE body into its `data:` payloads (parsed JSON, or the raw text for [DONE]) and comments. */
export async function readSse(response: Response): Promise<{ events: unknown[]; comments: string[]; raw: string }> {
  const raw = await response.text();
  const events: unknown[] = [];
  const comments: string[] = [];
  for (const block of raw.split("\n\n")) {
    if (block.startsWith(":")) comments.push(block);
    else if (block.startsWith("data: ")) {
      const data = block.slice("data: ".length);
      events.push(data === "[DONE]" ? data : JSON.parse(data));
    }
  }
  return { events, comments, raw };
}
