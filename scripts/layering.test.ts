// The layering of convex/ as docs/architecture.md describes it, checked on the real import graph:
// no import cycles (type-only imports included), and each folder imports only from the layers below
// it. pii/ is pure; openai/ is the wire format; upstream/ talks to the model; model/ holds the
// decisions; agent/, gateway/ and admin/ are the entry points and never import each other.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("../convex/", import.meta.url));

/** What each top-level folder (or root file) of convex/ may import from, besides itself and _generated. */
const ALLOWED: Record<string, string[]> = {
  pii: [],
  openai: ["pii"],
  upstream: ["openai", "pii"],
  model: ["upstream", "openai", "pii"],
  agent: ["model", "upstream", "openai", "pii"],
  gateway: ["model", "upstream", "openai", "pii"],
  admin: ["model", "upstream", "openai", "pii"],
  "(root)": ["model", "agent", "gateway", "admin", "upstream", "openai", "pii"],
};

function sourceFiles(): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ts$/.test(entry.name) && !entry.name.endsWith(".d.ts"))
    // Tests and test support (two dots) are not part of the layering.
    .filter((entry) => (entry.name.match(/\./g) ?? []).length === 1)
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split("\\").join("/"))
    .filter((path) => !path.startsWith("_generated/") && !path.startsWith("testing/"));
}

/** Relative imports of a file (static, type-only and dynamic), resolved to paths under convex/. */
function importsOf(file: string, known: Set<string>): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const targets: string[] = [];
  for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)"(\.{1,2}\/[^"]+)"/g)) {
    const base = normalize(join(dirname(file), match[1]!)).split("\\").join("/").replace(/\.(js|ts)$/, "");
    const resolved = [`${base}.ts`, `${base}/index.ts`].find((candidate) => known.has(candidate));
    if (resolved) targets.push(resolved);
  }
  return targets;
}

function layerOf(file: string): string {
  return file.includes("/") ? file.split("/")[0]! : "(root)";
}

const files = sourceFiles();
const known = new Set(files);
const graph = new Map(files.map((file) => [file, importsOf(file, known)]));

describe("layering of convex/", () => {
  test("the graph was read (a guard against a check that sees nothing)", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(graph.get("model/chat.ts")!.length).toBeGreaterThan(5);
  });

  test("no import cycles", () => {
    const cycles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, "visiting");
      stack.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === "visiting") cycles.push([...stack.slice(stack.indexOf(next)), next].join(" -> "));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, "done");
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  test("each layer imports only from the layers below it", () => {
    const violations: string[] = [];
    for (const [file, targets] of graph) {
      const layer = layerOf(file);
      for (const target of targets) {
        const targetLayer = layerOf(target);
        if (targetLayer !== layer && !(ALLOWED[layer] ?? []).includes(targetLayer)) violations.push(`${file} -> ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
