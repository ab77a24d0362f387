// The Chat Completions request as one zod schema. It validates every request and generates the
// OpenAPI document, so each documented parameter appears here: honoured, or rejected by name.
import { z } from "zod";
import { MAX_JSON_DEPTH, parseArgumentsObject } from "./jsonDepth";

/**
 * Bounds on what one request may carry, so every message and the transcript stay replayable and
 * within Convex's limits (8,192 elements per array, for function arguments and stored documents alike).
 * Stored history (up to 1,000 messages) plus a request's messages stay below that array limit.
 */
export const MAX_REQUEST_MESSAGES = 4096;
/** Tool calls in one assistant message. */
export const MAX_TOOL_CALLS = 1024;
/** Function tools in one request, as at OpenAI. */
export const MAX_TOOLS = 128;

const textPart = z.object({ type: z.literal("text"), text: z.string() });
const imagePart = z.object({
  type: z.literal("image_url"),
  image_url: z.object({
    url: z.string().refine(isImageUrl, "Image URLs must be http(s) URLs or data: URLs."),
    detail: z.enum(["auto", "low", "high"]).optional(),
  }),
});
const refusalPart = z.object({ type: z.literal("refusal"), refusal: z.string() });

/** Text given either as a string or as text parts, as OpenAI allows for system, developer and tool messages. */
const textContent = z.union([z.string(), z.array(textPart)]);

export const toolCallSchema = z.object({
  id: z.string().min(1),
  type: z.literal("function"),
  function: z.object({
    name: z.string().min(1),
    arguments: z
      .string()
      .refine((text) => parseArgumentsObject(text) !== null, `Tool call arguments must be a JSON object encoded as a string, nested at most ${MAX_JSON_DEPTH} levels.`),
  }),
});

const systemMessage = z.object({ role: z.literal("system"), content: textContent, name: z.string().optional() });
const developerMessage = z.object({ role: z.literal("developer"), content: textContent, name: z.string().optional() });
/** A user message's content parts; also re-parses the parts stored as JSON text in a transcript. */
export const imagePartsSchema = z.array(z.discriminatedUnion("type", [textPart, imagePart]));

const userMessage = z.object({
  role: z.literal("user"),
  content: z.union([z.string(), imagePartsSchema]),
  name: z.string().optional(),
});
const assistantMessage = z.object({
  role: z.literal("assistant"),
  content: z.union([z.string(), z.array(z.discriminatedUnion("type", [textPart, refusalPart])), z.null()]).optional(),
  refusal: z.string().nullish(),
  tool_calls: z.array(toolCallSchema).max(MAX_TOOL_CALLS).optional(),
  name: z.string().optional(),
});
const toolMessage = z.object({ role: z.literal("tool"), content: textContent, tool_call_id: z.string().min(1) });

export const chatMessageSchema = z.discriminatedUnion("role", [
  systemMessage,
  developerMessage,
  userMessage,
  assistantMessage,
  toolMessage,
]);
export type ChatMessage = z.infer<typeof chatMessageSchema>;

const jsonSchemaObject = z.record(z.string(), z.unknown());

export const functionToolSchema = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "Function names are 1-64 letters, digits, '_' or '-'."),
    description: z.string().optional(),
    parameters: jsonSchemaObject.optional(),
    strict: z.boolean().nullish(),
  }),
});
export type FunctionTool = z.infer<typeof functionToolSchema>;

export const responseFormatSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    json_schema: z.object({
      name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
      description: z.string().optional(),
      schema: jsonSchemaObject.optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

export const toolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.object({ type: z.literal("function"), function: z.object({ name: z.string().min(1) }) }),
]);

/**
 * Parameters OpenAI documents that the gateway cannot honour. They are listed so that a request using
 * them gets a 400 naming the parameter instead of an answer that silently ignores it.
 */
export const UNSUPPORTED_PARAMETERS = [
  "audio",
  "modalities",
  "moderation",
  "prediction",
  "web_search_options",
  "functions",
  "function_call",
  "top_logprobs",
] as const;

export const chatCompletionRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: z.array(chatMessageSchema).min(1).max(MAX_REQUEST_MESSAGES),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    max_tokens: z.number().int().positive().nullish(),
    max_completion_tokens: z.number().int().positive().nullish(),
    stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
    presence_penalty: z.number().min(-2).max(2).nullish(),
    frequency_penalty: z.number().min(-2).max(2).nullish(),
    seed: z.number().int().nullish(),
    user: z.string().nullish(),
    response_format: responseFormatSchema.nullish(),
    tools: z
      .array(functionToolSchema)
      .min(1, "Expected an array with at least one tool.")
      .max(MAX_TOOLS, `Expected an array with at most ${MAX_TOOLS} tools.`)
      .nullish(),
    tool_choice: toolChoiceSchema.nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    logit_bias: z.record(z.string().regex(/^\d+$/), z.number().min(-100).max(100)).nullish(),
    /** Only one choice per request: a larger n is rejected rather than answered with one choice. */
    n: z.literal(1).nullish(),
    /** Log probabilities are not relayed, so only `false` is accepted. */
    logprobs: z.literal(false).nullish(),
    reasoning_effort: z.enum(["none", "minimal", "low", "medium", "high", "xhigh", "max"]).nullish(),
    verbosity: z.enum(["low", "medium", "high"]).nullish(),
    /** Accepted and not forwarded: they change nothing in the reply. */
    store: z.boolean().nullish(),
    metadata: z.record(z.string(), z.string()).nullish(),
    service_tier: z.string().nullish(),
    prompt_cache_key: z.string().nullish(),
    prompt_cache_retention: z.enum(["in_memory", "24h"]).nullish(),
    prompt_cache_options: z.object({ mode: z.enum(["implicit", "explicit"]).optional(), ttl: z.string().optional() }).nullish(),
    safety_identifier: z.string().nullish(),
  })
  .strict()
  .superRefine(checkParameterCombinations);
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

/**
 * The rules OpenAI applies across parameters: tool settings need tools, a named tool_choice must name
 * one of them, tool names are unique (the upstream call is keyed by name, so a duplicate would be lost),
 * and stream_options needs a stream.
 */
function checkParameterCombinations(
  request: {
    tools?: FunctionTool[] | null;
    tool_choice?: z.infer<typeof toolChoiceSchema> | null;
    parallel_tool_calls?: boolean | null;
    stream?: boolean | null;
    stream_options?: object | null;
  },
  context: z.RefinementCtx,
): void {
  const names = (request.tools ?? []).map((tool) => tool.function.name);
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index) {
      context.addIssue({ code: "custom", path: ["tools", index, "function", "name"], message: `Tool names must be unique; '${name}' appears more than once.` });
    }
  });
  for (const parameter of ["tool_choice", "parallel_tool_calls"] as const) {
    if (request[parameter] != null && names.length === 0) {
      context.addIssue({ code: "custom", path: [parameter], message: `'${parameter}' is only allowed when 'tools' are specified.` });
    }
  }
  const choice = request.tool_choice;
  if (typeof choice === "object" && choice !== null && names.length > 0 && !names.includes(choice.function.name)) {
    context.addIssue({ code: "custom", path: ["tool_choice"], message: `No tool named '${choice.function.name}' is in 'tools'.` });
  }
  if (request.stream_options != null && request.stream !== true) {
    context.addIssue({ code: "custom", path: ["stream_options"], message: "'stream_options' is only allowed when 'stream' is true." });
  }
}

function isImageUrl(text: string): boolean {
  try {
    return ["http:", "https:", "data:"].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}
