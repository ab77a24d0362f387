// How a request's parameters combine with the agent's settings and the tenant's caps into the
// AI SDK call settings. Pure: the same settings are applied to every step of a multi-step run.
import { jsonSchema, Output, type ToolChoice, type ToolSet } from "ai";
import type { ChatCompletionRequest } from "../openai/request";
import type { ResolvedTarget } from "./requestDecision";

export interface GenerationSettings {
  temperature?: number;
  topP?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  presencePenalty?: number;
  frequencyPenalty?: number;
  seed?: number;
  providerOptions: { openai: Record<string, string | number | boolean | Record<string, number>> };
}

export function generationSettings(request: ChatCompletionRequest, target: ResolvedTarget): GenerationSettings {
  // Every cap applies: the request's (under either name), the agent's and the policy's; the smallest wins.
  const caps = [request.max_completion_tokens, request.max_tokens, target.maxOutputTokens].filter(
    (cap): cap is number => cap != null,
  );
  const openai: GenerationSettings["providerOptions"]["openai"] = {};
  if (request.user != null) openai.user = request.user;
  if (request.parallel_tool_calls != null) openai.parallelToolCalls = request.parallel_tool_calls;
  if (request.reasoning_effort != null) openai.reasoningEffort = request.reasoning_effort;
  if (request.verbosity != null) openai.textVerbosity = request.verbosity;
  if (request.logit_bias != null) openai.logitBias = request.logit_bias;
  if (request.response_format?.type === "json_schema") {
    // OpenAI's default for `strict` is false; the AI SDK's would be true.
    openai.strictJsonSchema = request.response_format.json_schema.strict ?? false;
  }
  return {
    ...defined("temperature", request.temperature ?? target.temperature),
    ...defined("topP", request.top_p),
    ...defined("maxOutputTokens", caps.length > 0 ? Math.min(...caps) : null),
    ...defined("stopSequences", typeof request.stop === "string" ? [request.stop] : request.stop),
    ...defined("presencePenalty", request.presence_penalty),
    ...defined("frequencyPenalty", request.frequency_penalty),
    ...defined("seed", request.seed),
    providerOptions: { openai },
  };
}

/** The AI SDK output spec for response_format, or undefined for plain text. */
export function responseOutput(request: ChatCompletionRequest) {
  const format = request.response_format;
  if (format?.type === "json_object") return Output.json();
  if (format?.type === "json_schema") {
    return Output.object({
      schema: jsonSchema(format.json_schema.schema ?? { type: "object" }),
      name: format.json_schema.name,
      ...(format.json_schema.description ? { description: format.json_schema.description } : {}),
    });
  }
  return undefined;
}

/** The client's tools, given to the AI SDK without `execute`, so calls come back to the client. */
export function clientTools(request: ChatCompletionRequest): ToolSet {
  const tools: ToolSet = {};
  for (const { function: fn } of request.tools ?? []) {
    tools[fn.name] = {
      ...(fn.description !== undefined ? { description: fn.description } : {}),
      inputSchema: jsonSchema(fn.parameters ?? { type: "object", properties: {} }),
      ...(fn.strict != null ? { strict: fn.strict } : {}),
    };
  }
  return tools;
}

export function toolChoice(request: ChatCompletionRequest): ToolChoice<ToolSet> | undefined {
  const choice = request.tool_choice;
  if (choice == null) return undefined;
  if (typeof choice === "string") return choice;
  return { type: "tool", toolName: choice.function.name };
}

function defined<K extends string, T>(name: K, value: T | null | undefined): { [P in K]?: T } {
  return (value === null || value === undefined ? {} : { [name]: value }) as { [P in K]?: T };
}
