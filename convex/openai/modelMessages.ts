// Converts the gateway's transcript into AI SDK ModelMessages, the input of streamText. Every message
// is converted, in order: the upstream sees the whole history, not only the last turn. Total: a stored
// message that no longer parses converts to what can be read of it, never to an exception.
import type { AssistantContent, ModelMessage, UserContent } from "ai";
import type { TranscriptMessage } from "./transcript";
import { imagePartsSchema } from "./request";
import { parseArgumentsObject } from "./jsonDepth";

/** Expects a transcript that passed `unansweredToolResult`: every tool result answers an earlier call. */
export function toModelMessages(systemPrompts: string[], transcript: TranscriptMessage[]): ModelMessage[] {
  const out: ModelMessage[] = systemPrompts.map((content) => ({ role: "system", content }));
  const toolNames = new Map<string, string>();
  for (const message of transcript) {
    switch (message.role) {
      case "system":
      case "developer":
        // The AI SDK has one system role; the OpenAI provider sends it as the model expects.
        out.push({ role: "system", content: message.content ?? "" });
        break;
      case "user":
        out.push({ role: "user", content: userContent(message) });
        break;
      case "assistant": {
        const content: Exclude<AssistantContent, string> = [];
        const text = message.content ?? message.refusal;
        if (text) content.push({ type: "text", text });
        for (const call of message.toolCalls ?? []) {
          toolNames.set(call.id, call.name);
          content.push({ type: "tool-call", toolCallId: call.id, toolName: call.name, input: parseArguments(call.arguments) });
        }
        out.push({ role: "assistant", content });
        break;
      }
      case "tool": {
        const toolName = toolNames.get(message.toolCallId ?? "") ?? "";
        out.push({
          role: "tool",
          content: [
            { type: "tool-result", toolCallId: message.toolCallId!, toolName, output: { type: "text", value: message.content ?? "" } },
          ],
        });
        break;
      }
    }
  }
  return out;
}

function userContent(message: TranscriptMessage): UserContent {
  const parts = message.parts === undefined ? null : parseParts(message.parts);
  if (parts === null) return message.content ?? "";
  return parts.map((part) =>
    part.type === "text"
      ? { type: "text" as const, text: part.text }
      : {
          type: "image" as const,
          image: new URL(part.image_url.url),
          ...(part.image_url.detail ? { providerOptions: { openai: { imageDetail: part.image_url.detail } } } : {}),
        },
  );
}

/** Content parts stored as JSON text (checked when the request was parsed), or null if they no longer parse. */
function parseParts(text: string) {
  try {
    const parsed = imagePartsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A client's arguments were checked when the request was parsed; a model's may be anything, and replay as `{}`. */
function parseArguments(text: string): unknown {
  return parseArgumentsObject(text) ?? {};
}
