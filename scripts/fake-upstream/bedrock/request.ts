// The part of an Amazon Bedrock Converse / ConverseStream request body the fake understands, validated with
// zod, and its translation into the Chat Completions request the shared reply planner (replies.ts) reads.
// Unknown fields are ignored.
import { z } from "zod";
import type { ChatMessage, ChatRequest } from "../request";

const contentBlock = z.object({
  text: z.string().optional(),
  toolUse: z.object({ toolUseId: z.string(), name: z.string(), input: z.unknown() }).optional(),
  toolResult: z.object({ toolUseId: z.string(), content: z.array(z.object({ text: z.string().optional(), json: z.unknown().optional() })) }).optional(),
});

const converseRequest = z.object({
  messages: z.array(z.object({ role: z.enum(["user", "assistant"]), content: z.array(contentBlock) })).min(1),
  system: z.array(z.object({ text: z.string().optional() })).optional(),
  inferenceConfig: z
    .object({ maxTokens: z.number().int().min(1).optional(), stopSequences: z.array(z.string()).optional() })
    .optional(),
  toolConfig: z
    .object({
      tools: z.array(z.object({ toolSpec: z.object({ name: z.string(), inputSchema: z.object({ json: z.unknown() }) }) })),
      toolChoice: z
        .object({ auto: z.object({}).optional(), any: z.object({}).optional(), tool: z.object({ name: z.string() }).optional() })
        .optional(),
    })
    .optional(),
});

export type ConverseRequest = z.infer<typeof converseRequest>;

export type ParsedConverse = { success: true; chat: ChatRequest } | { success: false; message: string };

export function parseConverseRequest(body: unknown, modelId: string): ParsedConverse {
  const result = converseRequest.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { success: false, message: issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "Invalid request" };
  }
  return { success: true, chat: toChatRequest(result.data, modelId) };
}

function toChatRequest(request: ConverseRequest, modelId: string): ChatRequest {
  const messages: ChatMessage[] = [];
  const system = (request.system ?? []).flatMap((part) => (part.text !== undefined ? [part.text] : [])).join("\n");
  if (system !== "") messages.push({ role: "system", content: system });
  for (const message of request.messages) {
    const text = message.content.flatMap((part) => (part.text !== undefined ? [part.text] : [])).join("\n");
    if (message.role === "assistant") {
      const toolCalls = message.content.flatMap((part) =>
        part.toolUse ? [{ id: part.toolUse.toolUseId, function: { name: part.toolUse.name, arguments: JSON.stringify(part.toolUse.input ?? {}) } }] : [],
      );
      messages.push({ role: "assistant", content: text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) });
      continue;
    }
    for (const part of message.content) {
      if (!part.toolResult) continue;
      const content = part.toolResult.content.map((item) => item.text ?? JSON.stringify(item.json)).join("\n");
      messages.push({ role: "tool", tool_call_id: part.toolResult.toolUseId, content });
    }
    if (text !== "") messages.push({ role: "user", content: text });
  }
  const choice = request.toolConfig?.toolChoice;
  return {
    model: modelId,
    messages,
    max_tokens: request.inferenceConfig?.maxTokens,
    stop: request.inferenceConfig?.stopSequences,
    tools: request.toolConfig?.tools.map(({ toolSpec }) => ({ type: "function" as const, function: { name: toolSpec.name, parameters: toolSpec.inputSchema.json } })),
    tool_choice: choice?.tool ? { type: "function", function: { name: choice.tool.name } } : choice?.any ? "required" : choice ? "auto" : undefined,
  };
}
