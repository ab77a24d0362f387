// Converts the gateway's transcript into AI SDK ModelMessages, the input of streamText. Every message
// is converted, in order: the upstream sees the whole history, not only the last turn.
import type { AssistantContent, ModelMessage, UserContent } from "ai";
import type { TranscriptMessage } from "./transcript";
import { imagePartsSchema } from "./request";

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
  if (message.parts === undefined) return message.content ?? "";
  return imagePartsSchema.parse(JSON.parse(message.parts)).map((part) =>
    part.type === "text"
      ? { type: "text" as const, text: part.text }
      : {
          type: "image" as const,
          image: new URL(part.image_url.url),
          ...(part.image_url.detail ? { providerOptions: { openai: { imageDetail: part.image_url.detail } } } : {}),
        },
  );
}

/** Arguments were checked to be a JSON object (or empty) when the request was parsed. */
function parseArguments(text: string): unknown {
  return text.trim() === "" ? {} : JSON.parse(text);
}
