// The part of an Anthropic Messages API request (POST /v1/messages) the fake understands, validated with zod,
// and its translation into the Chat Completions request the shared reply planner (replies.ts) reads.
// Unknown fields are ignored, as on the OpenAI fake.
import { z } from "zod";
import type { ChatMessage, ChatRequest } from "../request";

const textBlock = z.object({ type: z.literal("text"), text: z.string() });
const toolUseBlock = z.object({ type: z.literal("tool_use"), id: z.string(), name: z.string(), input: z.unknown() });
const toolResultBlock = z.object({
  type: z.literal("tool_result"),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.object({ type: z.string(), text: z.string().optional() }))]).optional(),
});
const otherBlock = z.object({ type: z.string() });
const block = z.union([textBlock, toolUseBlock, toolResultBlock, otherBlock]);

const messagesRequest = z.object({
  model: z.string().min(1),
  // Required by the real API, with no default.
  max_tokens: z.number().int().min(1),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  messages: z.array(z.object({ role: z.enum(["user", "assistant"]), content: z.union([z.string(), z.array(block)]) })).min(1),
  stream: z.boolean().optional(),
  stop_sequences: z.array(z.string()).optional(),
  tools: z.array(z.object({ name: z.string(), input_schema: z.unknown().optional() })).optional(),
  tool_choice: z
    .object({ type: z.enum(["auto", "any", "tool", "none"]), name: z.string().optional() })
    .optional(),
});

export type MessagesRequest = z.infer<typeof messagesRequest>;

export type ParsedMessages = { success: true; request: MessagesRequest; chat: ChatRequest } | { success: false; message: string };

export function parseMessagesRequest(body: unknown): ParsedMessages {
  const result = messagesRequest.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { success: false, message: issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "Invalid request" };
  }
  return { success: true, request: result.data, chat: toChatRequest(result.data) };
}

function toChatRequest(request: MessagesRequest): ChatRequest {
  const messages: ChatMessage[] = [];
  const system = typeof request.system === "string" ? request.system : request.system?.map((part) => part.text).join("\n");
  if (system) messages.push({ role: "system", content: system });
  for (const message of request.messages) {
    if (typeof message.content === "string") {
      messages.push({ role: message.role, content: message.content });
      continue;
    }
    const text = message.content.flatMap((part) => (part.type === "text" && "text" in part ? [part.text] : [])).join("\n");
    if (message.role === "assistant") {
      const toolCalls = message.content.flatMap((part) =>
        part.type === "tool_use" && "input" in part ? [{ id: part.id, function: { name: part.name, arguments: JSON.stringify(part.input ?? {}) } }] : [],
      );
      messages.push({ role: "assistant", content: text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) });
      continue;
    }
    for (const part of message.content) {
      if (part.type === "tool_result" && "tool_use_id" in part) messages.push({ role: "tool", tool_call_id: part.tool_use_id, content: resultText(part.content) });
    }
    if (text !== "") messages.push({ role: "user", content: text });
  }
  const choice = request.tool_choice;
  return {
    model: request.model,
    messages,
    max_tokens: request.max_tokens,
    stop: request.stop_sequences,
    tools: request.tools?.map((tool) => ({ type: "function" as const, function: { name: tool.name, parameters: tool.input_schema } })),
    tool_choice:
      choice === undefined
        ? undefined
        : choice.type === "tool" && choice.name
          ? { type: "function", function: { name: choice.name } }
          : choice.type === "any"
            ? "required"
            : choice.type === "none"
              ? "none"
              : "auto",
  };
}

function resultText(content: string | { type: string; text?: string }[] | undefined): string {
  if (typeof content === "string") return content;
  return (content ?? []).flatMap((part) => (part.text !== undefined ? [part.text] : [])).join("\n");
}
