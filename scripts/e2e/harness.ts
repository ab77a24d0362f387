// Shared setup of the end-to-end tests: a local gateway on a free port, seeded with the integration
// tests' seed, calling the run's fake upstream; and the official openai SDK pointed at it.
import OpenAI from "openai";
import { inject } from "vitest";
import { startLocalGateway, type LocalGateway } from "../local-gateway/gateway";
import { TEST_SEED, ACME_KEY } from "../../convex/testing/seed.testing";
import "../fake-upstream/provided-context";

export { ACME_KEY, GLOBEX_KEY, ACME_LIMITED_KEY } from "../../convex/testing/seed.testing";

export async function startTestGateway(seed: unknown = TEST_SEED): Promise<LocalGateway> {
  return startLocalGateway({ port: 0, seed: JSON.stringify(seed) });
}

export function openaiClient(gateway: LocalGateway, apiKey = ACME_KEY, options: { maxRetries?: number } = {}): OpenAI {
  return new OpenAI({ baseURL: gateway.baseUrl, apiKey, maxRetries: options.maxRetries ?? 0 });
}

export const upstreamUrl = () => inject("upstreamUrl");

export function marker(): string {
  return `marker-${crypto.randomUUID()}`;
}
