// `npm start`: the local gateway on http://127.0.0.1:3211 (PORT, HOST), seeded from local.seed.json
// (GATEWAY_SEED), calling OPENAI_BASE_URL with OPENAI_API_KEY, or the built-in offline demo model
// when no key is set. Its first lines say which upstream it calls and that its data lives in memory;
// it stops on SIGINT or SIGTERM, and when the process that started it (npm's shell) goes away. Then it
// prints one line per chat request whose upstream call failed.
import { readFileSync } from "node:fs";
import { startFakeUpstream, type FakeUpstream } from "../fake-upstream/server";
import { startLocalGateway } from "./gateway";
import { watchParent } from "./parentWatch";
import { describeSeed } from "./seedSummary";
import { formatFailure, upstreamHost } from "./upstreamFailures";
import { adminLines, ensureAdminKey } from "./adminKey";
import { missingProviderEnvironment } from "../../convex/upstream/config";
import { invalidSeed } from "../../convex/admin/seedSchema";

const IN_MEMORY_NOTICE =
  "Data: in memory only. Conversations, usage and anything changed while it runs are lost when this process stops; " +
  "each start begins again from the seed file. A Convex deployment (or the self-hosted Convex backend) keeps them: docs/getting-started.md.";

async function main(): Promise<void> {
  // The local demo's webhook tools may call receivers on this machine (docs/security.md); deployments never do.
  process.env.GATEWAY_ALLOW_PRIVATE_WEBHOOKS ??= "1";
  let upstream: FakeUpstream | null = null;
  if (!process.env.OPENAI_API_KEY) {
    // Word-by-word pacing like a real model, so streaming is visible in a terminal.
    upstream = await startFakeUpstream({ firstTokenDelayMs: 150, interTokenDelayMs: 40 });
    process.env.OPENAI_BASE_URL = upstream.url;
    process.env.OPENAI_API_KEY = "sk-offline-demo";
    console.log(`Offline demo model: OPENAI_API_KEY is not set, so replies come from the built-in fake upstream at ${upstream.url}.`);
  } else {
    console.log(`Upstream: ${process.env.OPENAI_BASE_URL || "https://api.openai.com/v1"}`);
  }
  console.log(IN_MEMORY_NOTICE);

  const seedPath = process.env.GATEWAY_SEED || "local.seed.json";
  let seedText: string;
  try {
    seedText = readFileSync(seedPath, "utf8");
    JSON.parse(seedText);
  } catch (error) {
    throw new Error(`Cannot read the seed file ${seedPath}: ${error instanceof Error ? error.message : error}`);
  }
  // A provider whose secret's environment variable is unset fails here, naming the seed field.
  const missing = missingProviderEnvironment(providersOf(JSON.parse(seedText)));
  if (missing.length > 0) throw invalidSeed(missing);

  const port = process.env.PORT ? Number(process.env.PORT) : 3211;
  const gateway = await startLocalGateway({
    port,
    host: process.env.HOST || "127.0.0.1",
    seed: seedText,
    offlineDemo: upstream !== null,
    // One line per failed upstream call: request id, model, target, upstream host, code, status, latency.
    onUpstreamFailure: (failure) => console.log(formatFailure(failure, upstreamHost())),
  });
  const summary = describeSeed(JSON.parse(seedText));
  console.log(`Gateway: ${gateway.baseUrl}`);
  console.log(`Demo API key: ${summary.demoKey ?? "(the seed's first tenant has no API key)"}`);
  console.log(`Models: ${summary.models.join(", ") || "(none)"}`);
  const providers = providersOf(JSON.parse(seedText)).map((provider) => `${String(provider.name)} (${String(provider.kind)}, ${typeof provider.baseURL === "string" ? provider.baseURL : "public endpoint"})`);
  if (providers.length > 0) console.log(`Providers besides openai: ${providers.join(", ")}`);
  console.log(`API docs: ${gateway.origin}/docs`);
  // Set before any request can arrive (no await since the gateway started): the admin routes read it per request.
  for (const line of adminLines(gateway.origin, ensureAdminKey())) console.log(line);
  console.log(`Stop: Ctrl-C, stop npm, or kill ${process.pid} (this gateway's pid).`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await gateway.close();
    await upstream?.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
  process.once("SIGHUP", () => void stop());
  watchParent(() => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

/** The seed's `providers` entries that are objects (the seed's own validation reports anything else). */
function providersOf(seed: unknown): Array<Record<string, unknown>> {
  const providers = typeof seed === "object" && seed !== null ? (seed as { providers?: unknown }).providers : undefined;
  if (!Array.isArray(providers)) return [];
  return providers.map((provider: unknown) => (typeof provider === "object" && provider !== null ? (provider as Record<string, unknown>) : {}));
}
