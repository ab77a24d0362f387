// Load against a running gateway, shared by the bench (full size) and the end-to-end load test (bounded):
// a fixed number of chat requests at a fixed concurrency, counted by status; and the rate limiter's
// exactness under a burst, with the burst kept inside one fixed one-minute window.

export interface LoadOptions {
  baseUrl: string;
  key: string;
  total: number;
  concurrency: number;
  /** The request body for request number `index`. */
  body: (index: number) => object;
  /** Sent with every request besides the content type and the key (Portkey's routing headers, portkey.ts). */
  headers?: Record<string, string>;
}

/** What a run of requests came to, counted as they complete. */
export interface Tally {
  /** Responses by HTTP status; a request that got no response is counted under 0. */
  statuses: Record<number, number>;
  /** Streams that did not end with [DONE], and requests that got no response. */
  incomplete: number;
  /** The first MAX_FAILURES_DESCRIBED of those, described. */
  failures: string[];
}

export interface LoadResult extends Tally {
  elapsedMs: number;
  requestsPerSecond: number;
}

/** Failures beyond this many are counted, not described, so a broken run cannot fill memory. */
const MAX_FAILURES_DESCRIBED = 20;

export function emptyTally(): Tally {
  return { statuses: {}, incomplete: 0, failures: [] };
}

/** Sends request number `index`, reads its response to the end and counts the outcome in `tally`. */
export async function sendCounted(options: Omit<LoadOptions, "total" | "concurrency">, index: number, tally: Tally): Promise<void> {
  const fail = (description: string) => {
    tally.incomplete++;
    if (tally.failures.length < MAX_FAILURES_DESCRIBED) tally.failures.push(`request ${index}: ${description}`);
  };
  try {
    const response = await postChat(options.baseUrl, options.key, options.body(index), options.headers);
    const text = await response.text();
    tally.statuses[response.status] = (tally.statuses[response.status] ?? 0) + 1;
    const streamed = response.headers.get("content-type")?.startsWith("text/event-stream");
    if (response.status === 200 && streamed && !text.trimEnd().endsWith("data: [DONE]")) fail("the stream ended without [DONE]");
  } catch (error) {
    tally.statuses[0] = (tally.statuses[0] ?? 0) + 1;
    fail(error instanceof Error ? error.message : String(error));
  }
}

export async function postChat(baseUrl: string, key: string, body: object, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** Sends `total` requests, `concurrency` at a time, and reads every response to its end. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const tally = emptyTally();
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < options.total) await sendCounted(options, next++, tally);
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedMs = performance.now() - started;
  return { ...tally, elapsedMs, requestsPerSecond: options.total / (elapsedMs / 1000) };
}

/** OpenAI's reset format ("250ms", "12.5s", "1m0.5s") in milliseconds. */
export function parseReset(text: string): number {
  const match = /^(?:(\d+)m)?(?:([\d.]+)s)?(?:(\d+)ms)?$/.exec(text.trim());
  if (!match) throw new Error(`Not a rate-limit reset: ${text}`);
  return Number(match[1] ?? 0) * 60_000 + Number(match[2] ?? 0) * 1000 + Number(match[3] ?? 0);
}

export interface BurstOptions {
  baseUrl: string;
  key: string;
  /** The tenant's requests per minute; the key's own limit must be higher. */
  budget: number;
  /** Requests sent at once; more than the budget. */
  count: number;
  body: object;
  /** A burst starts only in a window with at least this long left, so one window holds all of it. */
  windowMarginMs: number;
}

export interface BurstResult {
  /** Requests the window still had room for when the burst began. */
  expectedAdmitted: number;
  admitted: number;
  limited: number;
  other: Record<number, number>;
  /** How far apart the window ends reported by the responses are; ~0 when one window held the burst. */
  windowSpreadMs: number;
  /** Time spent waiting for a fresh window before the burst. */
  waitedMs: number;
  elapsedMs: number;
}

/**
 * The limiter uses fixed one-minute windows with a random start. A probe request opens the window and
 * says when it ends; when too little of it is left the burst waits for the next one, so the whole burst
 * lands in one window and exactly its remaining budget is admitted.
 */
export async function limiterBurst(options: BurstOptions): Promise<BurstResult> {
  const probe = await postChat(options.baseUrl, options.key, options.body);
  await probe.text();
  if (probe.status !== 200) throw new Error(`The probe request failed with ${probe.status}`);
  const windowLeftMs = parseReset(probe.headers.get("x-ratelimit-reset-requests") ?? "");
  let expectedAdmitted = options.budget - 1;
  let waitedMs = 0;
  if (windowLeftMs < options.windowMarginMs) {
    waitedMs = windowLeftMs + 250;
    await new Promise((resolve) => setTimeout(resolve, waitedMs));
    expectedAdmitted = options.budget;
  }

  const started = performance.now();
  const responses = await Promise.all(
    Array.from({ length: options.count }, async () => {
      const response = await postChat(options.baseUrl, options.key, options.body);
      await response.text();
      const reset = response.headers.get("x-ratelimit-reset-requests");
      return { status: response.status, windowEnd: reset === null ? null : Date.now() + parseReset(reset) };
    }),
  );
  const elapsedMs = performance.now() - started;
  const other: Record<number, number> = {};
  for (const { status } of responses) if (status !== 200 && status !== 429) other[status] = (other[status] ?? 0) + 1;
  const windowEnds = responses.map((response) => response.windowEnd).filter((end): end is number => end !== null);
  return {
    expectedAdmitted,
    admitted: responses.filter((response) => response.status === 200).length,
    limited: responses.filter((response) => response.status === 429).length,
    other,
    windowSpreadMs: Math.max(...windowEnds) - Math.min(...windowEnds),
    waitedMs,
    elapsedMs,
  };
}
