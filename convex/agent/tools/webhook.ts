// Webhook tools: the gateway POSTs the model's arguments to the tenant's URL, signed with the tool's
// secret, and the JSON reply is the tool result. Every failure becomes an `{ error }` result for the
// model, never a failed request: a target the SSRF guard refuses (checked again here, at call time),
// a redirect (never followed, so the signature only ever goes to the checked origin), an HTTP error,
// a reply over WEBHOOK_MAX_REPLY_BYTES, a non-JSON reply, or no complete answer within WEBHOOK_TIMEOUT_MS.
import { internal } from "../../_generated/api";
import type { ActionCtx } from "../../_generated/server";
import type { Id } from "../../_generated/dataModel";
import { allowPrivateWebhooks } from "../../upstream/config";
import { SIGNATURE_HEADER, signatureHeader } from "./webhookSignature";
import { checkWebhookTarget } from "../../model/webhookTarget";

/** The whole call, from connecting to the last byte of the reply. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Replies longer than this are cut off and reported as an error; nothing of them reaches the model. */
export const WEBHOOK_MAX_REPLY_BYTES = 64 * 1024;

/** `scope` is serverTools' ToolScope, written out here so that the two files do not import each other. */
export async function callWebhook(
  ctx: ActionCtx,
  scope: { tenantId: Id<"tenants">; requestId: string },
  name: string,
  input: unknown,
): Promise<unknown> {
  const target = await ctx.runQuery(internal.agent.knowledge.webhookTarget, { tenantId: scope.tenantId, name });
  if (target === null) return { error: `The tool '${name}' is no longer configured.` };
  const body = JSON.stringify({ tool: name, arguments: input, requestId: scope.requestId });
  return deliverWebhook(target, body, { allowPrivate: allowPrivateWebhooks() });
}

export interface DeliveryOptions {
  allowPrivate: boolean;
  /** Tests inject a fetch; the real one otherwise. */
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxReplyBytes?: number;
}

/** Signs and POSTs one call to a checked target and turns the reply into the tool result. */
export async function deliverWebhook(target: { url: string; secret: string }, body: string, options: DeliveryOptions): Promise<unknown> {
  const { timeoutMs = WEBHOOK_TIMEOUT_MS, maxReplyBytes = WEBHOOK_MAX_REPLY_BYTES } = options;
  const checked = checkWebhookTarget(target.url, { allowPrivate: options.allowPrivate });
  if (!checked.ok) return { error: `The tool's endpoint was refused: ${checked.reason}.` };
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const pending = (options.fetch ?? fetch)(checked.url, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/json",
        [SIGNATURE_HEADER]: await signatureHeader(target.secret, body, Math.floor(Date.now() / 1000)),
      },
      body,
      signal: deadline,
    });
    // Raced against the deadline as well, in case a runtime ignores the signal.
    const response = await untilAborted(pending, deadline);
    if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
      await discard(response);
      // An opaque redirect (some runtimes) hides its status.
      const status = response.status === 0 ? "3xx" : String(response.status);
      return { error: `The tool's endpoint answered with a redirect (HTTP ${status}), which the gateway does not follow.` };
    }
    if (!response.ok) {
      await discard(response);
      return { error: `The tool's endpoint answered HTTP ${response.status}.` };
    }
    const text = await readCapped(response, maxReplyBytes, deadline);
    if (text === null) return { error: `The tool's endpoint replied with more than ${maxReplyBytes} bytes; the reply was cut off.` };
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return { error: "The tool's endpoint did not answer with JSON." };
    }
  } catch (error) {
    const timedOut = deadline.aborted || (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"));
    return { error: timedOut ? `The tool's endpoint did not answer within ${timeoutMs / 1000} s.` : "The tool's endpoint could not be reached." };
  }
}

/** The reply as text, or null once it passes `maxBytes` (the rest is never read). Stops at the deadline too. */
async function readCapped(response: Response, maxBytes: number, deadline: AbortSignal): Promise<string | null> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await discard(response);
    return null;
  }
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await untilAborted(reader.read(), deadline);
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) return null;
      chunks.push(value);
    }
  } finally {
    // Releases the connection whether the reply ended, overflowed or timed out.
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** Rejects with the signal's reason when it aborts first, whether or not the runtime wires the signal to body reads. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}
