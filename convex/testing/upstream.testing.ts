// Test support for asserting on what the fake upstream received: the recorded request bodies of one
// test, found by its marker. (Files with two dots are never deployed by Convex.)
import { expect } from "vitest";
import { recordedRequests, type RecordedRequest } from "../../scripts/fake-upstream/client";
import { upstreamUrl } from "./harness.testing";

/** The part of an upstream Chat Completions body the tests look at; everything else stays `unknown`. */
export interface UpstreamBody {
  model: string;
  messages: Array<Record<string, unknown> & { role: string }>;
  stream?: boolean;
  tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: unknown; strict?: boolean } }>;
  [parameter: string]: unknown;
}

export async function upstreamRequests(tag: string): Promise<RecordedRequest[]> {
  return recordedRequests(upstreamUrl(), tag);
}

export async function upstreamBodies(tag: string): Promise<UpstreamBody[]> {
  return (await upstreamRequests(tag)).map((request) => request.body as UpstreamBody);
}

/** The one upstream request this test's marker appears in; fails the test when there are none or several. */
export async function onlyUpstreamBody(tag: string): Promise<UpstreamBody> {
  const bodies = await upstreamBodies(tag);
  expect(bodies, `upstream requests containing ${tag}`).toHaveLength(1);
  return bodies[0]!;
}
