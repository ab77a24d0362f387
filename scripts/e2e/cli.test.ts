// `npm start` as a user runs it: the startup lines, a working gateway, and a clean exit on SIGTERM.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

test("npm start prints the offline notice first, then the base URL, demo key and models, and exits cleanly on SIGTERM", async () => {
  const environment: NodeJS.ProcessEnv = { ...process.env, PORT: "0" };
  delete environment.OPENAI_API_KEY;
  delete environment.OPENAI_BASE_URL;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/local-gateway/main.ts"], { cwd: root, env: environment });
  const lines: string[] = [];
  const lineReader = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`exited early with ${code}`)));
    lineReader.on("line", (line) => {
      lines.push(line);
      if (line.startsWith("Models:")) resolve();
    });
  });
  expect(lines[0]).toMatch(/^Offline demo model: OPENAI_API_KEY is not set/);
  const baseUrl = lines.find((line) => line.startsWith("Gateway: "))!.slice("Gateway: ".length);
  expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
  expect(lines).toContain("Demo API key: sk-acme-demo-0000000000000000");
  expect(lines).toContain("Models: support, writer");

  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: "POST",
    headers: { authorization: "Bearer sk-acme-demo-0000000000000000", "content-type": "application/json" },
    body: JSON.stringify({ model: "writer", messages: [{ role: "user", content: "Say hi" }] }),
  });
  expect(response.status).toBe(200);
  expect((await response.json()).choices[0].message.content).toContain("Say hi");

  const exitCode = new Promise<number | null>((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  expect(await exitCode).toBe(0);
});

test("a bad seed file fails at start with a message naming the field", async () => {
  const { writeFileSync, mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const path = `${mkdtempSync(`${tmpdir()}/seed-`)}/bad.seed.json`;
  writeFileSync(path, JSON.stringify({ tenants: [{ slug: "x", name: "X", apiKeys: [{ name: "k", key: "short" }] }] }));
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/local-gateway/main.ts"], {
    cwd: root,
    env: { ...process.env, PORT: "0", GATEWAY_SEED: path },
  });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  expect(code).toBe(1);
  expect(stderr).toContain("tenants[0].apiKeys[0].key");
});
