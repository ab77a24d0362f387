// One console line per chat request whose upstream call failed, for the operator watching `npm start`:
// time, request id, model id, target (x-gateway-upstream) and the default provider's host, mapped
// error code, its status, latency. Never the prompt, a key, or the upstream's own message. Observed
// where the local gateway relays the response, so the app's code is untouched: a JSON error with an
// upstream code (upstream_error, upstream_timeout; a rate_limit_exceeded only when the request reached
// the upstream, which Server-Timing's calls-before-upstream says), or an error event with one of those
// codes that ends an SSE stream (after the headers, a rate limit can only be the upstream's).
//
// Bounds: a JSON error body is read up to 64 KiB; a request body is kept (to find its model id) up to
// 1 MiB and only until the response starts; an SSE line is kept up to 64 KiB, longer ones are passed
// over (error events and the opening chunk that names the model are far shorter).
import { CALLS_BEFORE_UPSTREAM } from "../../convex/gateway/responses";
import { ERROR_CODES, type ErrorCode } from "../../convex/openai/errors";

const MAX_ERROR_BODY_BYTES = 64 * 1024;
const MAX_REQUEST_COPY_BYTES = 1024 * 1024;
const MAX_SSE_LINE_CHARS = 64 * 1024;
const MAX_MODEL_CHARS = 64;

const UPSTREAM_CODES = new Set<string>(["upstream_error", "upstream_timeout"] satisfies ErrorCode[]);
const RATE_LIMITED: ErrorCode = "rate_limit_exceeded";
/** How the gateway's SSE error event begins (OpenAI's error body, `error` its only key). */
const ERROR_EVENT_START = 'data: {"error":';

export interface UpstreamFailure {
  at: Date;
  requestId: string;
  model: string;
  code: ErrorCode;
  status: number;
  latencyMs: number;
  /** The response's x-gateway-upstream (`provider/model-id`), when it names the target that failed. */
  target?: string;
  /** The failure ended an SSE stream that had started with 200. */
  inStream: boolean;
}

/** The upstream's host and port, from OPENAI_BASE_URL (never its path or credentials). */
export function upstreamHost(baseUrl = process.env.OPENAI_BASE_URL || "https://api.openai.com/v1"): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return "(invalid OPENAI_BASE_URL)";
  }
}

/** `upstream`: the default provider's host (OPENAI_BASE_URL), printed unless the target is on another provider. */
export function formatFailure(failure: UpstreamFailure, upstream: string): string {
  const defaultProvider = failure.target === undefined || failure.target.startsWith("openai/");
  return [
    `${failure.at.toISOString()} upstream failure:`,
    `request=${failure.requestId}`,
    `model=${failure.model}`,
    ...(failure.target !== undefined ? [`target=${failure.target}`] : []),
    ...(defaultProvider ? [`upstream=${upstream}`] : []),
    `code=${failure.code}`,
    `status=${failure.status}${failure.inStream ? " (in stream)" : ""}`,
    `latency=${failure.latencyMs}ms`,
  ].join(" ");
}

/** Printable, bounded, no spaces: a client-chosen model id cannot forge or break the line. */
function printable(value: unknown): string | null {
  if (typeof value !== "string" || value === "") return null;
  return value.slice(0, MAX_MODEL_CHARS).replace(/[^\x21-\x7e]/g, "?");
}

function errorCode(value: unknown): ErrorCode | null {
  const code = (value as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === "string" && code in ERROR_CODES ? (code as ErrorCode) : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Watches one chat request and its response as the local gateway relays them. */
export class FailureWatch {
  private readonly started = Date.now();
  private requestChunks: Uint8Array[] | null = [];
  private requestBytes = 0;
  private requestId = "-";
  private mode: "json-error" | "stream" | "ignored" = "ignored";
  private reachedUpstream = false;
  private readonly errorChunks: Uint8Array[] = [];
  private errorBytes = 0;
  private headStatus = 0;
  private readonly decoder = new TextDecoder();
  private pendingLine = "";
  private skippingLine = false;
  private model: string | null = null;
  private reported = false;
  private target: string | undefined;

  constructor(private readonly report: (failure: UpstreamFailure) => void) {}

  /** A piece of the request body as the gateway reads it. */
  requestChunk(chunk: Uint8Array): void {
    if (this.requestChunks === null) return;
    this.requestBytes += chunk.byteLength;
    if (this.requestBytes > MAX_REQUEST_COPY_BYTES) this.requestChunks = null;
    else this.requestChunks.push(chunk);
  }

  /** The response's status and headers, before its body. */
  responseHead(status: number, headers: Headers): void {
    this.headStatus = status;
    this.requestId = printable(headers.get("x-request-id")) ?? "-";
    this.target = printable(headers.get("x-gateway-upstream")) ?? undefined;
    this.reachedUpstream = (headers.get("server-timing") ?? "").includes(CALLS_BEFORE_UPSTREAM);
    if ((headers.get("content-type") ?? "").includes("text/event-stream")) {
      this.mode = "stream";
      this.requestChunks = null;
    } else if (status >= 400) {
      this.mode = "json-error";
    } else {
      this.requestChunks = null;
    }
  }

  responseChunk(chunk: Uint8Array): void {
    if (this.mode === "json-error") {
      if (this.errorBytes + chunk.byteLength <= MAX_ERROR_BODY_BYTES) this.errorChunks.push(chunk);
      this.errorBytes += chunk.byteLength;
    } else if (this.mode === "stream" && !this.reported) {
      this.streamText(this.decoder.decode(chunk, { stream: true }));
    }
  }

  /** The response has ended (or the client left). */
  responseEnd(): void {
    if (this.mode !== "json-error" || this.errorBytes > MAX_ERROR_BODY_BYTES) return;
    const code = errorCode(parseJson(new TextDecoder().decode(Buffer.concat(this.errorChunks))));
    if (code === null) return;
    if (UPSTREAM_CODES.has(code) || (code === RATE_LIMITED && this.reachedUpstream)) {
      this.emit(code, this.headStatus, false, this.requestModel());
    }
  }

  private requestModel(): string {
    if (this.requestChunks === null) return "-";
    const body = parseJson(new TextDecoder().decode(Buffer.concat(this.requestChunks)));
    this.requestChunks = null;
    return printable((body as { model?: unknown } | null)?.model) ?? "-";
  }

  private streamText(text: string): void {
    let rest = text;
    for (;;) {
      const newline = rest.indexOf("\n");
      if (newline === -1) {
        if (!this.skippingLine) this.pendingLine += rest;
        if (this.pendingLine.length > MAX_SSE_LINE_CHARS) {
          this.pendingLine = "";
          this.skippingLine = true;
        }
        return;
      }
      const line = this.skippingLine ? null : this.pendingLine + rest.slice(0, newline);
      this.pendingLine = "";
      this.skippingLine = false;
      rest = rest.slice(newline + 1);
      // Only the first chunk (for its model id) and error events are parsed, not every delta.
      if (line !== null && (line.startsWith(ERROR_EVENT_START) || (this.model === null && line.startsWith("data: {")))) {
        this.streamEvent(parseJson(line.slice("data: ".length)));
      }
      if (this.reported) return;
    }
  }

  private streamEvent(event: unknown): void {
    this.model ??= printable((event as { model?: unknown } | null)?.model);
    const code = errorCode(event);
    if (code !== null && (UPSTREAM_CODES.has(code) || code === RATE_LIMITED)) this.emit(code, ERROR_CODES[code].status, true, this.model ?? "-");
  }

  private emit(code: ErrorCode, status: number, inStream: boolean, model: string): void {
    this.reported = true;
    this.report({ at: new Date(), requestId: this.requestId, model, code, status, latencyMs: Date.now() - this.started, inStream, ...(this.target !== undefined ? { target: this.target } : {}) });
  }
}
