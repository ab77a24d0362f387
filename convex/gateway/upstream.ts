// The upstream OpenAI-compatible provider, configured from the deployment's environment.
import { createOpenAI } from "@ai-sdk/openai";
import type { LanguageModel } from "ai";

export const DEFAULT_UPSTREAM_TIMEOUT_MS = 60_000;

export function upstreamModel(modelId: string): LanguageModel {
  const provider = createOpenAI({
    baseURL: process.env.OPENAI_BASE_URL || "https://api.openai.com/v1",
    apiKey: process.env.OPENAI_API_KEY ?? "",
  });
  // `.chat` speaks Chat Completions, which every OpenAI-compatible server implements.
  return provider.chat(modelId);
}

/** Bounds the wait for the upstream's first byte and any silence inside its stream. */
export function upstreamTimeoutMs(): number {
  const configured = Number(process.env.UPSTREAM_TIMEOUT_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_UPSTREAM_TIMEOUT_MS;
}
