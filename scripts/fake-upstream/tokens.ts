// Token counting for usage: the fake upstream's tokens are whitespace-separated words.
import { messageText, type ChatRequest } from "./request";

export function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => word !== "").length;
}

/** Words across every message's text and every tool call's arguments. */
export function promptTokens(request: ChatRequest): number {
  let total = 0;
  for (const message of request.messages) {
    total += countWords(messageText(message));
    for (const call of message.tool_calls ?? []) total += countWords(call.function.arguments);
  }
  return total;
}
