// public/openapi.json is what the code builds (`npm run openapi` rewrites it), a maintained OpenAPI
// validator accepts it, and every route of convex/http.ts's router is in it.
import { readFileSync } from "node:fs";
import { compileErrors, validate } from "@readme/openapi-parser";
import { describe, expect, test } from "vitest";
import http from "../convex/http";
import { openApiDocument } from "../convex/openai/openapi";

interface Document {
  servers: Array<{ url: string }>;
  paths: Record<string, { servers?: Array<{ url: string }> } & Record<string, unknown>>;
}

const committed = JSON.parse(readFileSync(new URL("../public/openapi.json", import.meta.url), "utf8")) as Document;

/** Router prefix routes and the OpenAPI path templates that document them. */
const PREFIX_TEMPLATES: Record<string, string> = {
  "/api/v1/models/*": "/api/v1/models/{id}",
  "/docs/*": "/docs/{file}",
  "/admin/*": "/admin/{file}",
};
/** The admin API: one prefix route per method, serving that method's documented admin operations (PATCH and DELETE only answer 404 or 405). */
const ADMIN_PREFIX = "/api/admin/v1/*";
/** The one route not documented as an operation: OpenAI's 404 for any other /api/v1 path. */
const CATCH_ALL = "/api/v1/*";

describe("public/openapi.json", () => {
  test("is exactly what the code builds (run `npm run openapi` after changing a schema)", () => {
    expect(committed).toEqual(openApiDocument());
  });

  test("passes @readme/openapi-parser's validation", async () => {
    const result = await validate(structuredClone(committed) as never);
    expect(result.valid ? "valid" : compileErrors(result)).toBe("valid");
    expect(result.warnings).toEqual([]);
  });

  test("documents every route of the router, with its method", () => {
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(committed.paths)) {
      const server = (item.servers ?? committed.servers)[0]!.url.replace(/\/$/, "");
      for (const method of Object.keys(item).filter((key) => key !== "servers")) {
        documented.add(`${method.toUpperCase()} ${server}${path}`);
      }
    }
    const routed = http
      .getRoutes()
      // CORS preflight answers every route; the catch-all only says "unknown route".
      .filter(([path, method]) => method !== "OPTIONS" && path !== CATCH_ALL)
      .flatMap(([path, method]) => {
        if (path === ADMIN_PREFIX) return [...documented].filter((route) => route.startsWith(`${method} /api/admin/v1/`));
        const template = path.endsWith("*") ? PREFIX_TEMPLATES[path] : path;
        expect(template, `no OpenAPI path template for the prefix route ${path}`).toBeDefined();
        return [`${method} ${template}`];
      });
    expect(routed.length).toBeGreaterThanOrEqual(7);
    expect([...documented].sort()).toEqual([...new Set(routed)].sort());
  });
});
