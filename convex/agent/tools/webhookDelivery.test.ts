// One webhook call with an injected fetch: refused targets never reach fetch, redirects are not
// followed (the signature goes to one origin only), replies are cut past the byte cap, and the whole
// call, body included, is bounded in time.
import { describe, expect, test, vi } from "vitest";
import { deliverWebhook, WEBHOOK_MAX_REPLY_BYTES } from "./webhook";
import { SIGNATURE_HEADER } from "./webhookSignature";

const TARGET = { url: "https://hooks.example/order", secret: "whsec-0123456789abcdef" };
const BODY = JSON.stringify({ tool: "order_status", arguments: { orderId: "ORD-1" } });

/** A fetch that records every call and answers with `reply`. */
function fakeFetch(reply: () => Response) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetcher = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return reply();
  });
  return { fetch: fetcher as unknown as typeof fetch, calls };
}

/** A body that yields `chunks` of `size` bytes, one per pull, counting how many were pulled. */
function countingBody(chunks: number, size: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled++;
      controller.enqueue(new TextEncoder().encode("x".repeat(size)));
    },
  });
  return { stream, pulled: () => pulled };
}

describe("webhook delivery", () => {
  test("a refused target is never fetched, whatever its spelling", async () => {
    for (const url of ["http://2130706433/", "http://0x7f.1/", "http://[::ffff:169.254.169.254]/", "https://good@127.0.0.1/", "http://metadata.google.internal/"]) {
      const { fetch, calls } = fakeFetch(() => Response.json({}));
      const result = await deliverWebhook({ ...TARGET, url }, BODY, { allowPrivate: false, fetch });
      expect(result).toEqual({ error: expect.stringMatching(/^The tool's endpoint was refused: /) });
      expect(calls).toHaveLength(0);
    }
  });

  test("the canonical URL is fetched once, signed, with redirects left to the gateway", async () => {
    const { fetch, calls } = fakeFetch(() => Response.json({ status: "shipped" }));
    expect(await deliverWebhook({ ...TARGET, url: "https://HOOKS.example:443/order" }, BODY, { allowPrivate: false, fetch })).toEqual({ status: "shipped" });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe("https://hooks.example/order");
    expect(calls[0]!.init.redirect).toBe("manual");
    expect((calls[0]!.init.headers as Record<string, string>)[SIGNATURE_HEADER]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });

  test.each([301, 302, 303, 307, 308])("a %i redirect is an error result, and nothing is sent to its Location", async (status) => {
    const { fetch, calls } = fakeFetch(() => new Response(null, { status, headers: { location: "http://169.254.169.254/latest/meta-data/" } }));
    const result = await deliverWebhook(TARGET, BODY, { allowPrivate: true, fetch });
    expect(result).toEqual({ error: `The tool's endpoint answered with a redirect (HTTP ${status}), which the gateway does not follow.` });
    expect(calls.map((call) => call.url)).toEqual([TARGET.url]);
  });

  test("an opaque redirect (status hidden by the runtime) is refused the same way", async () => {
    const opaque = { type: "opaqueredirect", status: 0, ok: false, headers: new Headers(), body: null } as unknown as Response;
    const { fetch } = fakeFetch(() => opaque);
    expect(await deliverWebhook(TARGET, BODY, { allowPrivate: false, fetch })).toEqual({
      error: "The tool's endpoint answered with a redirect (HTTP 3xx), which the gateway does not follow.",
    });
  });

  test("a reply declared larger than the cap is refused unread", async () => {
    const body = countingBody(100, 1024);
    const { fetch } = fakeFetch(() => new Response(body.stream, { headers: { "content-length": String(WEBHOOK_MAX_REPLY_BYTES + 1) } }));
    expect(await deliverWebhook(TARGET, BODY, { allowPrivate: false, fetch })).toEqual({
      error: `The tool's endpoint replied with more than ${WEBHOOK_MAX_REPLY_BYTES} bytes; the reply was cut off.`,
    });
    expect(body.pulled()).toBeLessThanOrEqual(1);
  });

  test("an undeclared 20 MB reply is read only up to the cap", async () => {
    const body = countingBody(20 * 1024, 1024);
    const { fetch } = fakeFetch(() => new Response(body.stream));
    const result = await deliverWebhook(TARGET, BODY, { allowPrivate: false, fetch });
    expect(result).toEqual({ error: expect.stringMatching(/more than 65536 bytes/) });
    // 64 KiB in 1 KiB chunks, plus the one that crossed the cap and what the stream queued ahead.
    expect(body.pulled()).toBeLessThan(70);
  });

  test("a reply exactly at the cap is accepted", async () => {
    const text = JSON.stringify({ pad: "y".repeat(WEBHOOK_MAX_REPLY_BYTES - 10) });
    expect(text.length).toBe(WEBHOOK_MAX_REPLY_BYTES);
    const { fetch } = fakeFetch(() => new Response(text));
    expect(await deliverWebhook(TARGET, BODY, { allowPrivate: false, fetch })).toEqual(JSON.parse(text));
  });

  test("the deadline covers the body: a reply that trickles forever ends as a timeout", async () => {
    const endless = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        controller.enqueue(new TextEncoder().encode(" "));
      },
    });
    const { fetch } = fakeFetch(() => new Response(endless));
    const started = Date.now();
    expect(await deliverWebhook(TARGET, BODY, { allowPrivate: false, fetch, timeoutMs: 300 })).toEqual({
      error: "The tool's endpoint did not answer within 0.3 s.",
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("the deadline covers the connection too, even for a fetch that ignores its signal", async () => {
    const hanging = (() => new Promise<Response>(() => {})) as unknown as typeof fetch;
    expect(await deliverWebhook(TARGET, BODY, { allowPrivate: false, fetch: hanging, timeoutMs: 200 })).toEqual({
      error: "The tool's endpoint did not answer within 0.2 s.",
    });
  });

  test("HTTP errors, non-JSON and network failures are error results", async () => {
    const failing = (reply: () => Response) => deliverWebhook(TARGET, BODY, { allowPrivate: false, fetch: fakeFetch(reply).fetch });
    expect(await failing(() => new Response("boom", { status: 500 }))).toEqual({ error: "The tool's endpoint answered HTTP 500." });
    expect(await failing(() => new Response("<html>"))).toEqual({ error: "The tool's endpoint did not answer with JSON." });
    const unreachable = (async () => {
      throw new TypeError("fetch failed");
    }) as unknown as typeof fetch;
    expect(await deliverWebhook(TARGET, BODY, { allowPrivate: false, fetch: unreachable })).toEqual({ error: "The tool's endpoint could not be reached." });
  });
});
