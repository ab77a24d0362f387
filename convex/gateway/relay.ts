// Relays an upstream generation to the client as OpenAI's SSE stream or as one chat.completion.
// The response is held until the first upstream event (at most one keep-alive interval), so early
// upstream failures get a real HTTP status and Server-Timing holds the upstream's time to first byte;
// after that, deltas are written as they arrive and an error becomes an SSE error event. While it
// works it renews the turn's lease (model/settle.ts), so a relay that dies is noticed within seconds.
// The upstream is opened through the failover plan (upstream/failover.ts); the response names the
// target that produced it in x-gateway-upstream.
import { chatCompletion, type ResponseIdentity } from "../openai/chunks";
import type { GatewayError } from "../openai/errors";
import { ReplyBuilder } from "../openai/replyBuilder";
import { StreamRedactor } from "../pii/streamRedactor";
import type { Responder } from "./responses";
import { sseResponse } from "./sseResponse";
import type { UpstreamReader, ReadResult } from "../upstream/reader";
import { readFailure } from "../upstream/failures";
import { openUpstream, type FailoverOptions } from "../upstream/failover";
import { targetLabel } from "../upstream/providerConfig";
import { keepAliveMs } from "../upstream/config";
import { LEASE_RENEW_MS } from "../model/reservations";
import { outputCharacters } from "../model/tokenEstimate";

export interface RelayOutcome {
  reply: ReplyBuilder;
  /** Null when the generation finished; otherwise why it did not. */
  error: GatewayError | null;
  /** `provider/model-id` of the target that produced the reply (or was tried last). */
  upstream: string;
}

export interface RelayOptions {
  /** The failover plan; the relay supplies the reply builders. */
  failover: Omit<FailoverOptions, "newReply">;
  identity: ResponseIdentity;
  stream: boolean;
  includeUsage: boolean;
  responder: Responder;
  /** Set when the tenant scans output: the reply's text is redacted before the client sees it. */
  scanOutput: boolean;
  /** Stores the outcome; awaited before the response ends, while the action is certainly alive. */
  onDone: (outcome: RelayOutcome) => Promise<void>;
  /** Renews the turn's lease, with the characters of text and tool-call arguments relayed so far. */
  renewLease: (streamedCharacters: number) => Promise<unknown>;
}

/** Renews the lease every LEASE_RENEW_MS until the relay is done; renewals run one at a time. */
class LeaseKeeper {
  private renewals: Promise<void> = Promise.resolve();
  private readonly timer: ReturnType<typeof setInterval>;

  /** `reply`: the reply being built, null while the failover plan has not opened a target. */
  constructor(renew: (streamedCharacters: number) => Promise<unknown>, reply: () => ReplyBuilder | null) {
    this.timer = setInterval(() => {
      const current = reply();
      const streamed = current === null ? 0 : outputCharacters({ role: "assistant", content: current.content, toolCalls: current.toolCalls });
      // A failed renewal is not the client's problem: the lease lapses and the safety net settles the turn.
      this.renewals = this.renewals.then(async () => void (await renew(streamed))).catch(() => undefined);
    }, LEASE_RENEW_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.renewals;
  }
}

export async function relay(input: RelayOptions): Promise<Response> {
  let reply: ReplyBuilder | null = null;
  const lease = new LeaseKeeper(input.renewLease, () => reply);
  // The lease stops before the outcome is stored, so no renewal races the settlement.
  const options: LeasedRelayOptions = {
    ...input,
    lease,
    onDone: async (outcome) => {
      await lease.stop();
      await input.onDone(outcome);
    },
  };
  try {
    const upstreamStarted = Date.now();
    // Each attempt gets its own redactor: text a failed attempt left held back must never reach the client.
    const opened = await openUpstream({ ...input.failover, newReply: () => new ReplyBuilder(input.scanOutput ? new StreamRedactor() : null) });
    reply = opened.reply;
    const upstream = targetLabel(opened.target);
    options.responder.headers.set("x-gateway-upstream", upstream);
    return await relayReply(options, { reader: opened.reader, reply, abort: opened.abort, upstream, first: opened.first, upstreamStarted });
  } catch (error) {
    await lease.stop();
    throw error;
  }
}

interface LeasedRelayOptions extends RelayOptions {
  lease: LeaseKeeper;
}

/** The target the failover plan opened, with its first read when the plan already made it. */
interface OpenedReply {
  reader: UpstreamReader;
  reply: ReplyBuilder;
  abort: AbortController;
  upstream: string;
  first: ReadResult | null;
  upstreamStarted: number;
}

async function relayReply(options: LeasedRelayOptions, opened: OpenedReply): Promise<Response> {
  const { reader, reply, upstream } = opened;
  const interval = keepAliveMs();
  const first = opened.first ?? (await reader.next(options.stream ? interval : Infinity));
  if (first.kind !== "silent") options.responder.timing.record("upstream", Date.now() - opened.upstreamStarted);

  const failure = readFailure(first);
  if (failure) {
    await options.onDone({ reply, error: failure, upstream });
    return options.responder.error(failure);
  }
  return options.stream ? streamResponse(options, opened, first, interval) : jsonResponse(options, opened, first);
}

async function jsonResponse(options: RelayOptions, { reader, reply, upstream }: OpenedReply, first: ReadResult) {
  let result = first;
  while (result.kind === "event" && result.event.kind === "delta") result = await reader.next(Infinity);
  const failure = readFailure(result);
  await options.onDone({ reply, error: failure, upstream });
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

function streamResponse(options: LeasedRelayOptions, { reader, reply, abort, upstream }: OpenedReply, first: ReadResult, keepAliveInterval: number): Response {
  return sseResponse({
    responder: options.responder,
    identity: options.identity,
    includeUsage: options.includeUsage,
    onCancel: () => abort.abort(),
    pump: async (out) => {
      let result = first;
      try {
        for (;;) {
          if (out.cancelled()) {
            await options.onDone({ reply, error: { code: "upstream_error", message: "The client disconnected." }, upstream });
            return;
          }
          if (result.kind === "silent") {
            out.keepAlive();
          } else if (result.kind === "event" && result.event.kind === "delta") {
            out.delta(result.event.delta);
          } else if (result.kind === "event" && result.event.kind === "finish") {
            if (result.event.content) out.delta({ content: result.event.content });
            out.finish(result.event.finishReason, result.event.usage);
            await options.onDone({ reply, error: null, upstream });
            return;
          } else {
            const failure = readFailure(result)!;
            out.error(failure);
            await options.onDone({ reply, error: failure, upstream });
            return;
          }
          result = await reader.next(keepAliveInterval);
        }
      } finally {
        // A pump that failed before storing its outcome stops renewing: the safety net settles the turn.
        await options.lease.stop();
      }
    },
  });
}
