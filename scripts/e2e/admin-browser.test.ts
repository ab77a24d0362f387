// The operators' dashboard at /admin in a real browser (Debian's chromium driven by playwright-core),
// against the local gateway: sign in with the admin key, see the usage chart drawn by Chart.js, find a
// request made a moment ago through the openai SDK (and an upstream failure with its mapped code),
// filter by status; and, as a new operator would, create a tenant and a key on the page, chat with the
// key through the SDK, and see the request and its tokens appear. Screenshots go to test-output/.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { LocalGateway } from "../local-gateway/gateway";
import { marker, openaiClient, startTestGateway } from "./harness";

const root = fileURLToPath(new URL("../..", import.meta.url));
const outputDir = join(root, "test-output");
const ADMIN_KEY = `sk-admin-browser-${crypto.randomUUID()}`;
/** Debian's chromium unless CHROMIUM_PATH names another. */
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

let gateway: LocalGateway;
let browser: BrowserContext;
let userDataDir: string;
const previousAdminKey = process.env.GATEWAY_ADMIN_KEY;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH to its executable. ` +
        "To run every other test without a browser: npx vitest run --exclude 'scripts/e2e/*-browser.test.ts'",
    );
  }
  // The local gateway runs the Convex functions in this process: they read the admin key from here.
  process.env.GATEWAY_ADMIN_KEY = ADMIN_KEY;
  gateway = await startTestGateway();
  userDataDir = mkdtempSync(join(tmpdir(), "admin-browser-"));
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync"],
    viewport: { width: 1400, height: 1000 },
  });
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  if (previousAdminKey === undefined) delete process.env.GATEWAY_ADMIN_KEY;
  else process.env.GATEWAY_ADMIN_KEY = previousAdminKey;
});

/** Fails the test on any failed request or error status the page met, except those `allowed`. */
function watchFailures(page: Page, allowed: RegExp[] = []): string[] {
  const failures: string[] = [];
  page.on("requestfailed", (request) => failures.push(request.url()));
  page.on("pageerror", (error) => failures.push(`page error: ${error.message}`));
  page.on("response", (response) => {
    const line = `${response.status()} ${response.url()}`;
    if (response.status() >= 400 && !allowed.some((pattern) => pattern.test(line))) failures.push(line);
  });
  return failures;
}

async function signIn(page: Page, key: string) {
  await page.goto(`${gateway.origin}/admin`);
  await page.locator("#admin-key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The requests chart's datasets once Chart.js has drawn them: each model and its total. */
async function chartTotals(page: Page) {
  const totals = await page.waitForFunction(() => {
    const canvas = document.getElementById("requests-chart") as HTMLCanvasElement;
    const chart = (window as unknown as { Chart?: { getChart(canvas: HTMLCanvasElement): { data: { datasets: Array<{ label: string; data: number[] }> } } | undefined } }).Chart?.getChart(canvas);
    return chart && chart.data.datasets.length > 0 ? chart.data.datasets.map((dataset) => ({ label: dataset.label, total: dataset.data.reduce((a, b) => a + b, 0) })) : null;
  });
  return totals.jsonValue();
}

describe("the /admin dashboard in chromium", () => {
  test("a wrong key is refused on the sign-in form", { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    const failures = watchFailures(page, [/^401 .*\/api\/admin\/v1\/tenants/]);
    await signIn(page, "not-the-admin-key");
    // The refusal arrives after a round trip: wait for the message rather than read it at once.
    await page.locator("#sign-in-error", { hasText: "not the admin key" }).waitFor({ timeout: 20_000 });
    expect(await page.locator("#app").isHidden()).toBe(true);
    expect(failures).toEqual([]);
    await page.close();
  });

  test("sign in, see the usage chart, find a request made a moment ago and an upstream failure", { timeout: 90_000 }, async () => {
    const client = openaiClient(gateway);
    const tag = marker();
    const { response } = await client.chat.completions.create({ model: "writer", messages: [{ role: "user", content: `[[words:7]] ${tag}` }] }).withResponse();
    const okId = response.headers.get("x-request-id")!;
    // The gateway's upstream key refused: the client gets 502, the operator sees upstream_error in the log.
    const failed = await client.chat.completions.create({ model: "writer", messages: [{ role: "user", content: "[[fault:401]]" }] }).catch((error: { status: number; headers: Headers }) => error);
    expect(failed).toMatchObject({ status: 502 });
    const failedId = (failed as { headers: Headers }).headers.get("x-request-id")!;

    const page = await browser.newPage();
    const failures = watchFailures(page);
    await signIn(page, ADMIN_KEY);
    await page.locator("#app").waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("gatewayAdminKey"))).toBe(ADMIN_KEY);

    // The usage chart is a Chart.js chart with today's requests for the model asked for.
    expect(await chartTotals(page)).toEqual([{ label: "writer", total: 2 }]);
    await expect(page.locator("#usage-totals").innerText()).resolves.toMatch(/^2 requests, \d+ prompt and \d+ completion tokens in 30 days$/);

    // The requests table: the request made a moment ago, and the failure with its code and status.
    const okRow = page.locator("#requests tr", { hasText: okId });
    await okRow.waitFor();
    await expect(okRow.innerText()).resolves.toMatch(/writer\s+openai\/gpt-4o\s+agent\s+200/);
    const failedRow = page.locator("#requests tr", { hasText: failedId });
    await expect(failedRow.innerText()).resolves.toMatch(/502\s+upstream_error/);
    expect(await page.locator("#requests").innerText()).not.toContain(tag);
    // The tenant: its agents and policy.
    await expect(page.locator("#tenant-detail").innerText()).resolves.toMatch(/support[\s\S]*writer/);

    mkdirSync(outputDir, { recursive: true });
    await page.screenshot({ path: join(outputDir, "admin-dashboard.png"), fullPage: true });

    // Filtered to errors, only the failure is left.
    await page.locator("#status-filter").selectOption("errors");
    await expect(page.locator("#requests tbody tr").count()).resolves.toBe(1);
    await expect(page.locator("#requests tbody tr").innerText()).resolves.toContain(failedId);
    await page.locator("#requests-section").screenshot({ path: join(outputDir, "admin-requests-errors.png") });

    expect(failures).toEqual([]);
    await page.close();
  });

  test("a new operator creates a tenant and a key on the page, chats with the openai SDK, and sees the request and its tokens", { timeout: 90_000 }, async () => {
    const page = await browser.newPage();
    const failures = watchFailures(page);
    await signIn(page, ADMIN_KEY);
    await page.locator("#app").waitFor();

    // Create a tenant from the template the form offers (an agent "assistant" on gpt-4o-mini).
    await page.locator("#put-tenant-section summary").click();
    await page.locator("#put-tenant-slug").fill("initech");
    await page.getByRole("button", { name: "Save tenant" }).click();
    await page.locator("#put-tenant-result", { hasText: "Tenant 'initech' created." }).waitFor();
    await page.locator("#tenant-detail", { hasText: "Initech" }).waitFor();
    await expect(page.locator("#tenant").inputValue()).resolves.toBe("initech");
    await expect(page.locator("#tenant-detail").innerText()).resolves.toMatch(/assistant\s+gpt-4o-mini/);
    await page.locator("#put-tenant-section").screenshot({ path: join(outputDir, "admin-new-tenant.png") });

    // Create a key: its value is shown once, and it works with the openai SDK.
    await page.locator("#key-name").fill("from-the-dashboard");
    await page.getByRole("button", { name: "Create key" }).click();
    await page.locator("#new-key-value", { hasText: "sk-gw-" }).waitFor();
    const value = (await page.locator("#new-key-value").innerText()).trim();
    expect(value).toMatch(/^sk-gw-/);
    await page.locator("#keys tr", { hasText: "from-the-dashboard" }).waitFor();
    mkdirSync(outputDir, { recursive: true });
    await page.locator("#keys-section").screenshot({ path: join(outputDir, "admin-new-key.png") });
    const { data: reply, response } = await openaiClient(gateway, value)
      .chat.completions.create({ model: "assistant", messages: [{ role: "user", content: "[[words:12]]" }] })
      .withResponse();
    expect(reply.usage!.completion_tokens).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Done" }).click();
    expect(await page.locator("#new-key-value").innerText()).toBe("");

    // Refresh: the request is at the top with its tokens, and the chart counts it.
    await page.getByRole("button", { name: "Refresh" }).click();
    const row = page.locator("#requests tbody tr", { hasText: response.headers.get("x-request-id")! });
    await row.waitFor();
    const cells = await row.locator("td").allInnerTexts();
    expect(cells.slice(2, 8)).toEqual([expect.stringMatching(/^sk-gw-/), "assistant", "openai/gpt-4o-mini", "agent", "200", "—"]);
    expect(cells.slice(9)).toEqual([String(reply.usage!.prompt_tokens), String(reply.usage!.completion_tokens)]);
    expect(await chartTotals(page)).toEqual([{ label: "assistant", total: 1 }]);
    await page.locator("#audit", { hasText: "key created" }).waitFor();
    await page.screenshot({ path: join(outputDir, "admin-new-tenant-dashboard.png"), fullPage: true });

    expect(failures).toEqual([]);
    await page.close();
  });
});
