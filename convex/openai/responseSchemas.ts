// The wire shapes of everything the gateway answers, as zod schemas: the builders in chunks.ts,
// models.ts, usage.ts and errors.ts are typed by them, and the OpenAPI document is generated from
// them, so the documented shape and the sent shape have one source.
import { z } from "zod";
import { finishReason } from "./finishReason";

export const usageSchema = z.object({
  prompt_tokens: z.number().int().describe("Tokens in the prompt the upstream model saw (instructions and history included)."),
  completion_tokens: z.number().int().describe("Tokens generated."),
  total_tokens: z.number().int(),
});
export type OpenAIUsage = z.infer<typeof usageSchema>;

const finishReasonSchema = z
  .enum(finishReason.members.map((member) => member.value))
  .describe("Why generation stopped: `length` when a token cap cut it, `tool_calls` when the model called tools.");

const toolCallSchema = z.object({
  id: z.string(),
  type: z.literal("function"),
  function: z.object({
    name: z.string(),
    arguments: z.string().describe("The arguments as JSON text, exactly as the model produced them."),
  }),
});

export const chatCompletionSchema = z
  .object({
    id: z.string(),
    object: z.literal("chat.completion"),
    created: z.number().int().describe("Unix time in seconds."),
    model: z.string().describe("The model id the request named."),
    system_fingerprint: z.null(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({
          role: z.literal("assistant"),
          content: z.string().nullable(),
          refusal: z.null(),
          tool_calls: z.array(toolCallSchema).optional(),
        }),
        logprobs: z.null(),
        finish_reason: finishReasonSchema,
      }),
    ),
    usage: usageSchema,
  })
  .describe("A whole reply, returned when `stream` is not true.");
export type ChatCompletion = z.infer<typeof chatCompletionSchema>;

export const toolCallDeltaSchema = z
  .object({
    index: z.number().int().describe("Which tool call this piece belongs to; parallel calls have distinct indexes."),
    id: z.string().optional(),
    type: z.literal("function").optional(),
    function: z.object({ name: z.string().optional(), arguments: z.string() }),
  })
  .describe("A piece of a tool call: the first piece carries id, type and name; later pieces append to arguments.");
export type ToolCallDelta = z.infer<typeof toolCallDeltaSchema>;

export const chunkDeltaSchema = z.object({
  role: z.literal("assistant").optional(),
  content: z.string().optional(),
  refusal: z.string().optional(),
  tool_calls: z.array(toolCallDeltaSchema).optional(),
});
export type ChunkDelta = z.infer<typeof chunkDeltaSchema>;

export const chatCompletionChunkSchema = z
  .object({
    id: z.string().describe("The same for every chunk of one response."),
    object: z.literal("chat.completion.chunk"),
    created: z.number().int(),
    model: z.string(),
    system_fingerprint: z.null(),
    choices: z
      .array(
        z.object({
          index: z.number().int(),
          delta: chunkDeltaSchema,
          logprobs: z.null(),
          finish_reason: finishReasonSchema.nullable(),
        }),
      )
      .describe("One choice; empty in the final usage chunk."),
    usage: usageSchema
      .nullable()
      .optional()
      .describe("Present only with `stream_options.include_usage`: null on every chunk but the last, which has no choices."),
  })
  .describe("One server-sent event of a streamed reply.");
export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>;

export const modelSchema = z.object({
  id: z.string().describe("An agent's slug, or an upstream model id the key may call directly."),
  object: z.literal("model"),
  created: z.number().int().describe("Unix time in seconds."),
  owned_by: z.string().describe("The tenant's slug."),
});
export type ModelObject = z.infer<typeof modelSchema>;

export const modelListSchema = z.object({ object: z.literal("list"), data: z.array(modelSchema) });
export type ModelList = z.infer<typeof modelListSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable().describe("The parameter or header at fault, e.g. `messages[0].role`."),
    code: z.string().nullable(),
  }),
});
export type OpenAIErrorBody = z.infer<typeof errorBodySchema>;

export const healthSchema = z.object({ status: z.literal("ok") });
