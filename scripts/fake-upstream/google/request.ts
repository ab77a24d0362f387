// The part of a Google Generative Language generateContent request the fake understands, validated with zod,
// and its translation into the Chat Completions request the shared reply planner (replies.ts) reads.
// Gemini function calls carry no required id: a call and its response are paired by the function's name (or
// by the optional id, when the client sends one). Unknown fields are ignored.
import { z } from "zod";
import type { ChatMessage, ChatRequest } from "../request";

const part = z.object({
  text: z.string().optional(),
  functionCall: z.object({ id: z.string().optional(), name: z.string(), args: z.unknown().optional() }).optional(),
  functionResponse: z
    .object({ id: z.string().optional(), name: z.string(), response: z.object({ content: z.unknown().optional() }).passthrough().optional() })
    .optional(),
});

const generateContentRequest = z.object({
  contents: z.array(z.object({ role: z.enum(["user", "model"]).optional(), parts: z.array(part) })).min(1),
  systemInstruction: z.object({ parts: z.array(part) }).optional(),
  generationConfig: z
    .object({ maxOutputTokens: z.number().int().min(1).optional(), stopSequences: z.array(z.string()).optional() })
    .optional(),
  tools: z
    .array(
      z.object({
        functionDeclarations: z
          .array(z.object({ name: z.string(), parameters: z.unknown().optional(), parametersJsonSchema: z.unknown().optional() }))
          .optional(),
      }),
    )
    .optional(),
  toolConfig: z
    .object({
      functionCallingConfig: z
        .object({ mode: z.enum(["AUTO", "ANY", "NONE", "VALIDATED", "MODE_UNSPECIFIED"]).optional(), allowedFunctionNames: z.array(z.string()).optional() })
        .optional(),
    })
    .optional(),
});

export type GenerateContentRequest = z.infer<typeof generateContentRequest>;

export type ParsedGenerateContent = { success: true; chat: ChatRequest } | { success: false; message: string };

export function parseGenerateContentRequest(body: unknown, model: string): ParsedGenerateContent {
  const result = generateContentRequest.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { success: false, message: issue ? `Invalid value at '${issue.path.join(".") || "body"}': ${issue.message}` : "Invalid request" };
  }
  return { success: true, chat: toChatRequest(result.data, model) };
}

function toChatRequest(request: GenerateContentRequest, model: string): ChatRequest {
  const messages: ChatMessage[] = [];
  const text = (parts: z.infer<typeof part>[]): string => parts.flatMap((item) => (item.text !== undefined ? [item.text] : [])).join("\n");
  const system = text(request.systemInstruction?.parts ?? []);
  if (system !== "") messages.push({ role: "system", content: system });
  for (const content of request.contents) {
    if (content.role === "model") {
      const toolCalls = content.parts.flatMap((item) =>
        item.functionCall ? [{ id: item.functionCall.id ?? item.functionCall.name, function: { name: item.functionCall.name, arguments: JSON.stringify(item.functionCall.args ?? {}) } }] : [],
      );
      messages.push({ role: "assistant", content: text(content.parts), ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) });
      continue;
    }
    for (const item of content.parts) {
      const result = item.functionResponse;
      if (!result) continue;
      const output = result.response?.content;
      messages.push({ role: "tool", tool_call_id: result.id ?? result.name, name: result.name, content: typeof output === "string" ? output : JSON.stringify(result.response ?? {}) });
    }
    const userText = text(content.parts);
    if (userText !== "") messages.push({ role: "user", content: userText });
  }
  const declarations = (request.tools ?? []).flatMap((tool) => tool.functionDeclarations ?? []);
  const calling = request.toolConfig?.functionCallingConfig;
  const forced = calling?.mode === "ANY" && calling.allowedFunctionNames?.length === 1 ? calling.allowedFunctionNames[0] : undefined;
  return {
    model,
    messages,
    max_tokens: request.generationConfig?.maxOutputTokens,
    stop: request.generationConfig?.stopSequences,
    tools: declarations.map((declaration) => ({
      type: "function" as const,
      function: { name: declaration.name, parameters: declaration.parametersJsonSchema ?? declaration.parameters },
    })),
    tool_choice: forced
      ? { type: "function", function: { name: forced } }
      : calling?.mode === "ANY"
        ? "required"
        : calling?.mode === "NONE"
          ? "none"
          : undefined,
  };
}
