// The deploy commands the docs show are right: every `npx convex run` names a function that exists; the
// shell blocks of README.md, docs/deployment.md and docs/operations.md agree on `--prod` (each `run` and
// `env set` carries it, since without it the CLI acts on the dev deployment); and every
// `admin/seed:apply` command, run through the shell as shown, hands the mutation an argument it accepts.
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { internal } from "../convex/_generated/api";
import { startLocalGateway, type LocalGateway } from "./local-gateway/gateway";

const root = fileURLToPath(new URL("..", import.meta.url));
const DEPLOY_DOCS = ["README.md", "docs/deployment.md", "docs/operations.md"];
const ALL_DOCS = [...DEPLOY_DOCS, "docs/getting-started.md", "docs/security.md", "docs/configuration.md"];

/** The shell commands of a markdown file's sh blocks, continuation lines joined. */
function shellCommands(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((match) => match[1]!.replace(/\\\n\s*/g, " ").split("\n").filter((line) => line.trim() !== ""));
}

describe("npx convex commands in the docs", () => {
  test("every function `npx convex run` names exists", () => {
    const named = new Set<string>();
    for (const file of ALL_DOCS) {
      for (const [, path] of readFileSync(join(root, file), "utf8").matchAll(/npx convex run (?:--prod )?([\w/]+:\w+)/g)) named.add(path!);
    }
    expect(named).toContain("admin/seed:apply");
    for (const path of named) {
      const [module, name] = path.split(":");
      const source = join(root, "convex", `${module}.ts`);
      expect(existsSync(source), path).toBe(true);
      expect(readFileSync(source, "utf8"), path).toMatch(new RegExp(`export const ${name}\\b`));
    }
  });

  test("README, deployment.md and operations.md agree: every `run` and `env set` they show carries --prod", () => {
    const commands = DEPLOY_DOCS.flatMap((file) => shellCommands(file).map((command) => ({ file, command })));
    const cli = commands.filter(({ command }) => /npx convex (run|env set) /.test(command));
    expect(cli.filter(({ file }) => file === "README.md").length).toBeGreaterThanOrEqual(2);
    expect(cli.filter(({ file }) => file === "docs/operations.md").length).toBeGreaterThanOrEqual(1);
    expect(cli.filter(({ command }) => !/npx convex (run|env set) --prod /.test(command))).toEqual([]);
  });
});

describe("the admin/seed:apply commands, run as shown", () => {
  let gateway: LocalGateway;
  let workDir: string;
  beforeAll(async () => {
    gateway = await startLocalGateway({ port: 0, seed: readFileSync(join(root, "local.seed.json"), "utf8") });
    workDir = mkdtempSync(join(tmpdir(), "seed-commands-"));
  });
  afterAll(async () => {
    await gateway?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const seedCommands = DEPLOY_DOCS.flatMap((file) => shellCommands(file).filter((command) => command.includes("admin/seed:apply")).map((command) => ({ file, command })));

  test("README, deployment.md and operations.md each show one, with its argument", () => {
    for (const file of DEPLOY_DOCS) expect(seedCommands.filter((command) => command.file === file).length, file).toBeGreaterThanOrEqual(1);
  });

  test.each(seedCommands)("$file: $command", async ({ command }) => {
    // A prod.seed.json as the docs assume, and an `npx` that prints the argument the shell gives the CLI.
    copyFileSync(join(root, "local.seed.json"), join(workDir, "prod.seed.json"));
    const script = `npx() { for last; do :; done; printf '%s' "$last"; }\n${command}`;
    const { stdout } = await promisify(execFile)("sh", ["-c", script], { cwd: workDir });
    const args = JSON.parse(stdout) as { seed: unknown };
    expect(Object.keys(args)).toEqual(["seed"]);
    const applied = await gateway.convex.mutation(internal.admin.seed.apply, args);
    expect(applied.tenants.map((tenant) => tenant.slug)).toEqual(["acme"]);
  });
});
