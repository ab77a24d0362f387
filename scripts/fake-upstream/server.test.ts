// Tests the fake upstream's HTTP surface: recording, /__requests and /__reset, auth, validation, routing
// and close(). Uses plain fetch, as a gateway's own HTTP code would.
import OpenAI, { APIConnectionError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordedRequests, resetRecorded, waitForRecorded } from "./client";
import { startFakeUpstream, type FakeUpstream } from "./server";

let upstream: FakeUpstream;

beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());

function post(body: unknown, headers: Record<string, string> = { authorization: "Bearer x" }): Promise<Response> {
  return fetch(`${upstream.url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const chat = (content: string) => ({ model: "gpt-4o-mini", messages: [{ role: "user" as const, content }] });

describe("recording", () => {
  it("records each /v1 request with lower-cased headers, parsed body and how it ended", async () => {
    const response = await post(chat("record-marker"), { Authorization: "Bearer sk-upstream", "X-Custom": "yes" });
    await response.json();
    const recorded = await waitForRecorded(upstream.url, "record-marker", (request) => request.finishedAt !== null);
    expect(recorded).toMatchObject({
      method: "POST",
      path: "/v1/chat/completions",
      headers: { authorization: "Bearer sk-upstream", "x-custom": "yes" },
      body: chat("record-marker"),
      closedEarly: false,
    });
    expect(recorded.finishedAt).toBeGreaterThanOrEqual(recorded.receivedAt);
    expect(upstream.requests.some((request) => request.id === recorded.id)).toBe(true);
  });

  it("filters recordings by body text over /__requests and clears them on /__reset", async () => {
    await (await post(chat("alpha-marker"))).json();
    await (await post(chat("beta-marker"))).json();
    const alpha = await recordedRequests(upstream.url, "alpha-marker");
    expect(alpha.map((request) => request.body)).toEqual([chat("alpha-marker")]);
    expect((await recordedRequests(upstream.url)).length).toBeGreaterThanOrEqual(2);
    await resetRecorded(upstream.url);
    expect(await recordedRequests(upstream.url)).toEqual([]);
    expect(upstream.requests).toEqual([]);
  });

  it("does not record its own /__ routes", async () => {
    upstream.reset();
    await recordedRequests(upstream.url);
    await resetRecorded(upstream.url);
    expect(upstream.requests).toEqual([]);
  });
});

describe("requests it refuses", () => {
  it("answers a missing or empty bearer token with 401 invalid_api_key, and still records it", async () => {
    for (const headers of [{}, { authorization: "Bearer " }] as Record<string, string>[]) {
      const response = await post(chat("no-auth-marker"), headers);
      expect(response.status).toBe(401);
      const body = await response.json();
      expect(body.error).toMatchObject({ type: "invalid_request_error", code: "invalid_api_key", param: null });
      expect(typeof body.error.message).toBe("string");
    }
    expect(await recordedRequests(upstream.url, "no-auth-marker")).toHaveLength(2);
  });

  it("answers a body that is not JSON with 400 invalid_json", async () => {
    const response = await post("{oops");
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("invalid_json");
  });

  it("answers a request without model or messages with a 400 naming the field", async () => {
    const noMessages = await post({ model: "gpt-4o-mini", messages: [] });
    expect(noMessages.status).toBe(400);
    expect((await noMessages.json()).error.param).toBe("messages");
    const noModel = await post({ messages: [{ role: "user", content: "hi" }] });
    expect((await noModel.json()).error.param).toBe("model");
  });

  it("answers a known directive with a bad value with a 400 that names it", async () => {
    const response = await post(chat("[[words:lots]]"));
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toContain("[[words:lots]]");
  });

  it("answers unknown routes with a 404 in OpenAI's error shape", async () => {
    for (const url of [`${upstream.url}/embeddings`, new URL("/elsewhere", upstream.url).toString()]) {
      const response = await fetch(url, { headers: { authorization: "Bearer x" } });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        error: { message: expect.stringContaining("Unknown request URL"), type: "invalid_request_error", param: null, code: "unknown_url" },
      });
    }
  });
});

describe("close", () => {
  it("destroys hung connections at once instead of waiting for them", async () => {
    const own = await startFakeUpstream();
    const client = new OpenAI({ baseURL: own.url, apiKey: "x", maxRetries: 0 });
    const pending = client.chat.completions.create(chat("[[fault:hang]]")).catch((caught: unknown) => caught);
    await waitForRecorded(own.url, "fault:hang", () => true);
    const closing = Date.now();
    await own.close();
    expect(Date.now() - closing).toBeLessThan(500);
    expect(await pending).toBeInstanceOf(APIConnectionError);
  });
});
