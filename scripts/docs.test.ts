// docs/configuration.md matches the code: every field of the seed schema, with its default, and every
// environment variable the gateway reads.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import type { z } from "zod";
import { agentSeed, apiKeySeed, documentSeed, policySeed, tenantSeed, webhookToolSeed } from "../convex/admin/seedSchema";

const root = fileURLToPath(new URL("..", import.meta.url));
const configuration = readFileSync(join(root, "docs", "configuration.md"), "utf8");

/** The table rows under a `### \`heading\`` section, by field name: the default column and the whole row. */
function tableRows(heading: string): Map<string, { defaultColumn: string }> {
  const section = configuration.split(`### \`${heading}\`\n`)[1]?.split("\n#")[0] ?? "";
  const rows = new Map<string, { defaultColumn: string }>();
  for (const line of section.split("\n")) {
    const cells = line.split(" | ");
    const field = /^\| `(\w+)`$/.exec(cells[0] ?? "")?.[1];
    if (field) rows.set(field, { defaultColumn: cells[2]! });
  }
  return rows;
}

/** Each seed object, and the least a valid one must hold: what it leaves out comes back as its defaults. */
const SECTIONS: Array<[heading: string, schema: z.ZodObject, required: Record<string, unknown>]> = [
  ["tenants[]", tenantSeed, { slug: "t", name: "T" }],
  ["tenants[].apiKeys[]", apiKeySeed, { name: "k", key: "k".repeat(20) }],
  ["tenants[].agents[]", agentSeed, { slug: "a", model: "m" }],
  ["tenants[].documents[]", documentSeed, { title: "t", text: "x" }],
  ["tenants[].webhookTools[]", webhookToolSeed, { name: "n", url: "https://hooks.example", secret: "s".repeat(16) }],
  ["tenants[].policy", policySeed, {}],
];

describe("docs/configuration.md", () => {
  for (const [heading, schema, required] of SECTIONS) {
    test(`documents every field of ${heading} with its default`, () => {
      const rows = tableRows(heading);
      expect([...rows.keys()].sort()).toEqual(Object.keys(schema.shape).sort());
      const defaults = schema.parse(required) as Record<string, unknown>;
      for (const [field, { defaultColumn }] of rows) {
        const value = defaults[field];
        if (field in required) expect(defaultColumn, field).toBe("required");
        else if (value === undefined) expect(defaultColumn, field).toBe("none");
        else if (defaultColumn === "the defaults below") expect(value, field).toEqual(policySeed.parse({}));
        else expect(defaultColumn, field).toBe(`\`${JSON.stringify(value)}\``);
      }
    });
  }

  test("documents every environment variable the gateway reads", () => {
    const sources = [
      ...readdirSync(join(root, "convex"), { recursive: true, encoding: "utf8" })
        .filter((path) => path.endsWith(".ts") && !path.includes(".test.") && !path.includes(".testing."))
        .map((path) => join(root, "convex", path)),
      join(root, "scripts", "local-gateway", "main.ts"),
    ];
    const read = new Set(sources.flatMap((path) => [...readFileSync(path, "utf8").matchAll(/process\.env\.([A-Z_]+)/g)].map((match) => match[1]!)));
    const documented = [...configuration.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]!);
    expect(documented.sort()).toEqual([...read].sort());
  });
});
