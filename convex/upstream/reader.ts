// Reads the AI SDK's stream parts with two clocks: a wait bounded by the caller (so the relay can send
// keep-alives while the upstream is silent) and the upstream timeout, which aborts the call after
// that much silence. A read that is still pending when the wait ends is kept for the next call.
import type { TextStreamPart, ToolSet } from "ai";
import type { ReplyBuilder, ReplyEvent } from "../openai/replyBuilder";

export type ReadResult =
  | { kind: "event"; event: ReplyEvent }
  /** The caller's wait ended before the upstream said anything. */
  | { kind: "silent" }
  /** The upstream was silent for the whole timeout; the call has been aborted. */
  | { kind: "timeout" }
  /** The stream ended; after a finish event this is normal, before one it is a failure. */
  | { kind: "end" };

const WAIT_ENDED = Symbol("wait ended");

export class UpstreamReader {
  private pending: Promise<IteratorResult<TextStreamPart<ToolSet>>> | null = null;
  private lastActivity = Date.now();
  private readonly iterator: AsyncIterator<TextStreamPart<ToolSet>>;

  constructor(
    parts: AsyncIterable<TextStreamPart<ToolSet>>,
    private readonly builder: ReplyBuilder,
    private readonly timeoutMs: number,
    private readonly abort: AbortController,
  ) {
    this.iterator = parts[Symbol.asyncIterator]();
  }

  /** The next event the client should see, waiting at most `waitMs` (Infinity: until the timeout). */
  async next(waitMs: number): Promise<ReadResult> {
    const until = Date.now() + waitMs;
    for (;;) {
      const now = Date.now();
      const deadline = this.lastActivity + this.timeoutMs;
      if (now >= deadline) return this.giveUp();
      if (now >= until) return { kind: "silent" };
      this.pending ??= this.iterator.next();
      let result: IteratorResult<TextStreamPart<ToolSet>> | typeof WAIT_ENDED;
      try {
        result = await raceWait(this.pending, Math.min(until, deadline) - now);
      } catch (error) {
        // The AI SDK reports most failures as error parts, but a transport failure (a dropped
        // connection) can reject the read itself: it is the same upstream failure.
        this.pending = null;
        return { kind: "event", event: { kind: "error", error } };
      }
      if (result === WAIT_ENDED) continue;
      this.pending = null;
      this.lastActivity = Date.now();
      if (result.done) return { kind: "end" };
      const event = this.builder.accept(result.value);
      if (event) return { kind: "event", event };
    }
  }

  private giveUp(): ReadResult {
    this.abort.abort();
    // The abandoned read settles once the abort lands; nothing waits for it, so it must not reject unobserved.
    this.pending?.catch(() => undefined);
    this.pending = null;
    return { kind: "timeout" };
  }
}

async function raceWait<T>(promise: Promise<T>, milliseconds: number): Promise<T | typeof WAIT_ENDED> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<typeof WAIT_ENDED>((resolve) => {
    timer = setTimeout(() => resolve(WAIT_ENDED), milliseconds);
  });
  try {
    return await Promise.race([promise, waited]);
  } finally {
    clearTimeout(timer);
  }
}
