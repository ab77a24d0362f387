// Response helpers for every route: JSON bodies, OpenAI-shaped errors with their retry headers, and
// the headers every response carries (request id, Server-Timing).
import { errorBody, errorStatus, type GatewayError } from "../openai/errors";
import type { RateLimits } from "../model/requestDecision";
import { rateLimitHeaders } from "../openai/rateLimitHeaders";
import { FunctionCallCounter } from "./functionCalls";

export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `req_${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

/** The Server-Timing metric holding how many Convex functions a request called before its upstream call. */
export const CALLS_BEFORE_UPSTREAM = "calls-before-upstream";

/** Collects the gateway's own phases for the Server-Timing header, so any client can see its overhead. */
export class ServerTiming {
  private readonly started = Date.now();
  private readonly phases: Array<[name: string, milliseconds: number]> = [];
  private readonly counts: Array<[name: string, value: number]> = [];

  async measure<T>(name: string, work: () => Promise<T>): Promise<T> {
    const start = Date.now();
    try {
      return await work();
    } finally {
      this.phases.push([name, Date.now() - start]);
    }
  }

  record(name: string, milliseconds: number): void {
    this.phases.push([name, milliseconds]);
  }

  /** A metric that is not a duration: sent as Server-Timing's `desc` alone, since `dur` means milliseconds. */
  count(name: string, value: number): void {
    this.counts.push([name, value]);
  }

  header(): string {
    return [
      ...[...this.phases, ["total", Date.now() - this.started] as const].map(([name, milliseconds]) => `${name};dur=${milliseconds}`),
      ...this.counts.map(([name, value]) => `${name};desc="${value}"`),
    ].join(", ");
  }
}

/** Per-request context for building responses: the headers every response of this request carries. */
export class Responder {
  readonly timing = new ServerTiming();
  readonly headers = new Headers();
  /** The request's Convex function calls: gatewayAction gives the handler a context that counts them. */
  readonly functionCalls = new FunctionCallCounter();

  constructor(readonly requestId: string) {
    this.headers.set("x-request-id", requestId);
  }

  /**
   * Marks the hand-off to the upstream (client-tool mode: the HTTP action calls it next; agent mode: the
   * run is scheduled and calls it before any function of its own). The calls made so far are the
   * request's critical path, reported as `calls-before-upstream`.
   */
  recordUpstreamStart(): void {
    this.timing.count(CALLS_BEFORE_UPSTREAM, this.functionCalls.count);
  }

  /** Adds the x-ratelimit-* headers for whatever limits the request got as far as checking. */
  setRateLimits(limits: RateLimits | undefined): void {
    if (limits === undefined) return;
    for (const [name, value] of rateLimitHeaders(limits)) this.headers.set(name, value);
  }

  finalHeaders(extra?: HeadersInit): Headers {
    const headers = new Headers(this.headers);
    new Headers(extra).forEach((value, name) => headers.set(name, value));
    headers.set("server-timing", this.timing.header());
    return headers;
  }

  json(status: number, body: unknown, extra?: HeadersInit): Response {
    const headers = this.finalHeaders(extra);
    headers.set("content-type", "application/json");
    return new Response(JSON.stringify(body), { status, headers });
  }

  error(error: GatewayError): Response {
    const extra = new Headers();
    if (error.retryAfterMs !== undefined) {
      extra.set("retry-after", String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
      extra.set("retry-after-ms", String(Math.ceil(error.retryAfterMs)));
    }
    return this.json(errorStatus(error), errorBody(error), extra);
  }
}
