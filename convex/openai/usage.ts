// Token usage: the stored form, and its conversion from the AI SDK's and to OpenAI's wire shape.
import { v, type Infer } from "convex/values";
import type { LanguageModelUsage } from "ai";
import type { OpenAIUsage } from "./responseSchemas";

export const usage = v.object({
  promptTokens: v.number(),
  completionTokens: v.number(),
  totalTokens: v.number(),
});
export type Usage = Infer<typeof usage>;

export function fromSdkUsage(sdkUsage: LanguageModelUsage): Usage {
  const promptTokens = sdkUsage.inputTokens ?? 0;
  const completionTokens = sdkUsage.outputTokens ?? 0;
  return { promptTokens, completionTokens, totalTokens: sdkUsage.totalTokens ?? promptTokens + completionTokens };
}

export function toOpenAIUsage(value: Usage): OpenAIUsage {
  return {
    prompt_tokens: value.promptTokens,
    completion_tokens: value.completionTokens,
    total_tokens: value.totalTokens,
  };
}
