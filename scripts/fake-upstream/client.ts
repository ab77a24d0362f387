// Helpers for tests to read the fake upstream's recordings over HTTP, since tests run in other processes
// than the server. Only global fetch, so they also work in the edge-runtime test environment.
// The upstream is shared by concurrent test files: filter with `contains` on a marker unique to the test
// rather than relying on resetRecorded.
import type { RecordedRequest } from "./types";

export type { RecordedRequest } from "./types";

/** The recorded /v1 requests whose JSON body contains the text (all when absent). */
export async function recordedRequests(baseUrl: string, contains?: string): Promise<RecordedRequest[]> {
  const url = new URL("/__requests", baseUrl);
  if (contains !== undefined) url.searchParams.set("contains", contains);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} failed with ${response.status}`);
  return (await response.json()) as RecordedRequest[];
}

export async function resetRecorded(baseUrl: string): Promise<void> {
  const response = await fetch(new URL("/__reset", baseUrl), { method: "POST" });
  if (!response.ok) throw new Error(`POST /__reset failed with ${response.status}`);
}

/**
 * Polls until a recorded request containing the text satisfies the condition (e.g. closedEarly, which the
 * server learns of only when the closed connection reaches it) and returns it; throws after the timeout.
 */
export async function waitForRecorded(
  baseUrl: string,
  contains: string,
  condition: (request: RecordedRequest) => boolean,
  timeoutMs = 2000,
): Promise<RecordedRequest> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await recordedRequests(baseUrl, contains)).find(condition);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`No recorded request containing "${contains}" met the condition within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
