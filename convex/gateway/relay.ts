// Relays an upstream generation to the client as OpenAI's SSE stream or as one chat.completion.
// The response is held until the first upstream event (at most one keep-alive interval), so early
// upstream failures get a real HTTP status and Server-Timing holds the upstream's time to first byte;
// after that, deltas are written as they arrive and an error becomes an SSE error event.
import type { TextStreamPart, ToolSet } from "ai";
import { chatCompletion, completionChunk, sseData, SSE_DONE, SSE_KEEP_ALIVE, usageChunk, type ResponseIdentity } from "../openai/chunks";
import { errorBody, type GatewayError } from "../openai/errors";
import { ReplyBuilder } from "../openai/replyBuilder";
import type { StreamRedactor } from "../pii/streamRedactor";
import type { Responder } from "./responses";
import { UpstreamReader, type ReadResult } from "./upstreamReader";
import { upstreamFailure } from "./upstreamErrors";
import { keepAliveMs } from "./upstream";

export interface RelayOutcome {
  reply: ReplyBuilder;
  /** Null when the generation finished; otherwise why it did not. */
  error: GatewayError | null;
}

export interface RelayOptions {
  parts: AsyncIterable<TextStreamPart<ToolSet>>;
  abort: AbortController;
  identity: ResponseIdentity;
  stream: boolean;
  includeUsage: boolean;
  responder: Responder;
  timeoutMs: number;
  /** Set when the tenant scans output: the reply's text is redacted before the client sees it. */
  redactor: StreamRedactor | null;
  /** Stores the outcome; awaited before the response ends, while the action is certainly alive. */
  onDone: (outcome: RelayOutcome) => Promise<void>;
}

export async function relay(options: RelayOptions): Promise<Response> {
  const reply = new ReplyBuilder(options.redactor);
  const reader = new UpstreamReader(options.parts, reply, options.timeoutMs, options.abort);
  const interval = keepAliveMs();
  const upstreamStarted = Date.now();
  const first = await reader.next(options.stream ? interval : Infinity);
  if (first.kind !== "silent") options.responder.timing.record("upstream", Date.now() - upstreamStarted);

  const failure = failureOf(first);
  if (failure) {
    await options.onDone({ reply, error: failure });
    return options.responder.error(failure);
  }
  return options.stream ? streamResponse(options, reader, reply, first, interval) : jsonResponse(options, reader, reply, first);
}

/** The client-visible failure a read result stands for, or null when the generation goes on or finished. */
export function failureOf(result: ReadResult): GatewayError | null {
  if (result.kind === "timeout") return upstreamFailure(null, true);
  if (result.kind === "end") return { code: "upstream_error", message: "The upstream stream ended before it finished." };
  if (result.kind === "event" && result.event.kind === "error") return upstreamFailure(result.event.error, false);
  return null;
}

async function jsonResponse(options: RelayOptions, reader: UpstreamReader, reply: ReplyBuilder, first: ReadResult) {
  let result = first;
  while (result.kind === "event" && result.event.kind === "delta") result = await reader.next(Infinity);
  const failure = failureOf(result);
  await options.onDone({ reply, error: failure });
  if (failure) return options.responder.error(failure);
  return options.responder.json(
    200,
    chatCompletion(options.identity, {
      content: reply.content,
      toolCalls: reply.toolCalls,
      finishReason: reply.finishReason ?? "stop",
      usage: reply.usage,
    }),
  );
}

function streamResponse(
  options: RelayOptions,
  reader: UpstreamReader,
  reply: ReplyBuilder,
  first: ReadResult,
  keepAliveInterval: number,
): Response {
  const encoder = new TextEncoder();
  const { identity, includeUsage } = options;
  let cancelled = false;

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        if (!cancelled) controller.enqueue(encoder.encode(text));
      };
      const pump = async () => {
        write(sseData(completionChunk(identity, { role: "assistant", content: "" }, null, includeUsage)));
        let result = first;
        for (;;) {
          if (cancelled) {
            await options.onDone({ reply, error: { code: "upstream_error", message: "The client disconnected." } });
            return;
          }
          if (result.kind === "silent") {
            write(SSE_KEEP_ALIVE);
          } else if (result.kind === "event" && result.event.kind === "delta") {
            write(sseData(completionChunk(identity, result.event.delta, null, includeUsage)));
          } else if (result.kind === "event" && result.event.kind === "finish") {
            if (result.event.content) write(sseData(completionChunk(identity, { content: result.event.content }, null, includeUsage)));
            write(sseData(completionChunk(identity, {}, result.event.finishReason, includeUsage)));
            if (includeUsage) write(sseData(usageChunk(identity, result.event.usage)));
            write(SSE_DONE);
            await options.onDone({ reply, error: null });
            return;
          } else {
            const failure = failureOf(result)!;
            write(sseData(errorBody(failure)));
            await options.onDone({ reply, error: failure });
            return;
          }
          result = await reader.next(keepAliveInterval);
        }
      };
      pump()
        .catch((error: unknown) => {
          // A failure of our own (storing the outcome) after headers: report it in-band, never hang.
          console.error("relay failed", error instanceof Error ? error.message : "unknown error");
          write(sseData(errorBody({ code: "upstream_error", message: "The gateway failed to finish the response." })));
        })
        .finally(() => {
          if (!cancelled) controller.close();
        });
    },
    cancel() {
      cancelled = true;
      options.abort.abort();
    },
  });

  const headers = options.responder.finalHeaders({
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
  });
  return new Response(body, { status: 200, headers });
}
