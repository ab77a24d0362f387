// Fault injection in both modes: every way the fake upstream can misbehave, with the result a client
// sees (a real status before any byte of the reply, an SSE error event after), in OpenAI's error shape
// and never a 500; the upstream timeout ending hung calls; and, whatever happened, the user's turn
// stored, the failure recorded as the assistant's message, and the conversation released.
// docs/faults.md is this table in prose.
import { afterEach, describe, expect, test } from "vitest";
import { marker, postChat, startGateway, upstreamUrl } from "../testing/harness.testing";
import { onlyUpstreamBody, upstreamRequests } from "../testing/upstream.testing";
import { blockData, readTimedBlocks, type Chunk, type TimedBlock } from "../testing/stream.testing";
import { MODES } from "../testing/modes.testing";
import { restoreEnvironment, setEnvironment } from "../testing/environment.testing";
import { waitForRecorded } from "../../scripts/fake-upstream/client";
import { settledRows } from "../testing/conversations.testing";

afterEach(restoreEnvironment);

/** What the client must see. */
type Expected =
  /** An HTTP error status before any byte of the reply. */
  | { kind: "status"; status: number; code: string; retryAfter?: string }
  /** A 200 stream with some content, ended by `data: {"error":...}` and no [DONE]. */
  | { kind: "stream error"; code: string }
  /** A complete reply; `keepAlives` when the stream must carry keep-alive comments between deltas. */
  | { kind: "complete"; keepAlives?: boolean };

interface FaultCase {
  name: string;
  directives: string;
  stream: boolean;
  environment?: Record<string, string>;
  expected: Expected;
  /** The stored assistant message's status. */
  stored: "complete" | "error" | "timeout";
  /** The gateway gave up on the upstream request (it was closed before the upstream finished). */
  abandoned?: boolean;
  /** The upstream request carried no key. */
  keyless?: boolean;
}

const SHORT_TIMEOUT = { UPSTREAM_TIMEOUT_MS: "300" };
const SHORT_KEEP_ALIVE = { GATEWAY_KEEPALIVE_MS: "50" };

const CASES: FaultCase[] = [
  { name: "HTTP 500", directives: "[[fault:500]]", stream: false, expected: { kind: "status", status: 502, code: "upstream_error" }, stored: "error" },
  { name: "HTTP 500", directives: "[[fault:500]]", stream: true, expected: { kind: "status", status: 502, code: "upstream_error" }, stored: "error" },
  {
    name: "HTTP 429 with retry-after",
    directives: "[[fault:429]]",
    stream: false,
    expected: { kind: "status", status: 429, code: "rate_limit_exceeded", retryAfter: "2" },
    stored: "error",
  },
  {
    name: "HTTP 429 with retry-after",
    directives: "[[fault:429]]",
    stream: true,
    expected: { kind: "status", status: 429, code: "rate_limit_exceeded", retryAfter: "2" },
    stored: "error",
  },
  // The gateway's own upstream key was refused: the operator's problem, never the client's 401.
  { name: "HTTP 401 (the gateway's upstream key is wrong)", directives: "[[fault:401]]", stream: false, expected: { kind: "status", status: 502, code: "upstream_error" }, stored: "error" },
  { name: "HTTP 401 (the gateway's upstream key is wrong)", directives: "[[fault:401]]", stream: true, expected: { kind: "status", status: 502, code: "upstream_error" }, stored: "error" },
  {
    name: "HTTP 401 (no upstream key configured)",
    directives: "",
    stream: false,
    environment: { OPENAI_API_KEY: "" },
    expected: { kind: "status", status: 502, code: "upstream_error" },
    stored: "error",
    keyless: true,
  },
  { name: "an empty 200 body", directives: "[[fault:empty]]", stream: false, expected: { kind: "status", status: 502, code: "upstream_error" }, stored: "error" },
  { name: "an empty 200 stream", directives: "[[fault:empty]]", stream: true, expected: { kind: "status", status: 502, code: "upstream_error" }, stored: "error" },
  {
    name: "no response until the upstream timeout",
    directives: "[[fault:hang]]",
    stream: false,
    environment: SHORT_TIMEOUT,
    expected: { kind: "status", status: 504, code: "upstream_timeout" },
    stored: "timeout",
    abandoned: true,
  },
  {
    name: "no response until the upstream timeout",
    directives: "[[fault:hang]]",
    stream: true,
    environment: SHORT_TIMEOUT,
    expected: { kind: "status", status: 504, code: "upstream_timeout" },
    stored: "timeout",
    abandoned: true,
  },
  {
    name: "silence mid-stream past the upstream timeout",
    directives: "[[words:6]] [[fault:hang-after:2]]",
    stream: true,
    environment: { ...SHORT_TIMEOUT, ...SHORT_KEEP_ALIVE },
    expected: { kind: "stream error", code: "upstream_timeout" },
    stored: "timeout",
    abandoned: true,
  },
  {
    name: "silence mid-body past the upstream timeout",
    directives: "[[words:6]] [[fault:hang-after:2]]",
    stream: false,
    environment: SHORT_TIMEOUT,
    expected: { kind: "status", status: 504, code: "upstream_timeout" },
    stored: "timeout",
    abandoned: true,
  },
  {
    name: "connection reset mid-stream",
    directives: "[[words:8]] [[fault:reset]]",
    stream: true,
    expected: { kind: "stream error", code: "upstream_error" },
    stored: "error",
  },
  { name: "connection reset mid-body", directives: "[[words:8]] [[fault:reset]]", stream: false, expected: { kind: "status", status: 502, code: "upstream_error" }, stored: "error" },
  { name: "malformed SSE", directives: "[[words:8]] [[fault:malformed]]", stream: true, expected: { kind: "stream error", code: "upstream_error" }, stored: "error" },
  { name: "a malformed JSON body", directives: "[[words:8]] [[fault:malformed]]", stream: false, expected: { kind: "status", status: 502, code: "upstream_error" }, stored: "error" },
  {
    name: "a trickle slower than the keep-alive interval",
    directives: "[[words:4]] [[trickle:200]]",
    stream: true,
    environment: SHORT_KEEP_ALIVE,
    expected: { kind: "complete", keepAlives: true },
    stored: "complete",
  },
  {
    name: "a trickle slower than the keep-alive interval",
    directives: "[[words:4]] [[trickle:200]]",
    stream: false,
    environment: SHORT_KEEP_ALIVE,
    expected: { kind: "complete" },
    stored: "complete",
  },
  {
    name: "a trickle slower than the upstream timeout",
    directives: "[[words:4]] [[trickle:700]]",
    stream: true,
    environment: SHORT_TIMEOUT,
    expected: { kind: "stream error", code: "upstream_timeout" },
    stored: "timeout",
    abandoned: true,
  },
  {
    name: "a trickle slower than the upstream timeout",
    directives: "[[words:4]] [[trickle:700]]",
    stream: false,
    environment: SHORT_TIMEOUT,
    expected: { kind: "status", status: 504, code: "upstream_timeout" },
    stored: "timeout",
    abandoned: true,
  },
];

const ERROR_SHAPE = (code: string) => ({ error: { message: expect.any(String), type: code === "rate_limit_exceeded" ? "rate_limit_exceeded" : "server_error", param: null, code } });

function contentOf(block: TimedBlock): string | undefined {
  return (blockData(block) as Chunk | null)?.choices?.[0]?.delta.content ?? undefined;
}

for (const mode of MODES) {
  describe(`upstream faults, ${mode.name}`, () => {
    for (const fault of CASES) {
      const outcome =
        fault.expected.kind === "status"
          ? `${fault.expected.status} ${fault.expected.code}`
          : fault.expected.kind === "stream error"
            ? `200, then an SSE ${fault.expected.code} event`
            : `200 complete${fault.expected.keepAlives ? " with keep-alive comments" : ""}`;
      test(`${fault.name}, ${fault.stream ? "streaming" : "non-streaming"}: ${outcome}; the turn and the ${fault.stored} reply are stored`, async () => {
        for (const [name, value] of Object.entries(fault.environment ?? {})) setEnvironment(name, value);
        const t = await startGateway();
        const tag = marker();
        const prompt = `${fault.directives} ${tag}`.trim();
        const response = await postChat(t, { model: "writer", ...mode.fields, stream: fault.stream, messages: [{ role: "user", content: prompt }] });
        const conversationId = response.headers.get("x-conversation-id")!;
        expect(conversationId).toBeTruthy();

        const { expected } = fault;
        if (expected.kind === "status") {
          expect(response.status).toBe(expected.status);
          expect(response.headers.get("content-type")).toBe("application/json");
          const body = await response.json();
          expect(body).toEqual(ERROR_SHAPE(expected.code));
          // The upstream's own error (every one of the fake's names it) is never passed off as the gateway's.
          expect(body.error.message).not.toMatch(/fake upstream|api key/i);
          if (expected.retryAfter) expect(response.headers.get("retry-after")).toBe(expected.retryAfter);
        } else if (!fault.stream) {
          expect(response.status).toBe(200);
          const body = await response.json();
          expect(body.choices[0].message.content).toBe("word1 word2 word3 word4");
        } else {
          expect(response.status).toBe(200);
          const blocks = await readTimedBlocks(response);
          const contents = blocks.map(contentOf).filter(Boolean);
          expect(contents.length, "some content was relayed").toBeGreaterThan(0);
          if (expected.kind === "stream error") {
            expect(blocks.map((block) => block.text)).not.toContain("data: [DONE]");
            expect(blockData(blocks.at(-1)!)).toEqual(ERROR_SHAPE(expected.code));
          } else {
            expect(contents.join("")).toBe("word1 word2 word3 word4");
            expect(blocks.at(-1)!.text).toBe("data: [DONE]");
            const first = blocks.findIndex((block) => contentOf(block));
            const last = blocks.findLastIndex((block) => contentOf(block));
            if (expected.keepAlives) {
              expect(blocks.slice(first, last).filter((block) => block.text === ": keep-alive").length).toBeGreaterThanOrEqual(3);
            }
          }
        }

        const upstream = await onlyUpstreamBody(tag);
        expect(upstream.messages.at(-1)).toEqual({ role: "user", content: prompt });
        if (fault.keyless) {
          const [recorded] = await upstreamRequests(tag);
          expect(recorded!.headers.authorization).toMatch(/^Bearer\s*$/);
        }
        if (fault.abandoned) {
          const recorded = await waitForRecorded(upstreamUrl(), tag, (request) => request.finishedAt !== null);
          expect(recorded.closedEarly, "the gateway closed the hung upstream request").toBe(true);
        }
        const rows = await settledRows(t, conversationId);
        expect(rows.map((row) => [row.message.role, row.status])).toEqual([
          ["user", "complete"],
          ["assistant", fault.stored],
        ]);
        expect(rows[0]!.message.content).toBe(prompt);
        if (fault.stored !== "complete") expect(rows[1]!.error).toEqual(expect.any(String));
      });
    }
  });
}
