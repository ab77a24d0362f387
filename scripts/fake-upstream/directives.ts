/*
 * Magic directives that script the fake upstream from inside a prompt.
 *
 * Where they are read: only the text of the LAST user message (string content or its text parts).
 * Directives in system, assistant or tool messages, or in earlier user messages, are plain text.
 * Each directive is removed from the text that the default reply echoes ("You said: ...").
 *
 *   [[reply:TEXT]]             reply exactly TEXT (up to the first "]]"); wins over response_format
 *   [[words:N]]                reply "word1 word2 ... wordN"
 *   [[delay:MS]]               wait MS before the first token (overrides firstTokenDelayMs)
 *   [[trickle:MS]]             wait MS between tokens (overrides interTokenDelayMs)
 *   [[finish:content_filter]]  stop after about half the reply with finish_reason "content_filter"
 *   [[call:NAME]]              call tool NAME with arguments generated from its parameters schema
 *   [[call:NAME {"a":1}]]      call tool NAME with these JSON arguments; repeat the directive for parallel calls
 *   [[fault:500]]              HTTP 500 server_error
 *   [[fault:429]]              HTTP 429 rate_limit_exceeded with "retry-after: 2"
 *   [[fault:401]]              HTTP 401 invalid_api_key
 *   [[fault:hang]]             accept the request and never answer
 *   [[fault:hang-after:N]]     stream N chunks after the role chunk, then go silent (non-streaming: hang)
 *   [[fault:reset]]            send headers and a little of the body, then destroy the socket
 *   [[fault:malformed]]        stream a couple of valid chunks, then "data: {not json", then end
 *                              (non-streaming: a 200 whose body is not JSON)
 *   [[fault:empty]]            200 with an empty body
 *
 * After tool results: when the LAST message of the request is a tool message, the directives above are
 * ignored (the user message that asked for a tool call is still the last user message, and obeying it
 * again would loop) and the reply lists the tool results. Prefix any directive with "after-tools:" to
 * apply it to that round instead, e.g. [[after-tools:reply:TEXT]] or [[after-tools:fault:500]].
 *
 * Text like [[unknown:x]] or [[name]] is not a directive and stays in the text. A known directive with a
 * bad value (e.g. [[words:many]]) throws DirectiveError, which the server answers with a 400.
 */

export type Fault =
  | { kind: "status"; status: 401 | 429 | 500 }
  | { kind: "hang" }
  | { kind: "hang-after"; chunks: number }
  | { kind: "reset" }
  | { kind: "malformed" }
  | { kind: "empty" };

export interface ToolCallDirective {
  name: string;
  /** JSON arguments given in the directive; null means "generate them from the tool's schema". */
  arguments: string | null;
}

export interface Directives {
  reply?: string;
  words?: number;
  firstTokenDelayMs?: number;
  interTokenDelayMs?: number;
  contentFilter?: boolean;
  fault?: Fault;
  calls: ToolCallDirective[];
}

export interface ParsedPrompt {
  /** The message text with every directive removed, trimmed. */
  text: string;
  /** Directives for a reply to this user message. */
  current: Directives;
  /** Directives for the reply that follows tool results. */
  afterTools: Directives;
}

export class DirectiveError extends Error {}

const opening = /\[\[(after-tools:)?(reply|words|delay|trickle|finish|fault|call):/g;
const toolName = /^[A-Za-z0-9_-]{1,64}$/;

export function parseDirectives(text: string): ParsedPrompt {
  const parsed: ParsedPrompt = { text: "", current: { calls: [] }, afterTools: { calls: [] } };
  let kept = "";
  let cursor = 0;
  opening.lastIndex = 0;
  for (let match = opening.exec(text); match; match = opening.exec(text)) {
    const [whole, afterTools, name = ""] = match;
    const valueStart = match.index + whole.length;
    const end = closingIndex(text, valueStart, name === "call");
    if (end < 0) break;
    apply(afterTools ? parsed.afterTools : parsed.current, name, text.slice(valueStart, end));
    kept += text.slice(cursor, match.index);
    cursor = end + 2;
    // Swallow the space after a removed directive so "a [[delay:5]] b" echoes as "a b".
    if (kept === "" || /\s$/.test(kept)) while (/\s/.test(text.charAt(cursor))) cursor += 1;
    opening.lastIndex = cursor;
  }
  parsed.text = (kept + text.slice(cursor)).trim();
  return parsed;
}

/** Where the directive's closing "]]" is; a call's JSON arguments may themselves contain "]]". */
function closingIndex(text: string, from: number, isCall: boolean): number {
  const first = text.indexOf("]]", from);
  if (!isCall) return first;
  for (let end = first; end >= 0; end = text.indexOf("]]", end + 1)) {
    if (isCallValue(text.slice(from, end))) return end;
  }
  return first;
}

function isCallValue(value: string): boolean {
  try {
    parseCall(value);
    return true;
  } catch {
    return false;
  }
}

function apply(directives: Directives, name: string, value: string): void {
  switch (name) {
    case "reply":
      directives.reply = value;
      return;
    case "words":
      directives.words = nonNegativeInteger(name, value);
      return;
    case "delay":
      directives.firstTokenDelayMs = nonNegativeInteger(name, value);
      return;
    case "trickle":
      directives.interTokenDelayMs = nonNegativeInteger(name, value);
      return;
    case "finish":
      if (value !== "content_filter") throw new DirectiveError(`[[finish:${value}]]: only content_filter is supported`);
      directives.contentFilter = true;
      return;
    case "fault":
      directives.fault = parseFault(value);
      return;
    case "call":
      directives.calls.push(parseCall(value));
      return;
  }
}

function parseFault(value: string): Fault {
  switch (value) {
    case "500":
    case "429":
    case "401":
      return { kind: "status", status: Number(value) as 401 | 429 | 500 };
    case "hang":
    case "reset":
    case "malformed":
    case "empty":
      return { kind: value };
  }
  if (value.startsWith("hang-after:")) {
    return { kind: "hang-after", chunks: nonNegativeInteger("fault:hang-after", value.slice("hang-after:".length)) };
  }
  throw new DirectiveError(`[[fault:${value}]]: unknown fault`);
}

function parseCall(value: string): ToolCallDirective {
  const trimmed = value.trim();
  const space = trimmed.search(/\s/);
  const name = space < 0 ? trimmed : trimmed.slice(0, space);
  const argumentsText = space < 0 ? "" : trimmed.slice(space).trim();
  if (!toolName.test(name)) throw new DirectiveError(`[[call:${value}]]: "${name}" is not a valid tool name`);
  if (argumentsText === "") return { name, arguments: null };
  let parsedArguments: unknown;
  try {
    parsedArguments = JSON.parse(argumentsText);
  } catch {
    throw new DirectiveError(`[[call:${value}]]: the arguments are not JSON`);
  }
  if (typeof parsedArguments !== "object" || parsedArguments === null || Array.isArray(parsedArguments)) {
    throw new DirectiveError(`[[call:${value}]]: the arguments must be a JSON object`);
  }
  return { name, arguments: JSON.stringify(parsedArguments) };
}

function nonNegativeInteger(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new DirectiveError(`[[${name}:${value}]]: expected a whole number`);
  return Number(value);
}
