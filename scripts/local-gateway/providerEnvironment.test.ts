// `npm start` refuses a seed whose provider names an environment variable that is not set, naming
// the seed field, before it starts anything (convex/upstream/config.ts, missingProviderEnvironment).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";

test("npm start refuses a seed whose provider's variable is unset, naming the field", () => {
  const directory = mkdtempSync(join(tmpdir(), "seed-"));
  const seedPath = join(directory, "seed.json");
  const provider = { name: "backup", kind: "openai-compatible", baseURL: "http://127.0.0.1:8000/v1", apiKeyEnv: "UNSET_BACKUP_KEY_FOR_TEST" };
  writeFileSync(seedPath, JSON.stringify({ providers: [provider], tenants: [{ slug: "acme", name: "Acme", agents: [{ slug: "bot", model: "backup/m" }] }] }));
  const environment: Record<string, string | undefined> = { ...process.env, GATEWAY_SEED: seedPath, OPENAI_API_KEY: "sk-test", PORT: "0" };
  delete environment.UNSET_BACKUP_KEY_FOR_TEST;
  const started = spawnSync(process.execPath, ["--import", "tsx", "scripts/local-gateway/main.ts"], { env: environment, encoding: "utf8", timeout: 30_000 });
  expect(started.status).toBe(1);
  expect(started.stderr).toContain("providers[0].apiKeyEnv: the environment variable UNSET_BACKUP_KEY_FOR_TEST is not set");
});
