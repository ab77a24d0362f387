// What a client sees when the upstream fails. The upstream's own credentials problems are the
// operator's, never the client's: they become a 502, not the upstream's 401 passed through. Only an
// error status is reported as one: a dropped connection after "200 OK" is not "an error (HTTP 200)".
import { APICallError, RetryError } from "ai";
import type { GatewayError } from "../openai/errors";
import { providerRetryAfterMs } from "./failover";
import type { ReadResult } from "./reader";

export function upstreamFailure(error: unknown, timedOut: boolean): GatewayError {
  if (timedOut) {
    return { code: "upstream_timeout", message: "The upstream model provider did not respond in time." };
  }
  const cause = RetryError.isInstance(error) ? error.lastError : error;
  if (APICallError.isInstance(cause) && cause.statusCode !== undefined) {
    if (cause.statusCode === 429) {
      // The provider's hint (a header, or Google's RetryInfo in the body); 1 s without one.
      const retryAfter = providerRetryAfterMs(cause);
      return {
        code: "rate_limit_exceeded",
        message: "The upstream model provider is rate limiting requests. Retry after the indicated delay.",
        retryAfterMs: retryAfter !== null && retryAfter > 0 ? retryAfter : 1000,
      };
    }
    if (cause.statusCode >= 400) {
      return { code: "upstream_error", message: `The upstream model provider returned an error (HTTP ${cause.statusCode}).` };
    }
  }
  // A success status with a body that broke off or did not parse, or no response at all.
  return { code: "upstream_error", message: "The upstream model provider failed to produce a complete response." };
}

/** The client-visible failure a read result stands for, or null when the generation goes on or finished. */
export function readFailure(result: ReadResult): GatewayError | null {
  if (result.kind === "timeout") return upstreamFailure(null, true);
  if (result.kind === "end") return { code: "upstream_error", message: "The upstream stream ended before it finished." };
  if (result.kind === "event" && result.event.kind === "error") return upstreamFailure(result.event.error, false);
  return null;
}
