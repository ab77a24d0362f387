// The provider registry: builds the AI SDK LanguageModel for one model on one provider, by kind.
// Secrets come from upstream/config.ts (the one module that reads the environment).
import { createOpenAI } from "@ai-sdk/openai";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { createAmazonBedrock } from "@ai-sdk/amazon-bedrock";
import type { LanguageModel } from "ai";
import { defaultProviderBaseUrl, providerSecrets } from "./config";
import { DEFAULT_PROVIDER_NAME, type ProviderConfig } from "./providerConfig";

export function languageModel(provider: ProviderConfig, modelId: string): LanguageModel {
  const secrets = providerSecrets(provider);
  // Null keeps each SDK's own public endpoint; the default provider's comes from OPENAI_BASE_URL.
  const baseURL = provider.baseURL ?? (provider.name === DEFAULT_PROVIDER_NAME ? defaultProviderBaseUrl() : undefined);
  switch (provider.kind) {
    case "openai-compatible":
      // `.chat` speaks Chat Completions, which every OpenAI-compatible server implements.
      return createOpenAI({ baseURL, apiKey: secrets.apiKey }).chat(modelId);
    case "anthropic":
      return createAnthropic({ baseURL, apiKey: secrets.apiKey })(modelId);
    case "google":
      return createGoogleGenerativeAI({ baseURL, apiKey: secrets.apiKey })(modelId);
    case "bedrock":
      return createAmazonBedrock({
        baseURL,
        region: provider.region ?? undefined,
        accessKeyId: secrets.accessKeyId,
        secretAccessKey: secrets.secretAccessKey,
        sessionToken: secrets.sessionToken,
      })(modelId);
  }
}
