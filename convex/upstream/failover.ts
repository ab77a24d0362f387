// The failover plan of one generation, shared by client-tool mode's relay and agent mode's run: try
// each target in order (the model's provider, then the agent's fallbacks), each up to 1 + `retries`
// times, until one produces content. A target is left only for a failure before any content: a
// connection failure, a timeout before the first byte, a status in its provider's `retryOnStatus`, or a
// response that broke off, did not parse or ended before any content. Anything else (a 400, a refused
// key) is the answer. The last attempt is
// handed to the caller unread, so it relays it exactly as a single upstream call (keep-alives and all).
import { APICallError, RetryError, type LanguageModel, type TextStreamPart, type ToolSet } from "ai";
import { z } from "zod";
import type { ReplyBuilder } from "../openai/replyBuilder";
import { upstreamTimeoutMs } from "./config";
import { languageModel } from "./providers";
import type { UpstreamTarget } from "./providerConfig";
import { UpstreamReader, type ReadResult } from "./reader";

/** The first retry's wait without a retry-after; each next one doubles, up to MAX_BACKOFF_MS. */
export const BASE_BACKOFF_MS = 250;
export const MAX_BACKOFF_MS = 2_000;
/** The longest retry-after honoured by waiting: a longer one moves on to the next target (or is the answer). */
export const MAX_RETRY_AFTER_MS = 5_000;
/** The longest error body searched for Google's RetryInfo: a longer body gives no hint. */
export const MAX_RETRY_INFO_BODY_CHARS = 16_000;
/** The longest RetryInfo retryDelay read (a day): a longer one, or one not "<seconds>s", gives no hint. */
export const MAX_RETRY_INFO_DELAY_MS = 86_400_000;

export interface FailoverOptions {
  targets: UpstreamTarget[];
  /** Starts one attempt's generation on a model (streamText's full stream). */
  call: (model: LanguageModel, abortSignal: AbortSignal) => AsyncIterable<TextStreamPart<ToolSet>>;
  newReply: () => ReplyBuilder;
  /** Aborted when the client goes away: the attempt under way is aborted and no other is started. */
  signal?: AbortSignal;
  /** A target failed every attempt and the request moves on: its provider starts a cool-down. */
  onTargetFailed: (target: UpstreamTarget) => Promise<unknown>;
}

export interface OpenedUpstream {
  target: UpstreamTarget;
  reader: UpstreamReader;
  reply: ReplyBuilder;
  abort: AbortController;
  /**
   * The first read when failover had to look at it: content, or a failure that is the answer. Null
   * on the last attempt the plan allows: the caller reads it as it would any single call.
   */
  first: ReadResult | null;
}

/** The targets to try now: those not cooling down, in order; all of them when every one is cooling. */
export function plannedTargets(targets: UpstreamTarget[], now: number): UpstreamTarget[] {
  const ready = targets.filter((target) => target.coolingUntil === null || target.coolingUntil <= now);
  return ready.length > 0 ? ready : targets;
}

export async function openUpstream(options: FailoverOptions): Promise<OpenedUpstream> {
  const plan = plannedTargets(options.targets, Date.now());
  for (const [index, target] of plan.entries()) {
    const lastTarget = index === plan.length - 1;
    const attempts = 1 + target.provider.retries;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const opened = start(options, target);
      if (lastTarget && attempt === attempts - 1) return { ...opened, first: null };
      const first = await opened.reader.next(Infinity);
      const failure = retryableFailure(first, target);
      if (failure === null || options.signal?.aborted) return { ...opened, first };
      opened.abort.abort();
      if (attempt === attempts - 1) break;
      const wait = backoffMs(failure.retryAfterMs, attempt);
      if (wait === null) {
        // The provider asks for a longer wait than a request should hold: the next target, or this answer.
        if (lastTarget) return { ...opened, first };
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    await options.onTargetFailed(target).catch(() => undefined);
  }
  // Unreachable: the last target's last attempt returns above.
  throw new Error("the failover plan has no targets");
}

function start(options: FailoverOptions, target: UpstreamTarget): Omit<OpenedUpstream, "first"> {
  const abort = new AbortController();
  options.signal?.addEventListener("abort", () => abort.abort(), { once: true });
  if (options.signal?.aborted) abort.abort();
  const reply = options.newReply();
  const parts = options.call(languageModel(target.provider, target.model), abort.signal);
  const reader = new UpstreamReader(parts, reply, target.provider.timeoutMs ?? upstreamTimeoutMs(), abort);
  return { target, reader, reply, abort };
}

/** Why a first read is worth another attempt (with the provider's retry-after), or null when it is the answer. */
export function retryableFailure(first: ReadResult, target: UpstreamTarget): { retryAfterMs: number | null } | null {
  if (first.kind === "timeout" || first.kind === "end") return { retryAfterMs: null };
  if (first.kind !== "event" || first.event.kind !== "error") return null;
  const error = RetryError.isInstance(first.event.error) ? first.event.error.lastError : first.event.error;
  if (APICallError.isInstance(error)) {
    // No status: the connection failed (refused, reset, DNS); a success status: the body broke off or
    // did not parse before any content.
    if (error.statusCode === undefined || error.statusCode < 400) return { retryAfterMs: null };
    if (target.provider.retryOnStatus.includes(error.statusCode)) return { retryAfterMs: providerRetryAfterMs(error) };
    return null;
  }
  // A transport failure while reading the response (undici's "fetch failed", "terminated").
  return error instanceof TypeError ? { retryAfterMs: null } : null;
}

/** The wait a failed call's provider asks for: its retry-after headers, else Google's RetryInfo in the body; null: none. */
export function providerRetryAfterMs(error: APICallError): number | null {
  return retryAfterMs(error.responseHeaders) ?? retryInfoDelayMs(error.responseBody);
}

const RETRY_INFO_TYPE = "type.googleapis.com/google.rpc.RetryInfo";
/** Google's error body: `error.details[]`, one of which may be a RetryInfo with `retryDelay` such as "2s" or "0.5s". */
const googleErrorBody = z.object({ error: z.object({ details: z.array(z.unknown()).max(32) }) });
const retryInfo = z.object({ "@type": z.literal(RETRY_INFO_TYPE), retryDelay: z.string().regex(/^\d{1,9}(\.\d{1,9})?s$/) });

/** Google's RetryInfo retryDelay in milliseconds; null when the body is absent, too long, malformed or the delay past a day. */
export function retryInfoDelayMs(body: string | undefined): number | null {
  if (body === undefined || body.length > MAX_RETRY_INFO_BODY_CHARS) return null;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  const parsed = googleErrorBody.safeParse(json);
  if (!parsed.success) return null;
  for (const detail of parsed.data.error.details) {
    const info = retryInfo.safeParse(detail);
    if (!info.success) continue;
    const milliseconds = Math.ceil(Number(info.data.retryDelay.slice(0, -1)) * 1000);
    return milliseconds <= MAX_RETRY_INFO_DELAY_MS ? milliseconds : null;
  }
  return null;
}

/** retry-after-ms, else retry-after in seconds or as an HTTP date; null when absent or unreadable. */
export function retryAfterMs(headers: Record<string, string> | undefined): number | null {
  const milliseconds = Number(headers?.["retry-after-ms"]);
  if (headers?.["retry-after-ms"] !== undefined && Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headers?.["retry-after"];
  if (value === undefined) return null;
  const seconds = Number(value);
  if (value.trim() !== "" && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}

/** The wait before retry `attempt + 1`: the retry-after when given (null past MAX_RETRY_AFTER_MS), else exponential backoff. */
export function backoffMs(retryAfter: number | null, attempt: number): number | null {
  if (retryAfter !== null) return retryAfter <= MAX_RETRY_AFTER_MS ? retryAfter : null;
  return Math.min(BASE_BACKOFF_MS * 2 ** attempt, MAX_BACKOFF_MS);
}
