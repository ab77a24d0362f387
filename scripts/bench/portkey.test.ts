// Portkey as the bench's yardstick (portkey.ts): it starts on a loopback port, relays both a non-streaming and a
// streaming request to the suite's fake upstream through its custom host (what the fake received says so, the
// Authorization header passed on), and stops when asked.
import { expect, inject, test } from "vitest";
import { recordedRequests } from "../fake-upstream/client";
import { marker } from "../e2e/harness";
import { endpoints } from "./overhead";
import { portkeyBaseUrl, portkeyHeaders, startPortkey } from "./portkey";
import { timedRequest } from "./timedRequest";

test("portkeyHeaders route to the OpenAI provider at a custom host; the base URL is loopback under /v1", () => {
  expect(portkeyHeaders("http://127.0.0.1:4000/v1")).toEqual({ "x-portkey-provider": "openai", "x-portkey-custom-host": "http://127.0.0.1:4000/v1" });
  expect(portkeyBaseUrl(8787)).toBe("http://127.0.0.1:8787/v1");
});

test("Portkey relays non-streaming and streaming requests to the fake, then stops", async () => {
  const upstream = inject("upstreamUrl");
  const portkey = await startPortkey();
  try {
    expect(new URL(portkey.url).hostname).toBe("127.0.0.1");
    const endpoint = endpoints({ upstream, portkey: portkey.url, gateway: "unused" }).portkey;
    const tag = marker();
    const plain = await timedRequest(`${endpoint.url}/chat/completions`, endpoint.key, endpoint.body(`[[words:3]] ${tag}`, false), endpoint.headers);
    expect(plain.status).toBe(200);
    const streamed = await timedRequest(`${endpoint.url}/chat/completions`, endpoint.key, endpoint.body(`[[words:3]] ${tag}`, true), endpoint.headers);
    expect(streamed.status).toBe(200);
    expect(streamed.arrivals.at(-1)?.contentLength).toBe("word1 word2 word3".length);
    expect(streamed.firstTokenMs).not.toBeNull();

    const received = await recordedRequests(upstream, tag);
    expect(received.map((request) => (request.body as { stream?: boolean }).stream ?? false)).toEqual([false, true]);
    for (const request of received) {
      expect(request.path).toBe("/v1/chat/completions");
      expect(request.headers.authorization).toBe(`Bearer ${endpoint.key}`);
    }
  } finally {
    await portkey.stop();
  }
  await expect(fetch(`${portkey.url}/models`)).rejects.toThrow();
});
