// The SSE response both relays send: headers at once, the opening role chunk, then whatever the relay's
// pump writes (deltas, keep-alives, the finish or an error event). A failure of the pump itself after
// the headers becomes an in-band error event; the stream always closes; a client that leaves cancels.
import { completionChunk, deltaEventWriter, sseData, SSE_DONE, SSE_KEEP_ALIVE, usageChunk, type ResponseIdentity } from "../openai/chunks";
import { errorBody, type GatewayError } from "../openai/errors";
import type { FinishReason } from "../openai/finishReason";
import type { ChunkDelta } from "../openai/responseSchemas";
import type { Usage } from "../openai/usage";
import type { Responder } from "./responses";

/** Writes OpenAI's stream events; every write is dropped once the client has gone. */
export class ChunkWriter {
  private readonly deltaEvent: (delta: ChunkDelta) => string;

  constructor(
    private readonly write: (text: string) => void,
    private readonly identity: ResponseIdentity,
    private readonly includeUsage: boolean,
    /** Whether the client has gone: the pump stops at its next step. */
    readonly cancelled: () => boolean,
  ) {
    this.deltaEvent = deltaEventWriter(identity, includeUsage);
  }

  delta(delta: ChunkDelta): void {
    this.write(this.deltaEvent(delta));
  }

  keepAlive(): void {
    this.write(SSE_KEEP_ALIVE);
  }

  /** The finish chunk, the usage chunk when asked for, and [DONE]. */
  finish(finishReason: FinishReason, usage: Usage): void {
    this.write(sseData(completionChunk(this.identity, {}, finishReason, this.includeUsage)));
    if (this.includeUsage) this.write(sseData(usageChunk(this.identity, usage)));
    this.write(SSE_DONE);
  }

  /** An error after the headers: the error event ends the stream, with no [DONE]. */
  error(error: GatewayError): void {
    this.write(sseData(errorBody(error)));
  }
}

export function sseResponse(options: {
  responder: Responder;
  identity: ResponseIdentity;
  includeUsage: boolean;
  pump: (out: ChunkWriter) => Promise<void>;
  onCancel?: () => void;
}): Response {
  const encoder = new TextEncoder();
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const out = new ChunkWriter(
        (text) => {
          if (!cancelled) controller.enqueue(encoder.encode(text));
        },
        options.identity,
        options.includeUsage,
        () => cancelled,
      );
      out.delta({ role: "assistant", content: "" });
      options
        .pump(out)
        .catch((error: unknown) => {
          console.error(`request ${options.responder.requestId}: relay failed:`, error instanceof Error ? error.name : "unknown error");
          out.error({ code: "upstream_error", message: "The gateway failed to finish the response." });
        })
        .finally(() => {
          if (!cancelled) controller.close();
        });
    },
    cancel() {
      cancelled = true;
      options.onCancel?.();
    },
  });
  const headers = options.responder.finalHeaders({ "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
  return new Response(body, { status: 200, headers });
}
