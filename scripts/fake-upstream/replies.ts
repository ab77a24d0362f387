// Decides what the fake upstream answers to a chat request: text, JSON or tool calls, cut short by stop
// sequences, max_tokens or [[finish:content_filter]], together with the fault and delays the prompt asked
// for. Pure: the server plays the resulting Reply as a chat.completion or as a stream of chunks.
import { parseDirectives, type Directives, type Fault } from "./directives";
import { exampleForSchema } from "./json-schema-example";
import { messageText, type ChatMessage, type ChatRequest } from "./request";

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter";

export interface PlannedToolCall {
  id: string;
  name: string;
  /** The JSON arguments in the pieces they stream as. */
  argumentPieces: string[];
}

export interface Reply {
  /** The content in the pieces it streams as (words, or a few slices of JSON); joined, the whole content. */
  contentPieces: string[];
  toolCalls: PlannedToolCall[];
  finishReason: FinishReason;
}

export interface Plan {
  reply: Reply;
  fault: Fault | null;
  firstTokenDelayMs: number;
  interTokenDelayMs: number;
}

export interface PlanDefaults {
  firstTokenDelayMs: number;
  interTokenDelayMs: number;
  newToolCallId: () => string;
}

/** JSON and tool arguments are not word-based, so they stream in this many slices. */
const jsonPieces = 3;

export function planReply(request: ChatRequest, defaults: PlanDefaults): Plan {
  const lastUser = request.messages[lastIndexOfRole(request.messages, "user")];
  const prompt = parseDirectives(lastUser ? messageText(lastUser) : "");
  const afterTools = request.messages.at(-1)?.role === "tool";
  const directives = afterTools ? prompt.afterTools : prompt.current;
  const choice = chooseToolCalls(request, directives);
  let reply: Reply;
  if ("refusal" in choice) reply = contentReply(request, directives, { text: choice.refusal, json: false });
  else if (choice.calls.length > 0) reply = toolCallReply(choice.calls, defaults.newToolCallId);
  else reply = contentReply(request, directives, replyText(request, directives, prompt.text, afterTools));
  return {
    reply,
    fault: directives.fault ?? null,
    firstTokenDelayMs: directives.firstTokenDelayMs ?? defaults.firstTokenDelayMs,
    interTokenDelayMs: directives.interTokenDelayMs ?? defaults.interTokenDelayMs,
  };
}

type ToolCallChoice = { calls: { name: string; arguments: string }[] } | { refusal: string };

/** The tool calls to make, after tool_choice has had its say, or a text explaining a call to an unknown tool. */
function chooseToolCalls(request: ChatRequest, directives: Directives): ToolCallChoice {
  const tools = request.tools ?? [];
  const choice = request.tool_choice;
  let wanted = directives.calls;
  if (choice === "none") {
    wanted = [];
  } else if (typeof choice === "object" && choice !== null) {
    const forced = choice.function.name;
    wanted = wanted.filter((call) => call.name === forced);
    if (wanted.length === 0) wanted = [{ name: forced, arguments: null }];
  } else if (choice === "required" && wanted.length === 0 && tools[0]) {
    wanted = [{ name: tools[0].function.name, arguments: null }];
  }
  const calls: { name: string; arguments: string }[] = [];
  for (const call of wanted) {
    const tool = tools.find((candidate) => candidate.function.name === call.name);
    if (!tool) {
      const offered = tools.length > 0 ? `only ${tools.map((candidate) => candidate.function.name).join(", ")}` : "no tools";
      return { refusal: `The fake upstream was asked to call the tool ${call.name}, but the request offers ${offered}.` };
    }
    const parameters = tool.function.parameters ?? { type: "object" };
    calls.push({ name: call.name, arguments: call.arguments ?? JSON.stringify(exampleForSchema(parameters)) });
  }
  return { calls };
}

function toolCallReply(calls: { name: string; arguments: string }[], newToolCallId: () => string): Reply {
  return {
    contentPieces: [],
    toolCalls: calls.map((call) => ({ id: newToolCallId(), name: call.name, argumentPieces: splitEvenly(call.arguments) })),
    finishReason: "tool_calls",
  };
}

interface ReplyText {
  text: string;
  json: boolean;
}

function replyText(request: ChatRequest, directives: Directives, echoed: string, afterTools: boolean): ReplyText {
  if (directives.reply !== undefined) return { text: directives.reply, json: false };
  const text =
    directives.words !== undefined
      ? numberedWords(directives.words)
      : afterTools
        ? toolResultsText(request.messages)
        : `Hello from the fake upstream. You said: ${echoed}`.trimEnd();
  const format = request.response_format;
  if (format?.type === "json_object") return { text: JSON.stringify({ answer: text }), json: true };
  if (format?.type === "json_schema") {
    return { text: JSON.stringify(exampleForSchema(format.json_schema?.schema ?? { type: "object" })), json: true };
  }
  return { text, json: false };
}

function lastIndexOfRole(messages: ChatMessage[], role: string): number {
  for (let index = messages.length - 1; index >= 0; index -= 1) if (messages[index]?.role === role) return index;
  return -1;
}

function numberedWords(count: number): string {
  return Array.from({ length: count }, (_, index) => `word${index + 1}`).join(" ");
}

/** "Tool results: name=content; ..." for every tool message after the last assistant message. */
function toolResultsText(messages: ChatMessage[]): string {
  const lastAssistant = lastIndexOfRole(messages, "assistant");
  const calls = messages[lastAssistant]?.tool_calls ?? [];
  const results = messages.slice(lastAssistant + 1).filter((message) => message.role === "tool");
  const listed = results.map((result) => {
    const name = calls.find((call) => call.id === result.tool_call_id)?.function.name ?? result.name ?? result.tool_call_id;
    return `${name}=${messageText(result)}`;
  });
  return `Tool results: ${listed.join("; ")}`;
}

function contentReply(request: ChatRequest, directives: Directives, { text, json }: ReplyText): Reply {
  const stopped = cutAtStop(text, request.stop);
  let pieces = json ? splitEvenly(stopped) : splitWords(stopped);
  let finishReason: FinishReason = "stop";
  const limit = request.max_completion_tokens ?? request.max_tokens;
  if (limit != null && pieces.length > limit) {
    pieces = keepFirst(pieces, limit);
    finishReason = "length";
  }
  if (directives.contentFilter) {
    pieces = keepFirst(pieces, Math.ceil(pieces.length / 2));
    finishReason = "content_filter";
  }
  return { contentPieces: pieces, toolCalls: [], finishReason };
}

/** The text before the first occurrence of any stop sequence. */
export function cutAtStop(text: string, stop: string | string[] | null | undefined): string {
  const sequences = (typeof stop === "string" ? [stop] : (stop ?? [])).filter((sequence) => sequence !== "");
  const positions = sequences.map((sequence) => text.indexOf(sequence)).filter((position) => position >= 0);
  return positions.length > 0 ? text.slice(0, Math.min(...positions)) : text;
}

/** Each word with the whitespace after it (leading whitespace stays on the first), so joined they are the text. */
export function splitWords(text: string): string[] {
  return text.match(/^\s*\S+\s*|\S+\s*/g) ?? (text === "" ? [] : [text]);
}

function splitEvenly(text: string): string[] {
  const size = Math.ceil(text.length / jsonPieces);
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += size) pieces.push(text.slice(start, start + size));
  return pieces;
}

/** The first pieces, without the whitespace that followed the last one kept. */
function keepFirst(pieces: string[], count: number): string[] {
  const kept = pieces.slice(0, count);
  const last = kept.at(-1);
  if (last !== undefined) kept[kept.length - 1] = last.trimEnd();
  return kept;
}
