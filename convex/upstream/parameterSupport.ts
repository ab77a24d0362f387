// Which Chat Completions parameters each provider kind cannot honour (docs/providers.md, from the AI SDK
// provider packages: where one cannot send a setting it drops or clamps it with only a warning). A
// request names its settings as facts (requestFacts); a target whose kind cannot honour one is refused
// (the model's own target: 400 unsupported_parameter, or invalid_value for a value the kind rejects)
// or left out of the failover plan (a fallback).
import type { GatewayError } from "../openai/errors";
import type { ChatCompletionRequest } from "../openai/request";
import type { ProviderKind } from "./providerConfig";

/** A setting of the request that some kind cannot honour: `parameter` or `parameter:condition`. */
export type RequestFact =
  | "temperature:above-1"
  | "stop:empty"
  | "presence_penalty"
  | "frequency_penalty"
  | "seed"
  | "logit_bias"
  | "parallel_tool_calls:false"
  | "response_format:json_object"
  | "reasoning_effort"
  | "verbosity"
  | "user";

/** The most facts a request can have: begin's argument is bounded by it. */
export const MAX_REQUEST_FACTS = 11;

/** Values a kind's API rejects outright (not a setting it lacks), refused as 400 invalid_value: what it does not accept. */
const INVALID_VALUES: Partial<Record<RequestFact, string>> = {
  "stop:empty": "an empty stop sequence: each must be at least 1 character",
};

const ANTHROPIC_AND_BEDROCK: ReadonlySet<RequestFact> = new Set<RequestFact>([
  "temperature:above-1",
  // Anthropic's stop_sequences and Bedrock Converse's stopSequences each require at least 1 character.
  "stop:empty",
  "presence_penalty",
  "frequency_penalty",
  "seed",
  "logit_bias",
  "parallel_tool_calls:false",
  "response_format:json_object",
  "reasoning_effort",
  "verbosity",
  "user",
]);

const REFUSED: Record<ProviderKind, ReadonlySet<RequestFact>> = {
  "openai-compatible": new Set(),
  anthropic: ANTHROPIC_AND_BEDROCK,
  bedrock: ANTHROPIC_AND_BEDROCK,
  google: new Set<RequestFact>(["logit_bias", "parallel_tool_calls:false", "reasoning_effort", "verbosity", "user"]),
};

/** The facts of a request's generation settings that some provider kind cannot honour. */
export function requestFacts(request: ChatCompletionRequest): RequestFact[] {
  const facts: RequestFact[] = [];
  if (request.temperature != null && request.temperature > 1) facts.push("temperature:above-1");
  if (request.stop === "" || (Array.isArray(request.stop) && request.stop.includes(""))) facts.push("stop:empty");
  if (request.presence_penalty != null) facts.push("presence_penalty");
  if (request.frequency_penalty != null) facts.push("frequency_penalty");
  if (request.seed != null) facts.push("seed");
  if (request.logit_bias != null) facts.push("logit_bias");
  if (request.parallel_tool_calls === false) facts.push("parallel_tool_calls:false");
  if (request.response_format?.type === "json_object") facts.push("response_format:json_object");
  if (request.reasoning_effort != null) facts.push("reasoning_effort");
  if (request.verbosity != null) facts.push("verbosity");
  if (request.user != null) facts.push("user");
  return facts;
}

/** The first fact a provider kind cannot honour, or null. */
export function refusedFact(kind: ProviderKind, facts: readonly string[]): RequestFact | null {
  const refused = REFUSED[kind];
  return (facts.find((fact) => refused.has(fact as RequestFact)) as RequestFact | undefined) ?? null;
}

/** The client's error for a fact the model's provider refuses: the parameter it is about, and why. */
export function describeRefusal(fact: RequestFact, provider: { name: string; kind: ProviderKind }): GatewayError {
  const [param, condition] = fact.split(":") as [string, string | undefined];
  const named = `The model's provider '${provider.name}' (${provider.kind})`;
  const invalid = INVALID_VALUES[fact];
  if (invalid !== undefined) return { code: "invalid_value", param, message: `${named} does not accept ${invalid}.` };
  const setting = condition === "above-1" ? `${param} above 1` : condition ? `${param}=${condition}` : param;
  return { code: "unsupported_parameter", param, message: `${named} does not support ${setting}.` };
}
