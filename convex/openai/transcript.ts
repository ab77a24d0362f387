// The gateway's own form of a transcript message, stored in the database and passed between
// functions, its conversion from OpenAI request messages, and the rules that keep a stored transcript
// replayable. Convex values cannot hold every JSON key a client may send (`$ref`, some non-ASCII
// keys), so anything client-shaped travels as JSON text.
import { v, type Infer } from "convex/values";
import { imagePartsSchema, type ChatMessage } from "./request";
import type { GatewayError } from "./errors";
import { parseArgumentsObject } from "./jsonDepth";

export const messageRole = v.union(
  v.literal("system"),
  v.literal("developer"),
  v.literal("user"),
  v.literal("assistant"),
  v.literal("tool"),
);

/** A tool call made by the assistant; `arguments` is the JSON text exactly as the model produced it. */
export const toolCall = v.object({ id: v.string(), name: v.string(), arguments: v.string() });
export type ToolCall = Infer<typeof toolCall>;

/**
 * One transcript message. Text content is a string; a user message with image parts keeps its OpenAI
 * content parts as JSON text in `parts` (with `content` holding the text parts joined).
 */
export const transcriptMessage = v.object({
  role: messageRole,
  content: v.union(v.string(), v.null()),
  parts: v.optional(v.string()),
  name: v.optional(v.string()),
  toolCalls: v.optional(v.array(toolCall)),
  toolCallId: v.optional(v.string()),
  refusal: v.optional(v.string()),
});
export type TranscriptMessage = Infer<typeof transcriptMessage>;

export function toTranscriptMessage(message: ChatMessage): TranscriptMessage {
  switch (message.role) {
    case "system":
    case "developer":
      return withName({ role: message.role, content: joinText(message.content) }, message.name);
    case "user": {
      const content = message.content;
      if (typeof content === "string") return withName({ role: "user", content }, message.name);
      const hasImages = content.some((part) => part.type !== "text");
      return withName(
        {
          role: "user",
          content: content.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("\n"),
          ...(hasImages ? { parts: JSON.stringify(content) } : {}),
        },
        message.name,
      );
    }
    case "assistant": {
      const parts = Array.isArray(message.content) ? message.content : [];
      const refusal = message.refusal ?? parts.find((part) => part.type === "refusal")?.refusal;
      const text = typeof message.content === "string"
        ? message.content
        : parts.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("") || null;
      return withName(
        {
          role: "assistant",
          content: text ?? null,
          ...(message.tool_calls?.length
            ? {
                toolCalls: message.tool_calls.map((call) => ({
                  id: call.id,
                  name: call.function.name,
                  arguments: call.function.arguments,
                })),
              }
            : {}),
          ...(refusal ? { refusal } : {}),
        },
        message.name,
      );
    }
    case "tool":
      return { role: "tool", content: joinText(message.content), toolCallId: message.tool_call_id };
  }
}

function joinText(content: string | Array<{ text: string }>): string {
  return typeof content === "string" ? content : content.map((part) => part.text).join("\n");
}

function withName(message: TranscriptMessage, name: string | undefined): TranscriptMessage {
  return name === undefined ? message : { ...message, name };
}

/**
 * A tool result must answer a tool call made earlier in the transcript (stored or resent), as OpenAI
 * requires; returns the 400 for the first one that does not, or null.
 */
export function unansweredToolResult(transcript: TranscriptMessage[]): GatewayError | null {
  const calls = new Set<string>();
  for (const message of transcript) {
    for (const call of message.toolCalls ?? []) calls.add(call.id);
    if (message.role === "tool" && !calls.has(message.toolCallId ?? "")) {
      return {
        code: "invalid_value",
        param: "messages",
        message: `Messages with role 'tool' must answer a preceding assistant tool call; no call has id '${message.toolCallId}'.`,
      };
    }
  }
  return null;
}

/**
 * A stored message made safe to replay: content parts that no longer parse are dropped (the text stays
 * in `content`), and tool-call arguments that are not a JSON object within the depth limit (a model
 * can produce them) are replayed as `{}`. Messages that passed the request door are returned as they are.
 */
export function readableMessage(message: TranscriptMessage): TranscriptMessage {
  let readable = message;
  if (message.parts !== undefined && !partsParse(message.parts)) {
    const { parts: _dropped, ...rest } = message;
    readable = rest;
  }
  if (message.toolCalls?.some((call) => parseArgumentsObject(call.arguments) === null)) {
    readable = {
      ...readable,
      toolCalls: message.toolCalls.map((call) => (parseArgumentsObject(call.arguments) === null ? { ...call, arguments: "{}" } : call)),
    };
  }
  return readable;
}

function partsParse(parts: string): boolean {
  try {
    return imagePartsSchema.safeParse(JSON.parse(parts)).success;
  } catch {
    return false;
  }
}

/**
 * The messages of a transcript that can be replayed upstream, each with its index in the input. Of the
 * first `editable` messages (the stored history), an assistant's tool calls that no directly following
 * tool result answers are left out when another message follows them (the conversation moved on, and
 * providers refuse unanswered calls; calls at the very end await their results and stay), an assistant
 * message left with nothing is left out, and tool results that answer no kept call just before them are
 * left out. Messages from `editable` on (the request's own) are kept as they are.
 */
export function replayableTranscript(messages: TranscriptMessage[], editable: number): Array<{ index: number; message: TranscriptMessage }> {
  const kept: Array<{ index: number; message: TranscriptMessage }> = [];
  let answerable = new Set<string>();
  messages.forEach((message, index) => {
    if (message.role === "tool") {
      if (index >= editable || answerable.has(message.toolCallId ?? "")) kept.push({ index, message });
      return;
    }
    const calls = message.toolCalls ?? [];
    if (message.role !== "assistant" || calls.length === 0) {
      answerable = new Set();
      kept.push({ index, message });
      return;
    }
    let next = index + 1;
    const answered = new Set<string>();
    while (next < messages.length && messages[next]!.role === "tool") answered.add(messages[next++]!.toolCallId ?? "");
    const pending = next === messages.length;
    const keptCalls = index >= editable || pending ? calls : calls.filter((call) => answered.has(call.id));
    answerable = new Set(keptCalls.map((call) => call.id));
    if (keptCalls.length === calls.length) kept.push({ index, message });
    else if (keptCalls.length > 0) kept.push({ index, message: { ...message, toolCalls: keptCalls } });
    else if (message.content !== null || message.refusal !== undefined) {
      const { toolCalls: _abandoned, ...rest } = message;
      kept.push({ index, message: rest });
    }
  });
  return kept;
}
