import { describe, expect, test } from "vitest";
import type { TextStreamPart, ToolSet } from "ai";
import { ReplyBuilder } from "../openai/replyBuilder";
import { UpstreamReader } from "./reader";

/** An async iterable whose parts are pushed by the test, one read at a time. */
function pushedParts() {
  const waiting: Array<(part: IteratorResult<TextStreamPart<ToolSet>>) => void> = [];
  const ready: Array<IteratorResult<TextStreamPart<ToolSet>>> = [];
  return {
    push(part: TextStreamPart<ToolSet>) {
      const result = { done: false as const, value: part };
      const reader = waiting.shift();
      if (reader) reader(result);
      else ready.push(result);
    },
    iterable: {
      [Symbol.asyncIterator]: () => ({
        next: () => (ready.length > 0 ? Promise.resolve(ready.shift()!) : new Promise<IteratorResult<TextStreamPart<ToolSet>>>((resolve) => waiting.push(resolve))),
      }),
    },
  };
}

const delta = (text: string) => ({ type: "text-delta", id: "t", text }) as TextStreamPart<ToolSet>;

function reader(iterable: AsyncIterable<TextStreamPart<ToolSet>>) {
  return new UpstreamReader(iterable, new ReplyBuilder(null), 60_000, new AbortController());
}

describe("UpstreamReader", () => {
  test("a part that is not there yet is waited for, at most the caller's wait", async () => {
    const parts = pushedParts();
    const upstream = reader(parts.iterable);
    expect(await upstream.next(20)).toEqual({ kind: "silent" });
    // The read left pending by the silent wait gets the part when it comes.
    const next = upstream.next(15_000);
    parts.push(delta("late"));
    expect(await next).toEqual({ kind: "event", event: { kind: "delta", delta: { content: "late" } } });
  });

  test("silence for the whole upstream timeout aborts the call", async () => {
    const parts = pushedParts();
    const abort = new AbortController();
    const upstream = new UpstreamReader(parts.iterable, new ReplyBuilder(null), 30, abort);
    expect(await upstream.next(Infinity)).toEqual({ kind: "timeout" });
    expect(abort.signal.aborted).toBe(true);
  });
});
