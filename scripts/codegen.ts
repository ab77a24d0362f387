// Regenerates convex/_generated without a deployment (see ../shared/TOOLCHAIN.md): runs Convex's own
// codegen in system-UDF mode, then adds the `components` export that only deployment codegen writes.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const generated = `${root}convex/_generated`;

execFileSync(
  process.execPath,
  [`${root}node_modules/convex/bin/main.js`, "codegen", "--system-udfs", "--typecheck", "disable"],
  { cwd: root, stdio: "inherit" },
);

/** Rewrites a generated file, failing loudly if the template changed under us. */
function patch(file: string, edits: Array<[from: string, to: string]>) {
  let text = readFileSync(`${generated}/${file}`, "utf8");
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`codegen: ${file} no longer contains ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  writeFileSync(`${generated}/${file}`, text);
}

patch("api.js", [
  ['import { anyApi } from "convex/server";', 'import { anyApi, componentsGeneric } from "convex/server";'],
  ["export const internal = anyApi;", "export const internal = anyApi;\nexport const components = componentsGeneric();"],
]);
patch("api.d.ts", [
  [
    "export declare const internal: FilterApi<\n  typeof fullApi,\n  FunctionReference<any, \"internal\">\n>;",
    "export declare const internal: FilterApi<\n  typeof fullApi,\n  FunctionReference<any, \"internal\">\n>;\n\n" +
      "export declare const components: {\n" +
      '  rateLimiter: import("@convex-dev/rate-limiter/_generated/component.js").ComponentApi<"rateLimiter">;\n' +
      "};",
  ],
]);
