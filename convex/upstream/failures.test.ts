// How upstream failures are worded for the client: an error status is named, a broken success is not.
import { describe, expect, test } from "vitest";
import { APICallError } from "ai";
import { upstreamFailure } from "./failures";

const callError = (statusCode: number | undefined) =>
  new APICallError({ message: "failed", url: "http://upstream.test/v1/chat/completions", requestBodyValues: {}, statusCode });

describe("upstreamFailure", () => {
  test("an error status is reported with its number", () => {
    expect(upstreamFailure(callError(500), false)).toEqual({ code: "upstream_error", message: "The upstream model provider returned an error (HTTP 500)." });
  });

  test("a 429 carries the provider's hint: a retry-after header, or Google's RetryInfo in the body; else 1 s", () => {
    const rateLimited = (responseHeaders: Record<string, string>, responseBody?: string) =>
      upstreamFailure(new APICallError({ message: "limited", url: "http://upstream.test", requestBodyValues: {}, statusCode: 429, responseHeaders, responseBody }), false);
    const google = (retryDelay: string) => JSON.stringify({ error: { code: 429, details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay }] } });
    expect(rateLimited({ "retry-after": "3" })).toMatchObject({ code: "rate_limit_exceeded", retryAfterMs: 3000 });
    expect(rateLimited({}, google("2s"))).toMatchObject({ code: "rate_limit_exceeded", retryAfterMs: 2000 });
    expect(rateLimited({}, google("two seconds")).retryAfterMs).toBe(1000);
    expect(rateLimited({}, google("99999999999s")).retryAfterMs).toBe(1000);
    expect(rateLimited({}).retryAfterMs).toBe(1000);
  });

  test("a 200 whose body broke off or did not parse is not reported as an error status", () => {
    for (const statusCode of [200, 204, undefined]) {
      const failure = upstreamFailure(callError(statusCode), false);
      expect(failure.code).toBe("upstream_error");
      expect(failure.message).not.toMatch(/HTTP/);
    }
  });
});
