// Relays an agent-mode generation from its persistent stream: polls with a cursor (each poll reads
// only new chunks), sends each batch as SSE deltas, keep-alive comments while the agent works silently,
// and maps the stream's terminal state to the right ending. Non-streaming requests wait for the
// terminal state and return one chat.completion. Polls are paced (pollSchedule.ts): aimed at when the
// first text is expected for this model, fast for a short while after it, then slowing to the writer's
// cadence, so a stream-minute costs about 120 polls, not 2,400.
// x-gateway-upstream names the target recorded on the stream (by `begin` when the plan cannot fail
// over, else by the run once it settled on one: agent/run.ts), as of the poll that starts the response.
import type { FunctionReturnType } from "convex/server";
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
import { FirstTextForecasts, PollPacer } from "./pollSchedule";

/** Recent first-write delays per model, in this instance's memory: where the next relay aims its polls. */
const forecasts = new FirstTextForecasts();

export interface StreamRelayOptions {
  ctx: ActionCtx;
  streamId: Id<"streams">;
  /** Whose first-write delays forecast this stream's: the tenant and the model it named, so tenants never share one. */
  forecastKey: string;
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
  private readonly startedAt = Date.now();
  private readonly pacer: PollPacer;
  /** A terminal state read together with the last text: the next poll reports it without a query. */
  private ending: Poll | null = null;
  /** When the next poll is due. */
  nextPollAt: number;
  /** The target the run recorded, once it has. */
  upstream: string | null = null;

  constructor(
    private readonly ctx: ActionCtx,
    private readonly streamId: Id<"streams">,
    /** StreamRelayOptions.forecastKey. */
    private readonly forecastKey: string,
  ) {
    this.pacer = new PollPacer(this.startedAt, forecasts.window(forecastKey));
    this.nextPollAt = this.pacer.firstPollAt();
  }

  async poll(): Promise<Poll> {
    if (this.ending !== null) return this.ending;
    const result = await this.read();
    this.nextPollAt = this.ending !== null ? Date.now() : this.pacer.nextPollAt(result.kind, Date.now());
    return result;
  }

  private async read(): Promise<Poll> {
    const read = await this.ctx.runQuery(internal.agent.stream.read, { streamId: this.streamId, after: this.after });
    if (read === null) return { kind: "failed", error: { code: "upstream_error", message: "The generation's stream is gone." } };
    this.upstream = read.upstream ?? this.upstream;
    const ending = terminal(read);
    if (read.chunks.length === 0) return ending ?? { kind: "waiting" };
    // When the first text was written, not when this poll saw it: the next relay's forecast.
    if (this.after === -1) forecasts.record(this.forecastKey, read.chunks[0]!.writtenAt - this.startedAt);
    this.after = read.chunks[read.chunks.length - 1]!.index;
    this.ending = ending;
    return { kind: "text", text: read.chunks.map((chunk) => chunk.text).join("") };
  }
}

/** The poll result of a stream's terminal state, or null while it is open. */
function terminal(read: NonNullable<FunctionReturnType<typeof internal.agent.stream.read>>): Poll | null {
  if (read.status === "done") {
    return { kind: "done", finishReason: read.finishReason ?? "stop", usage: read.usage ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0 } };
  }
  if (read.status === "error" || read.status === "timeout") {
    return { kind: "failed", error: read.error ?? { code: read.status === "timeout" ? "upstream_timeout" : "upstream_error", message: "The generation failed." } };
  }
  return null;
}

/** Polls, when each poll is due, until something other than "waiting" arrives or `waitMs` passes (then "waiting"). */
async function pollWithin(cursor: StreamCursor, waitMs: number): Promise<Poll> {
  const until = Date.now() + waitMs;
  for (;;) {
    if (cursor.nextPollAt > until) {
      await sleep(until - Date.now());
      return { kind: "waiting" };
    }
    await sleep(cursor.nextPollAt - Date.now());
    const result = await cursor.poll();
    if (result.kind !== "waiting") return result;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

export async function relayStream(options: StreamRelayOptions): Promise<Response> {
  const cursor = new StreamCursor(options.ctx, options.streamId, options.forecastKey);
  const started = Date.now();
  const first = await pollWithin(cursor, options.stream ? keepAliveMs() : Infinity);
  if (first.kind !== "waiting") options.responder.timing.record("upstream", Date.now() - started);
  if (cursor.upstream !== null) options.responder.headers.set("x-gateway-upstream", cursor.upstream);
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
