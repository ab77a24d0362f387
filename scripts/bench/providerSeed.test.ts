// The bench's per-kind seed (seed.ts, providerSeed) through the real local gateway: each kind's agent answers a
// client-tool request from its own provider's fake (x-gateway-upstream and the fake's recording say so), and the
// bench's launcher of the protocol fakes (protocolFakes.ts) brings up all three and stops them.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { recordedRequests } from "../fake-upstream/client";
import { marker } from "../e2e/harness";
import { startLocalGateway, type LocalGateway } from "../local-gateway/gateway";
import { startProtocolFakes } from "./protocolFakes";
import { BENCH_KEY, BENCH_PROVIDER_SECRETS, providerAgentSlug, providerSeed, PROVIDER_MODELS, type ProviderKind } from "./seed";

const urls = { anthropic: inject("anthropicUrl"), bedrock: inject("bedrockUrl"), google: inject("googleUrl") };
// The suite's Bedrock fake checks signatures against its own credentials.
const environment: Record<string, string> = {
  ...BENCH_PROVIDER_SECRETS,
  BENCH_AWS_ACCESS_KEY_ID: inject("bedrockCredentials").accessKeyId,
  BENCH_AWS_SECRET_ACCESS_KEY: inject("bedrockCredentials").secretAccessKey,
};
const KINDS: Array<{ kind: ProviderKind; target: string; fake: () => string }> = [
  { kind: "openai-compatible", target: `openai/${PROVIDER_MODELS["openai-compatible"]}`, fake: () => inject("upstreamUrl") },
  { kind: "anthropic", target: `claude/${PROVIDER_MODELS.anthropic}`, fake: () => urls.anthropic },
  { kind: "bedrock", target: `aws/${PROVIDER_MODELS.bedrock}`, fake: () => urls.bedrock },
  { kind: "google", target: `gemini/${PROVIDER_MODELS.google}`, fake: () => urls.google },
];

let gateway: LocalGateway;
const saved: Record<string, string | undefined> = {};
beforeAll(async () => {
  for (const [name, value] of Object.entries(environment)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  gateway = await startLocalGateway({ port: 0, seed: providerSeed(urls) });
});
afterAll(async () => {
  await gateway.close();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

test.each(KINDS)("the $kind agent answers from its own provider's fake", async ({ kind, target, fake }) => {
  const prompt = `${marker()} [[words:3]] ${kind}`;
  const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${BENCH_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: providerAgentSlug(kind),
      messages: [{ role: "user", content: prompt }],
      tools: [{ type: "function", function: { name: "lookup_order", parameters: { type: "object", properties: { id: { type: "string" } } } } }],
    }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("x-gateway-upstream")).toBe(target);
  expect((await response.json()).choices[0].message.content.split(" ")).toHaveLength(3);
  expect(await recordedRequests(fake(), prompt)).toHaveLength(1);
});

test("startProtocolFakes starts the three fakes, each answering at its base URL, and stops them", async () => {
  const fakes = await startProtocolFakes({ firstTokenMs: 1, interTokenMs: 1 });
  const all = Object.values(fakes.urls);
  expect(all).toHaveLength(3);
  for (const url of all) expect(await recordedRequests(url)).toEqual([]);
  await fakes.stop();
  await expect(recordedRequests(fakes.urls.google)).rejects.toThrow();
});
