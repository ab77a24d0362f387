"use node";
// Reads Chart.js's UMD build from the installed chart.js package, for the dashboard's /admin/chart.js
// route. As with Swagger UI (swaggerUiFiles.ts), convex.json lists chart.js in node.externalPackages, so
// a deployment installs the package beside this action: the file is served from the package itself,
// never copied into the repository or fetched from a CDN.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { v } from "convex/values";
import { internalAction } from "../_generated/server";

export const read = internalAction({
  args: {},
  returns: v.string(),
  // The package's main entry sits in dist/, beside the minified UMD build that defines `window.Chart`.
  handler: async () => readFile(join(dirname(createRequire(import.meta.url).resolve("chart.js")), "chart.umd.min.js"), "utf8"),
});
