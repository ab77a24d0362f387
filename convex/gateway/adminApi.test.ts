// The admin API (CONTRACT.md, "Admin API and dashboard") on convex-test: the gate (404 while
// GATEWAY_ADMIN_KEY is unset; 401 for a missing, wrong or tenant key), every route with its validation
// errors in OpenAI's shape, cursor pages, isolation between tenants, and no key value, webhook secret or
// message text in any response but the one that creates a key.
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { get, marker, postChat, startGateway, type Gateway } from "../testing/harness.testing";
import { restoreEnvironment, setEnvironment } from "../testing/environment.testing";
import { ACME_KEY, GLOBEX_KEY, TEST_SEED } from "../testing/seed.testing";

const ADMIN_KEY = "admin-test-key-0123456789abcdef";
const BASE = "/api/admin/v1";

/** Every admin response body of the test, to check none leaks a key or message text. */
let bodies: string[] = [];

beforeEach(() => {
  setEnvironment("GATEWAY_ADMIN_KEY", ADMIN_KEY);
  bodies = [];
});
afterEach(() => restoreEnvironment());

async function admin(t: Gateway, method: string, path: string, body?: unknown, key: string | null = ADMIN_KEY) {
  const response = await t.fetch(`${BASE}${path}`, {
    method,
    headers: {
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  bodies.push(text);
  return { status: response.status, json: JSON.parse(text), headers: response.headers };
}

function expectError(result: { status: number; json: { error: unknown } }, status: number, code: string | null, param?: string | null) {
  expect(result.status).toBe(status);
  expect(result.json.error).toMatchObject({ code, ...(param !== undefined ? { param } : {}) });
  expect(Object.keys(result.json.error as object).sort()).toEqual(["code", "message", "param", "type"]);
}

function chat(content: string, model = "writer") {
  return { model, messages: [{ role: "user", content }] };
}

describe("the admin API's gate", () => {
  test("with GATEWAY_ADMIN_KEY unset or blank, every admin route and the dashboard answer 404 in OpenAI's shape", async () => {
    const t = await startGateway();
    for (const unset of ["", "   "]) {
      setEnvironment("GATEWAY_ADMIN_KEY", unset);
      for (const [method, path] of [["GET", "/tenants"], ["GET", "/tenants/acme/requests"], ["PUT", "/seed"], ["POST", "/tenants/acme/keys"], ["GET", "/nothing"]] as const) {
        expectError(await admin(t, method, path, method === "GET" ? undefined : {}), 404, null);
        expectError(await admin(t, method, path, method === "GET" ? undefined : {}, null), 404, null);
      }
      for (const path of ["/admin", "/admin/", "/admin/dashboard.js"]) {
        const response = await t.fetch(path);
        expect(response.status, path).toBe(404);
        expect((await response.json()).error).toMatchObject({ type: "invalid_request_error", code: null });
      }
    }
    // Nothing was created by the refused PUT/POST.
    expect((await t.run((ctx) => ctx.db.query("apiKeys").collect())).length).toBe(5);
  });

  test("a missing, wrong or tenant key gets 401 invalid_api_key and changes nothing", async () => {
    const t = await startGateway();
    for (const key of [null, "wrong", ADMIN_KEY.slice(0, -1), `${ADMIN_KEY}x`, ACME_KEY, GLOBEX_KEY]) {
      expectError(await admin(t, "GET", "/tenants", undefined, key), 401, "invalid_api_key");
      expectError(await admin(t, "POST", "/tenants/acme/keys", { name: "sneaky" }, key), 401, "invalid_api_key");
    }
    expect(await t.run((ctx) => ctx.db.query("apiKeys").collect())).toHaveLength(5);
    expect((await admin(t, "GET", "/tenants")).status).toBe(200);
  });

  test("the key check compares SHA-256 digests: equal keys only, whatever their lengths", async () => {
    const { sameSecret } = await import("./adminAuth");
    expect(sameSecret(ADMIN_KEY, ADMIN_KEY)).toBe(true);
    for (const other of ["", "a", ADMIN_KEY.slice(1), `${ADMIN_KEY} `, ADMIN_KEY.toUpperCase()]) expect(sameSecret(other, ADMIN_KEY)).toBe(false);
  });

  test("a body over 1 MB is refused with 413 before it is parsed", async () => {
    const t = await startGateway();
    const result = await admin(t, "PUT", "/seed", JSON.stringify({ tenants: [{ slug: "big", name: "x".repeat(1_100_000) }] }));
    expectError(result, 413, "request_too_large");
    expect(await t.run((ctx) => ctx.db.query("tenants").withIndex("by_slug", (q) => q.eq("slug", "big")).unique())).toBeNull();
  });

  test("unknown admin paths are 404; a known path with another method is 405", async () => {
    const t = await startGateway();
    expectError(await admin(t, "GET", "/nope"), 404, null);
    expectError(await admin(t, "GET", "/tenants/acme/keys/main/disable"), 405, null);
    expectError(await admin(t, "DELETE", "/tenants/acme"), 405, null);
  });
});

describe("tenants", () => {
  test("list pages through tenants with cursors; limit is 1..100", async () => {
    const t = await startGateway();
    const first = await admin(t, "GET", "/tenants?limit=1");
    expect(first.status).toBe(200);
    expect(first.json.data.map((tenant: { slug: string }) => tenant.slug)).toEqual(["acme"]);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await admin(t, "GET", `/tenants?limit=1&cursor=${encodeURIComponent(first.json.nextCursor)}`);
    expect(second.json.data.map((tenant: { slug: string }) => tenant.slug)).toEqual(["globex"]);
    const all = await admin(t, "GET", "/tenants");
    expect(all.json).toMatchObject({ nextCursor: null });
    expect(all.json.data[0]).toEqual({ slug: "acme", name: "Acme Inc", policy: expect.objectContaining({ allowedModels: ["gpt-4.1-mini"] }) });
    for (const limit of ["0", "101", "abc", "1.5", "-1"]) expectError(await admin(t, "GET", `/tenants?limit=${limit}`), 400, "invalid_value", "limit");
    expectError(await admin(t, "GET", "/tenants?cursor=not-a-cursor"), 400, "invalid_value", "cursor");
  });

  test("read returns policy, agents, documents and webhook tools, never a webhook secret; unknown tenants are 404", async () => {
    const seed = structuredClone(TEST_SEED) as { tenants: Array<Record<string, unknown>> };
    seed.tenants[0]!.webhookTools = [{ name: "crm", url: "https://crm.example.com/hook", secret: "webhook-secret-0123456789", description: "CRM lookup" }];
    const t = await startGateway(seed);
    const acme = await admin(t, "GET", "/tenants/acme");
    expect(acme.status).toBe(200);
    expect(acme.json).toMatchObject({
      slug: "acme",
      name: "Acme Inc",
      agents: [expect.objectContaining({ slug: "support", model: "gpt-4o-mini" }), expect.objectContaining({ slug: "writer" })],
      documents: [{ title: "Refund policy", characters: "Acme refunds any order within 30 days of delivery.".length }],
      webhookTools: [{ name: "crm", url: "https://crm.example.com/hook", description: "CRM lookup", parameters: expect.any(String) }],
      truncated: false,
    });
    expect(JSON.stringify(acme.json)).not.toContain("webhook-secret");
    // Isolation: the other tenant's rows are not in this tenant's read.
    expect(JSON.stringify(acme.json)).not.toContain("Globex");
    expectError(await admin(t, "GET", "/tenants/initech"), 404, null, "tenant");
  });

  test("PUT creates or replaces one tenant from the seed's tenant object; apiKeys are ignored", async () => {
    const t = await startGateway();
    const tenant = {
      name: "Initech",
      apiKeys: [{ name: "main", key: "sk-initech-0000000000000000000" }],
      agents: [{ slug: "helper", model: "gpt-4o-mini" }, { slug: "old", model: "gpt-4o" }],
      documents: [{ title: "TPS", text: "Cover sheets on every report." }],
      policy: { requestsPerMinute: 5 },
    };
    const created = await admin(t, "PUT", "/tenants/initech", tenant);
    expect(created).toMatchObject({ status: 200, json: { slug: "initech", created: true } });
    const stored = await admin(t, "GET", "/tenants/initech");
    expect(stored.json.agents.map((agent: { slug: string }) => agent.slug)).toEqual(["helper", "old"]);
    expect(stored.json.policy).toMatchObject({ requestsPerMinute: 5, pii: "redact" });
    expect((await admin(t, "GET", "/tenants/initech/keys")).json.data).toEqual([]);

    const replaced = await admin(t, "PUT", "/tenants/initech", { ...tenant, name: "Initech Corp", agents: [{ slug: "helper", model: "gpt-4.1" }], documents: [] });
    expect(replaced.json).toEqual({ slug: "initech", created: false });
    const after = await admin(t, "GET", "/tenants/initech");
    expect(after.json).toMatchObject({ name: "Initech Corp", agents: [expect.objectContaining({ slug: "helper", model: "gpt-4.1" })], documents: [] });
    // The other tenants are untouched.
    expect((await admin(t, "GET", "/tenants/acme")).json.agents).toHaveLength(2);
  });

  test("PUT refuses a bad tenant with 400 naming the field, and changes nothing", async () => {
    const t = await startGateway();
    const before = await admin(t, "GET", "/tenants/acme");
    expectError(await admin(t, "PUT", "/tenants/acme", { name: "Acme", agents: [{ slug: "x", model: "m", temperature: 5 }] }), 400, "invalid_value", "agents[0].temperature");
    expectError(await admin(t, "PUT", "/tenants/acme", { name: "Acme", agents: [{ slug: "x", model: "m", tools: ["no_such_tool"] }] }), 400, "invalid_value", "agents[0].tools[0]");
    expectError(await admin(t, "PUT", "/tenants/acme", { slug: "globex", name: "Acme" }), 400, "invalid_value", "slug");
    expectError(await admin(t, "PUT", "/tenants/Bad%20Slug", { name: "Acme" }), 400, "invalid_value", "slug");
    expectError(await admin(t, "PUT", "/tenants/acme", "{not json"), 400, "invalid_json");
    expectError(await admin(t, "PUT", "/tenants/acme", []), 400, "invalid_value");
    expect((await admin(t, "GET", "/tenants/acme")).json).toEqual(before.json);
  });
});

describe("seed", () => {
  test("PUT /seed applies a whole seed (the same mutation as npm start); a bad seed is 400 and changes nothing", async () => {
    const t = await startGateway();
    const seed = { tenants: [{ slug: "hooli", name: "Hooli", apiKeys: [{ name: "main", key: "sk-hooli-00000000000000000000" }], agents: [{ slug: "bot", model: "gpt-4o" }] }] };
    expect(await admin(t, "PUT", "/seed", seed)).toMatchObject({ status: 200, json: { tenants: [{ slug: "hooli" }] } });
    expect((await postChat(t, chat("hi", "bot"), { key: "sk-hooli-00000000000000000000" })).status).toBe(200);
    const bad = await admin(t, "PUT", "/seed", { tenants: [{ slug: "umbrella", name: "Umbrella", apiKeys: [{ name: "main", key: "short" }] }] });
    expectError(bad, 400, "invalid_value");
    expect(bad.json.error.message).toContain("tenants[0].apiKeys[0].key");
    expectError(await admin(t, "PUT", "/seed", "nope"), 400, "invalid_json");
    expect(await t.run((ctx) => ctx.db.query("tenants").withIndex("by_slug", (q) => q.eq("slug", "umbrella")).unique())).toBeNull();
  });
});

describe("keys", () => {
  test("create shows the value once; list never shows it; the key works; disable and rotate take effect", async () => {
    const t = await startGateway();
    const created = await admin(t, "POST", "/tenants/acme/keys", { name: "ci", agents: ["writer"], expiresAt: "2099-01-01T00:00:00Z" });
    expect(created.status).toBe(200);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const key: string = created.json.key;
    expect(created.json).toEqual({ name: "ci", key: expect.stringMatching(/^sk-gw-[0-9A-Za-z]{48}$/), prefix: expect.stringMatching(/^sk-gw-\w+\.\.\.$/) });
    expect(key.startsWith(created.json.prefix.replace("...", ""))).toBe(true);
    const stored = await t.run((ctx) => ctx.db.query("apiKeys").withIndex("by_tenantId_and_name").collect());
    expect(stored.find((row) => row.name === "ci")).toMatchObject({ agents: ["writer"], expiresAt: Date.parse("2099-01-01T00:00:00Z") });
    expect(JSON.stringify(stored)).not.toContain(key);

    const listed = await admin(t, "GET", "/tenants/acme/keys");
    expect(listed.json.data.map((row: { name: string }) => row.name)).toContain("ci");
    expect(listed.headers.get("x-request-id")).toMatch(/^req_/);
    expect((await postChat(t, chat("hi"), { key })).status).toBe(200);

    const rotated = await admin(t, "POST", "/tenants/acme/keys/ci/rotate", { graceSeconds: 0 });
    expect(rotated.status).toBe(200);
    expect(rotated.json.key).not.toBe(key);
    expect((await postChat(t, chat("hi"), { key: rotated.json.key })).status).toBe(200);
    expect((await postChat(t, chat("hi"), { key })).status).toBe(401);

    expect(await admin(t, "POST", "/tenants/acme/keys/ci/disable")).toMatchObject({ status: 200, json: { name: "ci", disabled: true } });
    expect((await postChat(t, chat("hi"), { key: rotated.json.key })).status).toBe(401);

    // Only the create and rotate responses held key values.
    const others = bodies.filter((body) => !body.includes('"key":"sk-gw-'));
    for (const body of others) for (const value of [key, rotated.json.key, ACME_KEY]) expect(body).not.toContain(value);
  });

  test("key names with spaces and slashes are percent-encoded in the path", async () => {
    const t = await startGateway();
    expect((await admin(t, "POST", "/tenants/acme/keys", { name: "team a/b" })).status).toBe(200);
    expect((await admin(t, "POST", `/tenants/acme/keys/${encodeURIComponent("team a/b")}/disable`)).status).toBe(200);
  });

  test("refusals: 400 for bad bodies and clashes, 404 for an unknown tenant or key; nothing is created", async () => {
    const t = await startGateway();
    expectError(await admin(t, "POST", "/tenants/acme/keys", {}), 400, "invalid_value", "name");
    expectError(await admin(t, "POST", "/tenants/acme/keys", { name: "" }), 400, "invalid_value", "name");
    expectError(await admin(t, "POST", "/tenants/acme/keys", { name: "x", agents: "writer" }), 400, "invalid_value", "agents");
    expectError(await admin(t, "POST", "/tenants/acme/keys", { name: "x", expiresAt: "tomorrow" }), 400, "invalid_value", "expiresAt");
    expectError(await admin(t, "POST", "/tenants/acme/keys", { name: "x", key: "sk-chosen-by-client-0000000000" }), 400, "invalid_value");
    expectError(await admin(t, "POST", "/tenants/acme/keys", { name: "main" }), 400, "invalid_value", "name");
    expectError(await admin(t, "POST", "/tenants/acme/keys", "{"), 400, "invalid_json");
    expectError(await admin(t, "POST", "/tenants/initech/keys", { name: "x" }), 404, null, "tenant");
    expectError(await admin(t, "POST", "/tenants/acme/keys/nope/disable"), 404, null, "name");
    expectError(await admin(t, "POST", "/tenants/acme/keys/main/rotate", { graceSeconds: -1 }), 400, "invalid_value", "graceSeconds");
    expectError(await admin(t, "POST", "/tenants/acme/keys/main/rotate", { graceSeconds: "soon" }), 400, "invalid_value", "graceSeconds");
    // Isolation: globex's key "main" cannot be reached through acme, and acme's refusals left globex alone.
    expect(await t.run((ctx) => ctx.db.query("apiKeys").collect())).toHaveLength(5);
    expect((await postChat(t, chat("hi", "sales"), { key: GLOBEX_KEY })).status).toBe(200);
  });
});

describe("reports", () => {
  test("usage: requests and tokens per day and model, from the ledger; ranges are checked", async () => {
    const t = await startGateway();
    const writer = await (await postChat(t, chat("[[words:5]]"))).json();
    await (await postChat(t, chat("[[words:3]]"))).json();
    const passthrough = await (await postChat(t, chat("[[words:2]]", "gpt-4.1-mini"))).json();
    await (await postChat(t, chat("hi", "sales"), { key: GLOBEX_KEY })).json();
    const today = new Date().toISOString().slice(0, 10);
    const usage = await admin(t, "GET", `/tenants/acme/usage?from=${today}&to=${today}`);
    expect(usage.status).toBe(200);
    expect(usage.json).toMatchObject({ from: today, to: today, truncated: false });
    expect(usage.json.data).toEqual([
      { day: today, model: "gpt-4.1-mini", requests: 1, promptTokens: passthrough.usage.prompt_tokens, completionTokens: passthrough.usage.completion_tokens },
      { day: today, model: "writer", requests: 2, promptTokens: expect.any(Number), completionTokens: writer.usage.completion_tokens + 3 },
    ]);
    // Without a range: the last 30 days.
    expect((await admin(t, "GET", "/tenants/acme/usage")).json.data).toHaveLength(2);
    expectError(await admin(t, "GET", "/tenants/acme/usage?from=2026-13-01&to=2026-12-01"), 400, "invalid_value", "from");
    expectError(await admin(t, "GET", "/tenants/acme/usage?from=2026-11-01&to=yesterday"), 400, "invalid_value", "to");
    expectError(await admin(t, "GET", "/tenants/acme/usage?from=2026-11-02&to=2026-11-01"), 400, "invalid_value", "to");
    expectError(await admin(t, "GET", "/tenants/acme/usage?from=2026-01-01&to=2026-12-31"), 400, "invalid_value", "to");
    expectError(await admin(t, "GET", "/tenants/initech/usage"), 404, null, "tenant");
  });

  test("requests: one row per chat request, newest first, denials and upstream failures included, paged by cursor; no message text", async () => {
    const t = await startGateway();
    const secret = marker();
    const ok = await postChat(t, chat(`tell me about ${secret}`));
    await ok.json();
    const denied = await postChat(t, chat(`hi ${secret}`, "support"), { key: "sk-acme-limited-0000000000000000" });
    expect(denied.status).toBe(403);
    const failed = await postChat(t, chat(`[[fault:401]] ${secret}`));
    expect(failed.status).toBe(502);
    const invalid = await postChat(t, { model: "writer", messages: [{ role: "user", content: secret }], temperature: 9 });
    expect(invalid.status).toBe(400);
    await (await postChat(t, chat("hi", "sales"), { key: GLOBEX_KEY })).json();

    const page = await admin(t, "GET", "/tenants/acme/requests");
    expect(page.status).toBe(200);
    expect(page.json.nextCursor).toBeNull();
    const rows = page.json.data;
    expect(rows.map((row: { requestId: string }) => row.requestId)).toEqual(
      [invalid, failed, denied, ok].map((response) => response.headers.get("x-request-id")),
    );
    expect(rows[0]).toMatchObject({ model: null, mode: null, status: 400, errorCode: "invalid_value", keyPrefix: expect.stringMatching(/^sk-acme/), promptTokens: 0 });
    expect(rows[1]).toMatchObject({ model: "writer", upstream: "openai/gpt-4o", mode: "agent", status: 502, errorCode: "upstream_error" });
    expect(rows[2]).toMatchObject({ model: "support", upstream: null, status: 403, errorCode: "model_not_allowed" });
    expect(rows[3]).toMatchObject({ model: "writer", upstream: "openai/gpt-4o", mode: "agent", status: 200, errorCode: null, promptTokens: expect.any(Number) });
    expect(rows[3].completionTokens).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(
        ["at", "completionTokens", "errorCode", "keyPrefix", "latencyMs", "mode", "model", "promptTokens", "requestId", "status", "upstream"].sort(),
      );
      expect(row.latencyMs).toBeGreaterThanOrEqual(0);
    }

    const first = await admin(t, "GET", "/tenants/acme/requests?limit=3");
    expect(first.json.data).toHaveLength(3);
    const rest = await admin(t, "GET", `/tenants/acme/requests?limit=3&cursor=${encodeURIComponent(first.json.nextCursor)}`);
    expect(rest.json).toMatchObject({ data: [expect.objectContaining({ requestId: rows[3].requestId })], nextCursor: null });
    // Isolation: globex's request is only in globex's log.
    expect((await admin(t, "GET", "/tenants/globex/requests")).json.data).toEqual([expect.objectContaining({ model: "sales", status: 200 })]);
    expectError(await admin(t, "GET", "/tenants/acme/requests?limit=500"), 400, "invalid_value", "limit");

    // Neither the stored rows nor any response holds message text or a key.
    const stored = JSON.stringify(await t.run((ctx) => ctx.db.query("requestLog").collect()));
    for (const text of [...bodies, stored]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(ACME_KEY);
      expect(text).not.toContain("sk-acme-limited-0000000000000000");
    }
  });

  test("audit: newest first, paged by cursor, only the tenant's events", async () => {
    const t = await startGateway();
    for (const name of ["a", "b", "c"]) expect((await admin(t, "POST", "/tenants/acme/keys", { name })).status).toBe(200);
    await admin(t, "POST", "/tenants/globex/keys", { name: "g" });
    const first = await admin(t, "GET", "/tenants/acme/audit?limit=2");
    expect(first.json.data.map((row: { detail: string }) => row.detail.split("'")[1])).toEqual(["c", "b"]);
    const second = await admin(t, "GET", `/tenants/acme/audit?limit=2&cursor=${encodeURIComponent(first.json.nextCursor)}`);
    expect(second.json.data.map((row: { detail: string }) => row.detail.split("'")[1])).toEqual(["a"]);
    expect(second.json.nextCursor).toBeNull();
    expect(first.json.data[0]).toMatchObject({ event: "key_created", at: expect.any(Number) });
    expectError(await admin(t, "GET", "/tenants/acme/audit?limit=0"), 400, "invalid_value", "limit");
  });
});

describe("the dashboard route", () => {
  test("GET /admin serves the page, which loads only same-origin files", async () => {
    const t = await startGateway();
    for (const path of ["/admin", "/admin/"]) {
      const response = await get(t, path, null);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      const html = await response.text();
      const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
      expect(sources).toEqual(["data:,", "/admin/dashboard.css", "/admin/chart.umd.min.js", "/admin/dashboard.js"]);
    }
    const script = await get(t, "/admin/dashboard.js", null);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const source = await script.text();
    expect(() => new Function(source)).not.toThrow();
    for (const path of ["/admin/index.html", "/admin/..%2Fpackage.json", "/admin/chart.js"]) expect((await get(t, path, null)).status, path).toBe(404);
  });
});

describe("the admin API in the OpenAPI document", () => {
  test("every admin route is an operation tagged Admin, on the admin server, behind the adminKey scheme", async () => {
    const { openApiDocument } = await import("../openai/openapi");
    const document = openApiDocument() as { tags: Array<{ name: string }>; paths: Record<string, Record<string, { tags?: string[]; security?: unknown }> & { servers?: Array<{ url: string }> }>; components: { securitySchemes: Record<string, unknown> } };
    expect(document.tags.map((tag) => tag.name)).toContain("Admin");
    expect(document.components.securitySchemes.adminKey).toMatchObject({ type: "http", scheme: "bearer" });
    const operations = Object.entries(document.paths)
      .filter(([, item]) => item.servers?.[0]?.url === BASE)
      .flatMap(([path, item]) => Object.entries(item).filter(([method]) => method !== "servers").map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation: operation as { tags: string[]; security: unknown } })));
    expect(operations.map((entry) => entry.route).sort()).toEqual(
      [
        "GET /tenants",
        "GET /tenants/{slug}",
        "PUT /tenants/{slug}",
        "PUT /seed",
        "GET /tenants/{slug}/keys",
        "POST /tenants/{slug}/keys",
        "POST /tenants/{slug}/keys/{name}/disable",
        "POST /tenants/{slug}/keys/{name}/rotate",
        "GET /tenants/{slug}/usage",
        "GET /tenants/{slug}/requests",
        "GET /tenants/{slug}/audit",
      ].sort(),
    );
    for (const { operation } of operations) {
      expect(operation.tags).toEqual(["Admin"]);
      expect(operation.security).toEqual([{ adminKey: [] }]);
    }
  });
});
