"use node";
// Reads a Swagger UI asset from the installed swagger-ui-dist package, for the /docs route. Only the
// Node runtime can read files, and convex.json lists swagger-ui-dist in node.externalPackages, so a
// deployment installs the package beside this action instead of bundling it: the assets are served
// from the package itself, never copied into the repository or fetched from a CDN.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { v } from "convex/values";
import swaggerUiDistPath from "swagger-ui-dist/absolute-path.js";
import { internalAction } from "../_generated/server";
import { swaggerUiAsset } from "./swaggerUi";

export const read = internalAction({
  args: { name: swaggerUiAsset },
  returns: v.string(),
  handler: async (_ctx, { name }) => readFile(join(swaggerUiDistPath(), name), "utf8"),
});
