// The Swagger UI page at /docs in a real browser (Debian's chromium driven by playwright-core): it
// renders the gateway's OpenAPI document, "Authorize" takes a bearer key, and "Try it out" -> Execute
// calls GET /models and POST /chat/completions on the gateway that served the page. Screenshots of the
// page and of the chat response go to test-output/. Also checks that the page's assets are the
// swagger-ui-dist package's own files. Chromium is found at CHROMIUM_PATH (default: Debian's
// /usr/bin/chromium); without it the test fails and says how to run the others without a browser.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { LocalGateway } from "../local-gateway/gateway";
import { ACME_KEY, marker, startTestGateway } from "./harness";

const root = fileURLToPath(new URL("../..", import.meta.url));
const outputDir = join(root, "test-output");
const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

let gateway: LocalGateway;
let browser: BrowserContext;
let userDataDir: string;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `No Chromium at ${chromiumPath}: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH to its executable. ` +
        "To run every other test without a browser: npx vitest run --exclude 'scripts/e2e/*-browser.test.ts'",
    );
  }
  gateway = await startTestGateway();
  userDataDir = mkdtempSync(join(tmpdir(), "docs-browser-"));
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-quic",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 1600 },
  });
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

/** Expands an operation, presses "Try it out", lets `edit` fill the form, presses Execute, and returns its response panel. */
async function execute(page: Page, operationId: string, edit: (operation: ReturnType<Page["locator"]>) => Promise<void> = async () => {}) {
  const operation = page.locator(`[id$="-${operationId}"]`);
  await operation.locator(".opblock-summary").first().click();
  await operation.getByRole("button", { name: "Try it out" }).click();
  await edit(operation);
  await operation.getByRole("button", { name: "Execute" }).click();
  const response = operation.locator(".live-responses-table .response").first();
  await response.waitFor({ timeout: 15_000 });
  return {
    status: (await response.locator(".response-col_status").innerText()).trim(),
    body: await response.locator(".response-col_description .microlight").first().innerText(),
    /** The body and the response headers the page could read. */
    details: await response.locator(".response-col_description").innerText(),
    requestUrl: (await operation.locator(".request-url pre").innerText()).trim(),
  };
}

describe("the /docs page in chromium", () => {
  test("authorizes with a key and runs GET /models and POST /chat/completions from the page", { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    const failedRequests: string[] = [];
    page.on("requestfailed", (request) => failedRequests.push(request.url()));
    page.on("response", (response) => {
      if (response.status() >= 400) failedRequests.push(`${response.status()} ${response.url()}`);
    });

    await page.goto(`${gateway.origin}/docs`);
    await expect(page.locator(".swagger-ui .info .title").innerText()).resolves.toContain("OpenAI-compatible API gateway");

    await page.locator(".auth-wrapper button.authorize").click();
    // The tenant key's scheme (the dialog also offers the admin API's `adminKey`).
    const dialog = page.locator(".modal-ux");
    const bearer = dialog.locator(".auth-container", { hasText: "bearerAuth" });
    await bearer.locator("#auth-bearer-value").fill(ACME_KEY);
    await bearer.locator("button.authorize").click();
    await bearer.locator("button.btn-done").click();

    const models = await execute(page, "listModels");
    expect(models.status).toBe("200");
    expect(models.requestUrl).toBe(`${gateway.baseUrl}/models`);
    expect(JSON.parse(models.body).data.map((model: { id: string }) => model.id).sort()).toEqual(["gpt-4.1-mini", "support", "writer"]);

    const tag = marker();
    const chat = await execute(page, "createChatCompletion", async (operation) => {
      await operation
        .locator("textarea.body-param__text")
        .fill(JSON.stringify({ model: "writer", messages: [{ role: "user", content: `Hello from the docs page ${tag}` }] }));
    });
    expect(chat.status).toBe("200");
    expect(chat.requestUrl).toBe(`${gateway.baseUrl}/chat/completions`);
    const completion = JSON.parse(chat.body);
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0].message.content).toBe(`Hello from the fake upstream. You said: Hello from the docs page ${tag}`);
    // The page can read the gateway's own headers (CORS exposes them), so Swagger shows them.
    expect(chat.details).toMatch(/x-conversation-id: \S+/);
    expect(chat.details).toMatch(/x-request-id: req_[0-9a-f]{24}/);

    expect(failedRequests).toEqual([]);
    mkdirSync(outputDir, { recursive: true });
    await page.screenshot({ path: join(outputDir, "docs-page.png") });
    await page.locator("#operations-Chat-createChatCompletion .live-responses-table").screenshot({ path: join(outputDir, "docs-chat-response.png") });
  });
});

describe("the page's assets", () => {
  test("are swagger-ui-dist's own files, byte for byte, with their content types", async () => {
    for (const [name, contentType] of [
      ["swagger-ui-bundle.js", "text/javascript; charset=utf-8"],
      ["swagger-ui.css", "text/css; charset=utf-8"],
    ]) {
      const response = await fetch(`${gateway.origin}/docs/${name}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(contentType);
      expect(response.headers.get("cache-control")).toBe("public, max-age=86400");
      expect(await response.text()).toBe(readFileSync(join(root, "node_modules", "swagger-ui-dist", name!), "utf8"));
    }
  });

  test("nothing else is served from the package or around it: other names are an OpenAI-shaped 404", async () => {
    for (const path of ["/docs/index.html", "/docs/swagger-ui.js", "/docs/..%2Fpackage.json", "/docs/swagger-ui.css%00"]) {
      const response = await fetch(`${gateway.origin}${path}`);
      expect(response.status, path).toBe(404);
      expect((await response.json()).error).toMatchObject({ type: "invalid_request_error", code: null });
    }
  });

  test("the page loads only same-origin files: no CDN", async () => {
    const html = await (await fetch(`${gateway.origin}/docs`)).text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(sources).toEqual(["data:,", "/docs/swagger-ui.css", "/docs/swagger-ui-bundle.js"]);
    expect(html).toContain('url: "/api/v1/openapi.json"');
  });
});
