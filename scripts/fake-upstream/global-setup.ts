// Vitest globalSetup: starts the fake upstreams for the whole test run and hands their URLs to every test
// file through provide/inject (setup-env.ts turns upstreamUrl into OPENAI_BASE_URL): the OpenAI fake, a
// second OpenAI-compatible fake to fail over to, and one fake per provider protocol.
import type { TestProject } from "vitest/node";
import { startAnthropicFake } from "./anthropic/fake";
import { startBedrockFake } from "./bedrock/fake";
import { startGoogleFake } from "./google/fake";
import { startFakeUpstream } from "./server";
import "./provided-context";


export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const upstream = await startFakeUpstream();
  const backup = await startFakeUpstream();
  const anthropic = await startAnthropicFake();
  const bedrockCredentials = { accessKeyId: "AKIDFAKEBEDROCK", secretAccessKey: "fake-bedrock-secret" };
  const bedrock = await startBedrockFake({ region: "us-east-1", secrets: { [bedrockCredentials.accessKeyId]: bedrockCredentials.secretAccessKey } });
  const google = await startGoogleFake();
  project.provide("upstreamUrl", upstream.url);
  project.provide("backupUpstreamUrl", backup.url);
  project.provide("anthropicUrl", anthropic.url);
  project.provide("bedrockUrl", bedrock.url);
  project.provide("bedrockCredentials", bedrockCredentials);
  project.provide("googleUrl", google.url);
  return async () => {
    await Promise.all([upstream, backup, anthropic, bedrock, google].map((fake) => fake.close()));
  };
}
