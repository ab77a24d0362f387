// The standard-library Python end-to-end scripts (scripts/e2e/python/run.py): run exactly as their
// docstring says against `npm start`, and against a local gateway seeded with every tenant setup their
// gated cases need, so that all of them run. The offline demo model is detected, never a flag.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startLocalGateway, type LocalGateway } from "../local-gateway/gateway";
import { npmStart, projectRoot } from "../local-gateway/npmStartProcess";
import { startTestGateway } from "./harness";

const MAIN_KEY = "sk-python-main-0000000000000000";
const RESTRICTED_KEY = "sk-python-restricted-00000000000";
const PII_BLOCK_KEY = "sk-python-pii-block-000000000000";
const RATE_LIMIT_KEY = "sk-python-rate-limit-00000000000";
const BUDGET_KEY = "sk-python-budget-000000000000000";
const BLOCKED_TERM = "forbidden-anvil";

/** Each gated case's tenant exposes the same model id, "writer", as the script expects. */
const writer = { slug: "writer", model: "gpt-4o", instructions: "You write copy for Acme." };
const SEED = {
  tenants: [
    {
      slug: "acme",
      name: "Acme Inc",
      apiKeys: [
        { name: "main", key: MAIN_KEY },
        { name: "restricted", key: RESTRICTED_KEY, agents: ["support"] },
      ],
      agents: [writer, { slug: "support", model: "gpt-4o-mini" }],
      policy: { requestsPerMinute: 1000, blockedTerms: [BLOCKED_TERM] },
    },
    { slug: "private", name: "Private Inc", apiKeys: [{ name: "main", key: PII_BLOCK_KEY }], agents: [writer], policy: { pii: "block" } },
    { slug: "tight", name: "Tight Inc", apiKeys: [{ name: "main", key: RATE_LIMIT_KEY }], agents: [writer], policy: { requestsPerMinute: 3 } },
    { slug: "spent", name: "Spent Inc", apiKeys: [{ name: "main", key: BUDGET_KEY }], agents: [writer], policy: { monthlyTokenBudget: 1 } },
  ],
};

const SCRIPT = fileURLToPath(new URL("python/run.py", import.meta.url));

/** The gated cases' gateway says it serves the offline demo (its upstream is the run's fake upstream, as `npm start`'s is). */
let gateway: LocalGateway;
beforeAll(async () => {
  gateway = await startLocalGateway({ port: 0, seed: JSON.stringify(SEED), offlineDemo: true });
});
afterAll(() => gateway.close());

function runPython(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCommand("python3", [SCRIPT, ...args]);
}

function runCommand(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(command, args, { cwd: projectRoot });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

test("every Python case passes against the local gateway, the gated ones included", { timeout: 120_000 }, async () => {
  const { code, stdout, stderr } = await runPython([
    "--base-url", gateway.baseUrl,
    "--api-key", MAIN_KEY,
    "--model", "writer",
    "--blocked-term", BLOCKED_TERM,
    "--pii-block-key", PII_BLOCK_KEY,
    "--restricted-key", RESTRICTED_KEY,
    "--busy-prompt", "[[words:40]] [[trickle:30]] Tell me a long story.",
    "--rate-limit-key", RATE_LIMIT_KEY,
    "--rate-limit-attempts", "5",
    "--budget-key", BUDGET_KEY,
  ]);
  const lines = stdout.trim().split("\n");
  expect(lines.filter((line) => !line.startsWith("ok ")), stderr).toEqual([lines.at(-1)]);
  expect(lines.at(-1)).toMatch(/^\d+ passed, 0 failed, 0 skipped$/);
  expect(Number(lines.at(-1)!.split(" ")[0])).toBeGreaterThanOrEqual(30);
  expect(code).toBe(0);
});

/** The command in run.py's docstring, as a user would copy it. */
function docstringCommand(): string[] {
  const docstring = readFileSync(SCRIPT, "utf8").split('"""')[1]!;
  const start = docstring.indexOf("python3 ");
  return docstring.slice(start, docstring.indexOf("\n\n", start)).replace(/\\+\n/g, " ").trim().split(/\s+/);
}

test("run exactly as its docstring says against npm start, every case that needs no tenant setup passes", { timeout: 180_000 }, async () => {
  const [command, ...args] = docstringCommand();
  expect([command, ...args].join(" ")).toBe(
    "python3 scripts/e2e/python/run.py --base-url http://127.0.0.1:3211/api/v1 --api-key sk-acme-demo-0000000000000000 --model writer",
  );
  const started = await npmStart();
  try {
    // Only the port differs from the docstring's (3211 may be taken on a test machine).
    const { code, stdout, stderr } = await runCommand(command!, args.map((arg) => arg.replace(":3211/", `:${started.port}/`)));
    const lines = stdout.trim().split("\n");
    expect(lines.filter((line) => line.startsWith("FAIL ")), stderr).toEqual([]);
    expect(lines).toContain("ok   error_502_upstream_error");
    expect(lines).toContain("ok   conversation_continues");
    expect(lines.at(-1)).toMatch(/^\d+ passed, 0 failed, 6 skipped$/);
    expect(code).toBe(0);
  } finally {
    started.killAll();
  }
});

test("without the gated flags those cases are reported as skipped, and the summary counts them", { timeout: 120_000 }, async () => {
  const { code, stdout } = await runPython(["--base-url", gateway.baseUrl, "--api-key", MAIN_KEY, "--model", "writer"]);
  const lines = stdout.trim().split("\n");
  expect(lines.filter((line) => line.startsWith("skip "))).toEqual([
    "skip error_403_content_policy_violation: needs --blocked-term",
    "skip error_403_pii_detected: needs --pii-block-key",
    "skip error_403_model_not_allowed: needs --restricted-key",
    "skip error_409_conversation_busy: needs --busy-prompt",
    "skip error_429_rate_limit_exceeded: needs --rate-limit-key",
    "skip error_429_insufficient_quota: needs --budget-key",
  ]);
  expect(lines).toContain("ok   error_502_upstream_error");
  expect(lines.at(-1)).toMatch(/^\d+ passed, 0 failed, 6 skipped$/);
  expect(code).toBe(0);
});

test("a failing case makes the exit status non-zero and is counted in the summary; a gateway that does not say it serves the offline demo gets no fault cases", { timeout: 120_000 }, async () => {
  const plain = await startTestGateway(SEED);
  const { code, stdout } = await runPython(["--base-url", plain.baseUrl, "--api-key", MAIN_KEY, "--model", "no-such-model"]).finally(() => plain.close());
  const lines = stdout.trim().split("\n");
  expect(lines).toContain("ok   health_needs_no_key");
  expect(lines).toContain("skip error_502_upstream_error: needs --offline-demo (or a gateway that sends x-local-gateway-upstream: offline-demo)");
  expect(lines.some((line) => line.startsWith("FAIL chat_non_streaming: status"))).toBe(true);
  const [, passed, failed] = /^(\d+) passed, (\d+) failed, 7 skipped$/.exec(lines.at(-1)!)!;
  expect(Number(failed)).toBe(lines.filter((line) => line.startsWith("FAIL ")).length);
  expect(Number(passed)).toBe(lines.filter((line) => line.startsWith("ok ")).length);
  expect(code).toBe(1);
});
