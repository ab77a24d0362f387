// Plays a planned reply (replies.ts, driven by the same [[...]] directives as the OpenAI fake) in a provider's
// own wire format: one JSON body, or a stream of timed events, or the fault the prompt asked for. Each
// protocol says how to encode an event, what a broken frame looks like and what its error replies are.
import type { ServerResponse } from "node:http";
import { DirectiveError, type Fault } from "../directives";
import { sendJson, writeFlushed } from "../http-io";
import { planReply, type Plan, type Reply } from "../replies";
import type { ChatRequest } from "../request";
import { sleep } from "../sleep";
import { promptTokens } from "../tokens";
import { usageFor, type StreamTiming } from "../wire";

export interface TimedEvent<Event> {
  delayMs: number;
  event: Event;
  /** The event carries a piece of the reply (a word, a slice of tool arguments), not framing. */
  content?: boolean;
}

export interface ErrorReply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export interface Protocol<Event> {
  streamContentType: string;
  /** Headers every successful reply carries (request ids and the like). */
  successHeaders: () => Record<string, string>;
  encode: (event: Event) => string | Uint8Array;
  /** A frame the client cannot parse, sent by [[fault:malformed]]. */
  malformedFrame: string | Uint8Array;
  /** The provider's answer to [[fault:401]], [[fault:429]] and [[fault:500]]. */
  statusError: (status: 401 | 429 | 500) => ErrorReply;
}

export interface Playback<Event> {
  response: ServerResponse;
  stream: boolean;
  /** The whole stream, first event first; content events carry the plan's delays. */
  events: TimedEvent<Event>[];
  /** The non-streaming body. */
  json: unknown;
  fault: Fault | null;
  signal: AbortSignal;
  dropConnection: () => void;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/** The plan for a request translated into Chat Completions terms, or the message of a bad directive. */
export function planChat(chat: ChatRequest, timing: StreamTiming, newToolCallId: () => string): { plan: Plan; usage: Usage } | { directiveError: string } {
  try {
    const plan = planReply(chat, { ...timing, newToolCallId });
    const usage = usageFor(promptTokens(chat), plan.reply);
    return { plan, usage: { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens } };
  } catch (error) {
    if (error instanceof DirectiveError) return { directiveError: error.message };
    throw error;
  }
}

/** Delays for the content events of a reply: the first token waits firstTokenDelayMs, the rest interTokenDelayMs. */
export function contentDelay(plan: Plan, position: number): number {
  return position === 0 ? plan.firstTokenDelayMs : plan.interTokenDelayMs;
}

/** Every tool call's arguments joined, parsed: providers other than OpenAI carry them as JSON objects. */
export function parsedArguments(call: Reply["toolCalls"][number]): unknown {
  return JSON.parse(call.argumentPieces.join("") || "{}");
}

// Content events of a stream that go out, with the framing before them, before the connection is dropped
// or broken. [[fault:hang-after:N]] likewise sends the framing and N content events, then goes silent.
const contentBeforeReset = 2;
const contentBeforeMalformed = 1;

/** The events up to and including the count-th content event (all framing before it included). */
function throughContent<Event>(events: TimedEvent<Event>[], count: number): TimedEvent<Event>[] {
  let seen = 0;
  const end = count === 0 ? events.findIndex((event) => event.content) : events.findIndex((event) => event.content && (seen += 1) === count) + 1;
  return end <= 0 ? events : events.slice(0, end);
}

export async function play<Event>(protocol: Protocol<Event>, playback: Playback<Event>): Promise<void> {
  const { response, stream, events, signal, fault } = playback;
  const startStream = (): void => {
    response.writeHead(200, { "content-type": protocol.streamContentType, "cache-control": "no-cache", ...protocol.successHeaders() });
    response.flushHeaders();
  };
  if (!fault) {
    if (!stream) {
      await sleep(events.reduce((total, { delayMs }) => total + delayMs, 0), signal);
      if (!signal.aborted) sendJson(response, 200, playback.json, protocol.successHeaders());
      return;
    }
    startStream();
    if (await writeEvents(protocol, response, events, signal)) response.end();
    return;
  }
  switch (fault.kind) {
    case "status": {
      const { status, body, headers } = protocol.statusError(fault.status);
      return sendJson(response, status, body, headers);
    }
    case "hang":
      return;
    case "hang-after":
      if (stream) {
        startStream();
        await writeEvents(protocol, response, throughContent(events, fault.chunks), signal);
      }
      return;
    case "reset":
      if (stream) {
        startStream();
        if (await writeEvents(protocol, response, throughContent(events, contentBeforeReset), signal)) playback.dropConnection();
      } else {
        const body = JSON.stringify(playback.json);
        response.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
        await writeFlushed(response, body.slice(0, body.length / 2), signal);
        playback.dropConnection();
      }
      return;
    case "malformed":
      if (!stream) return sendRaw(response, "application/json", "{not json");
      startStream();
      if (await writeEvents(protocol, response, throughContent(events, contentBeforeMalformed), signal)) response.end(protocol.malformedFrame);
      return;
    case "empty":
      return sendRaw(response, stream ? protocol.streamContentType : "application/json", "");
  }
}

async function writeEvents<Event>(protocol: Protocol<Event>, response: ServerResponse, events: TimedEvent<Event>[], signal: AbortSignal): Promise<boolean> {
  for (const { delayMs, event } of events) {
    if (delayMs > 0) await sleep(delayMs, signal);
    if (signal.aborted) return false;
    await writeFlushed(response, protocol.encode(event), signal);
  }
  return !signal.aborted;
}

function sendRaw(response: ServerResponse, contentType: string, body: string): void {
  response.writeHead(200, { "content-type": contentType, "content-length": String(Buffer.byteLength(body)) });
  response.end(body);
}
