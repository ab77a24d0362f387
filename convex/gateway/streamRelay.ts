// Relays an agent-mode generation from its persistent stream: polls with a cursor (each poll reads
// only new chunks), sends each batch as SSE deltas within one poll interval of its write, keep-alive
// comments while the agent works silently, and maps the stream's terminal state to the right ending.
// Non-streaming requests wait for the terminal state and return one chat.completion.
import type { ActionCtx } from "../_generated/server";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { chatCompletion, type ResponseIdentity } from "../openai/chunks";
import type { GatewayError } from "../openai/errors";
import type { FinishReason } from "../openai/finishReason";
import type { Usage } from "../openai/usage";
import { keepAliveMs } from "../upstream/config";
import type { Responder } from "./responses";
import { sseResponse } from "./sseResponse";

/** How often the relay polls: a written batch reaches the client within this long. */
export const POLL_INTERVAL_MS = 25;

export interface StreamRelayOptions {
  ctx: ActionCtx;
  streamId: Id<"streams">;
  identity: ResponseIdentity;
  stream: boolean;
  includeUsage: boolean;
  responder: Responder;
}

type Poll =
  | { kind: "text"; text: string }
  | { kind: "waiting" }
  | { kind: "done"; finishReason: FinishReason; usage: Usage }
  | { kind: "failed"; error: GatewayError };

/** Reads the stream from a cursor; each call returns what is new since the last. */
class StreamCursor {
  private after = -1;
  constructor(
    private readonly ctx: ActionCtx,
    private readonly streamId: Id<"streams">,
  ) {}

  async poll(): Promise<Poll> {
    const read = await this.ctx.runQuery(internal.agent.stream.read, { streamId: this.streamId, after: this.after });
    if (read === null) return { kind: "failed", error: { code: "upstream_error", message: "The generation's stream is gone." } };
    if (read.chunks.length > 0) {
      this.after = read.chunks[read.chunks.length - 1]!.index;
      return { kind: "text", text: read.chunks.map((chunk) => chunk.text).join("") };
    }
    if (read.status === "done") {
      return { kind: "done", finishReason: read.finishReason ?? "stop", usage: read.usage ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0 } };
    }
    if (read.status === "error" || read.status === "timeout") {
      return { kind: "failed", error: read.error ?? { code: read.status === "timeout" ? "upstream_timeout" : "upstream_error", message: "The generation failed." } };
    }
    return { kind: "waiting" };
  }
}

/** Polls until something other than "waiting" arrives or `waitMs` passes (then "waiting"). */
async function pollWithin(cursor: StreamCursor, waitMs: number): Promise<Poll> {
  const until = Date.now() + waitMs;
  for (;;) {
    const result = await cursor.poll();
    if (result.kind !== "waiting" || Date.now() >= until) return result;
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_INTERVAL_MS, Math.max(0, until - Date.now()))));
  }
}

export async function relayStream(options: StreamRelayOptions): Promise<Response> {
  const cursor = new StreamCursor(options.ctx, options.streamId);
  const started = Date.now();
  const first = await pollWithin(cursor, options.stream ? keepAliveMs() : Infinity);
  if (first.kind !== "waiting") options.responder.timing.record("upstream", Date.now() - started);
  if (first.kind === "failed") return options.responder.error(first.error);
  return options.stream ? streamedResponse(options, cursor, first) : jsonResponse(options, cursor, first);
}

async function jsonResponse(options: StreamRelayOptions, cursor: StreamCursor, first: Poll): Promise<Response> {
  let content = "";
  let result = first;
  while (result.kind === "text" || result.kind === "waiting") {
    if (result.kind === "text") content += result.text;
    result = await pollWithin(cursor, Infinity);
  }
  if (result.kind === "failed") return options.responder.error(result.error);
  return options.responder.json(
    200,
    chatCompletion(options.identity, { content: content || null, toolCalls: [], finishReason: result.finishReason, usage: result.usage }),
  );
}

function streamedResponse(options: StreamRelayOptions, cursor: StreamCursor, first: Poll): Response {
  return sseResponse({
    responder: options.responder,
    identity: options.identity,
    includeUsage: options.includeUsage,
    pump: async (out) => {
      let result = first;
      // The client leaving stops the relay only: the agent run goes on and its answer is stored.
      while (!out.cancelled()) {
        if (result.kind === "waiting") out.keepAlive();
        else if (result.kind === "text") out.delta({ content: result.text });
        else if (result.kind === "done") return out.finish(result.finishReason, result.usage);
        else return out.error(result.error);
        result = await pollWithin(cursor, keepAliveMs());
      }
    },
  });
}
