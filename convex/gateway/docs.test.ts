// The documentation routes on the deployment: the OpenAPI document, the Swagger UI page, and the
// OpenAI-shaped 404 for anything under /docs that is not one of the page's assets. (Serving the assets
// runs a Node action, checked through the local gateway in scripts/e2e/docs-browser.test.ts.)
import { describe, expect, test } from "vitest";
import { startGateway } from "../testing/harness.testing";
import { openApiDocument } from "../openai/openapi";

describe("documentation routes", () => {
  test("GET /api/v1/openapi.json serves the OpenAPI document without a key", async () => {
    const t = await startGateway();
    const response = await t.fetch("/api/v1/openapi.json");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expect(await response.json()).toEqual(openApiDocument());
  });

  test("GET /docs and /docs/ serve the Swagger UI page, which loads the spec and assets from this site", async () => {
    const t = await startGateway();
    for (const path of ["/docs", "/docs/"]) {
      const response = await t.fetch(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      const html = await response.text();
      expect(html).toContain('<script src="/docs/swagger-ui-bundle.js"></script>');
      expect(html).toContain('<link rel="stylesheet" href="/docs/swagger-ui.css">');
      expect(html).toContain('url: "/api/v1/openapi.json"');
      expect(html).not.toMatch(/https?:\/\//);
    }
  });

  test("anything else under /docs is an OpenAI-shaped 404, never a file", async () => {
    const t = await startGateway();
    for (const path of ["/docs/index.html", "/docs/package.json", "/docs/..%2Fpackage.json", "/docs/swagger-ui-bundle.js.map"]) {
      const response = await t.fetch(path);
      expect(response.status, path).toBe(404);
      expect((await response.json()).error).toMatchObject({ type: "invalid_request_error", code: null, param: null });
    }
  });
});
