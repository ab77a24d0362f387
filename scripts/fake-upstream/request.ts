// The part of an OpenAI Chat Completions request the fake upstream understands, validated with zod.
// Unknown fields are ignored, as a lenient upstream would; only what the replies depend on is checked.
import { z } from "zod";

const textPart = z.object({ type: z.string(), text: z.string().optional() });

const toolCall = z.object({
  id: z.string(),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

const message = z.object({
  role: z.string(),
  content: z.union([z.string(), z.array(textPart), z.null()]).optional(),
  name: z.string().optional(),
  tool_call_id: z.string().optional(),
  tool_calls: z.array(toolCall).nullish(),
});

const tool = z.object({
  type: z.literal("function"),
  function: z.object({ name: z.string(), parameters: z.unknown().optional() }),
});

const toolChoice = z.union([
  z.enum(["none", "auto", "required"]),
  z.object({ type: z.literal("function"), function: z.object({ name: z.string() }) }),
]);

const responseFormat = z.object({
  type: z.enum(["text", "json_object", "json_schema"]),
  json_schema: z.object({ name: z.string().optional(), schema: z.unknown().optional() }).optional(),
});

const chatRequest = z.object({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  response_format: responseFormat.nullish(),
  tools: z.array(tool).nullish(),
  tool_choice: toolChoice.nullish(),
});

export type ChatRequest = z.infer<typeof chatRequest>;
export type ChatMessage = z.infer<typeof message>;

export type ParsedRequest =
  | { success: true; request: ChatRequest }
  | { success: false; message: string; param: string | null };

export function parseChatRequest(body: unknown): ParsedRequest {
  const result = chatRequest.safeParse(body);
  if (result.success) return { success: true, request: result.data };
  const issue = result.error.issues[0];
  const param = issue && issue.path.length > 0 ? issue.path.join(".") : null;
  return { success: false, message: issue ? `${param ?? "body"}: ${issue.message}` : "Invalid request", param };
}

/** The text of a message: its string content, or its text parts joined by newlines. */
export function messageText(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === "string") return content;
  if (!content) return "";
  return content.flatMap((part) => (part.type === "text" && part.text !== undefined ? [part.text] : [])).join("\n");
}
