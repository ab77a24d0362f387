// The admin API's part of the OpenAPI document (CONTRACT.md, "Admin API and dashboard"): its paths,
// each with the admin API's own server (/api/admin/v1), the "Admin" tag and the `adminKey` security
// scheme, and the shapes the admin functions return. openapi.ts merges it into the one document.
import { ERROR_CODES, errorBody, type ErrorCode } from "./errors";

type Json = { [key: string]: unknown };

export const ADMIN_API_BASE_PATH = "/api/admin/v1";
export const ADMIN_TAG = { name: "Admin", description: "Operators: tenants, keys, usage, the request log and the audit log. Enabled by `GATEWAY_ADMIN_KEY`; without it every admin route answers 404." };
export const ADMIN_SECURITY_SCHEME = {
  type: "http",
  scheme: "bearer",
  description: "The deployment's admin key (`GATEWAY_ADMIN_KEY`): `Authorization: Bearer <admin key>`. A missing or wrong key, or a tenant key, gets 401 `invalid_api_key`.",
};

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const nullable = (schema: Json) => ({ anyOf: [schema, { type: "null" }] });
const integer = { type: "integer" };
const string = { type: "string" };
const strings = { type: "array", items: string };
const object = (properties: Record<string, Json>, optional: string[] = []): Json => ({
  type: "object",
  properties,
  required: Object.keys(properties).filter((name) => !optional.includes(name)),
  additionalProperties: false,
});
const page = (item: string) => object({ data: { type: "array", items: ref(item) }, nextCursor: { ...nullable(string), description: "Pass as `cursor` for the next page; null on the last." } });

/** The admin API's component schemas, named Admin*. */
export function adminSchemas(): Record<string, Json> {
  const policy = {
    type: "object",
    description: "The tenant's governance policy (docs/configuration.md).",
    properties: {
      pii: { enum: ["off", "redact", "block"] },
      requestsPerMinute: integer,
      tokensPerMinute: integer,
      monthlyTokenBudget: nullable(integer),
      blockedTerms: strings,
      maxOutputTokens: nullable(integer),
      allowedModels: strings,
      systemPrompt: nullable(string),
      scanOutput: { type: "boolean" },
      retentionDays: { type: "number" },
    },
  };
  return {
    AdminPolicy: policy,
    AdminTenantSummary: object({ slug: string, name: string, policy: ref("AdminPolicy") }),
    AdminTenantList: page("AdminTenantSummary"),
    AdminTenant: object({
      slug: string,
      name: string,
      policy: ref("AdminPolicy"),
      agents: {
        type: "array",
        items: object({ slug: string, model: string, fallbacks: strings, instructions: string, tools: strings, temperature: nullable({ type: "number" }), maxOutputTokens: nullable(integer) }),
      },
      documents: { type: "array", description: "Titles and sizes; the text stays in the store.", items: object({ title: string, characters: integer }) },
      webhookTools: {
        type: "array",
        description: "Never the signing secret. `parameters` is the JSON Schema as text.",
        items: object({ name: string, description: string, url: string, parameters: string }),
      },
      truncated: { type: "boolean", description: "A list stopped at 200 rows (documents also at 4 MiB read)." },
    }),
    AdminTenantInput: {
      type: "object",
      description:
        "The seed's tenant object (docs/configuration.md): `name`, `policy`, `agents`, `documents`, `webhookTools`; `slug` if given must be the path's; `apiKeys` is ignored. Validated by the same schema as a seed; rows the object does not name are deleted.",
      properties: { slug: string, name: string, policy: { type: "object" }, agents: { type: "array", items: { type: "object" } }, documents: { type: "array", items: { type: "object" } }, webhookTools: { type: "array", items: { type: "object" } } },
      required: ["name"],
    },
    AdminSeed: { type: "object", description: "A whole seed, as in local.seed.json (docs/configuration.md).", properties: { tenants: { type: "array", items: { type: "object" } } }, required: ["tenants"] },
    AdminKey: object({
      name: string,
      prefix: { ...string, description: "The key's first characters, to tell keys apart; never the key." },
      agents: strings,
      expiresAt: nullable(integer),
      disabled: { type: "boolean" },
      requestsPerMinute: nullable(integer),
      createdAt: integer,
      lastUsedAt: nullable(integer),
    }),
    AdminKeyList: object({ data: { type: "array", items: ref("AdminKey") } }),
    AdminKeyInput: {
      type: "object",
      properties: {
        name: { ...string, description: "1 to 100 characters, unique within the tenant." },
        agents: { ...strings, description: "Agent slugs and passthrough model ids the key may call; `[\"*\"]` (the default) for all." },
        expiresAt: { ...nullable({ anyOf: [{ type: "string", format: "date-time" }, integer] }), description: "ISO 8601 or epoch milliseconds; null or absent: never." },
        requestsPerMinute: { ...integer, description: "Overrides the tenant policy's requestsPerMinute for this key." },
      },
      required: ["name"],
      additionalProperties: false,
    },
    AdminCreatedKey: object({ name: string, key: { ...string, description: "The key value, shown only in this response." }, prefix: string }),
    AdminRotatedKey: object({ name: string, key: { ...string, description: "The new key value, shown only in this response." }, prefix: string, previousExpiresAt: { ...integer, description: "When the old key stops working." } }),
    AdminUsage: object({
      from: string,
      to: string,
      data: { type: "array", items: object({ day: string, model: { ...nullable(string), description: "The model id asked for; null on ledger rows written before it was kept." }, requests: integer, promptTokens: integer, completionTokens: integer }) },
      truncated: { type: "boolean", description: "The range held more than 8,000 ledger rows: narrow it." },
    }),
    AdminRequest: object({
      requestId: string,
      at: { ...integer, description: "When the gateway received the request (epoch ms)." },
      keyPrefix: string,
      model: { ...nullable(string), description: "Null when the body was invalid." },
      upstream: { ...nullable(string), description: "The upstream model called; null for a denial." },
      mode: { ...nullable({ enum: ["agent", "client_tools"] }), description: "Null when the body was invalid." },
      status: { ...integer, description: "200, a denial's status, or a failed upstream call's 502/504 (also when the failure came mid-stream)." },
      errorCode: { ...nullable({ enum: Object.keys(ERROR_CODES) }) },
      latencyMs: integer,
      promptTokens: integer,
      completionTokens: integer,
    }),
    AdminRequestList: page("AdminRequest"),
    AdminAuditEvent: object(
      {
        at: integer,
        event: { enum: ["request_denied", "pii_redacted", "key_created", "key_disabled", "key_expired", "key_rotated"] },
        code: string,
        requestId: string,
        apiKeyId: string,
        piiCounts: { type: "object", additionalProperties: integer },
        detail: string,
      },
      ["code", "requestId", "apiKeyId", "piiCounts", "detail"],
    ),
    AdminAuditList: page("AdminAuditEvent"),
  };
}

type AdminCode = Extract<ErrorCode, "invalid_json" | "invalid_value" | "invalid_api_key" | "not_found" | "method_not_allowed">;

const ADMIN_ERRORS: Record<AdminCode, { summary: string; param: string | null; message: string }> = {
  invalid_json: { summary: "The body is not JSON", param: null, message: "We could not parse the JSON body of your request. Send a valid JSON object." },
  invalid_value: { summary: "A field, limit, cursor or date is refused", param: "limit", message: "limit must be a whole number from 1 to 100; got 500." },
  invalid_api_key: { summary: "A missing or wrong admin key (a tenant key is a wrong key)", param: null, message: "Incorrect admin key provided." },
  not_found: { summary: "No such tenant or key; or GATEWAY_ADMIN_KEY is unset (every admin route)", param: "tenant", message: "No tenant 'initech'." },
  method_not_allowed: { summary: "The path exists with another method", param: null, message: "GET is not allowed on /api/admin/v1/tenants/acme/keys/main/disable; use POST." },
};

function errors(codes: AdminCode[]): Record<string, Json> {
  const responses: Record<string, Json> = {};
  for (const code of codes) {
    const status = String(ERROR_CODES[code].status);
    const { summary, ...example } = ADMIN_ERRORS[code];
    const existing = responses[status] as { description: string; content: { "application/json": { examples: Json } } } | undefined;
    const entry = { summary, value: errorBody({ code, ...example }) };
    if (existing) {
      existing.description += `; ${summary}`;
      existing.content["application/json"].examples[code] = entry;
    } else {
      responses[status] = { description: summary, content: { "application/json": { schema: ref("Error"), examples: { [code]: entry } } } };
    }
  }
  return responses;
}

const slugParameter = { name: "slug", in: "path", required: true, description: "The tenant's slug.", schema: string, example: "acme" };
const keyParameter = { name: "name", in: "path", required: true, description: "The key's name, percent-encoded.", schema: string, example: "billing-service" };
const pageParameters = [
  { name: "limit", in: "query", required: false, description: "Rows per page, 1 to 100 (default 50).", schema: { ...integer, minimum: 1, maximum: 100 } },
  { name: "cursor", in: "query", required: false, description: "The previous page's `nextCursor`.", schema: string },
];

function operation(operationId: string, summary: string, description: string, response: string, codes: AdminCode[], extra: Json = {}): Json {
  return {
    operationId,
    tags: ["Admin"],
    summary,
    description,
    security: [{ adminKey: [] }],
    ...extra,
    responses: {
      "200": { description: "OK.", content: { "application/json": { schema: ref(response) } } },
      ...errors(["invalid_api_key", ...codes]),
    },
  };
}

const body = (schema: string) => ({ requestBody: { required: true, content: { "application/json": { schema: ref(schema) } } } });

/** Path parameters go on each operation (a path item holds only `servers` and its methods). */
function withParameters(parameters: Json[], item: { servers: Json[] } & Record<string, Json | Json[]>): Json {
  return Object.fromEntries(
    Object.entries(item).map(([method, value]) => {
      if (Array.isArray(value)) return [method, value];
      return [method, { ...value, parameters: [...parameters, ...((value.parameters as Json[] | undefined) ?? [])] }];
    }),
  );
}

/** The admin API's paths, relative to its own server. */
export function adminPaths(): Record<string, Json> {
  const servers = [{ url: ADMIN_API_BASE_PATH, description: "The admin API" }];
  const KEY_OK = "Same as `npx convex run admin/keys:...`.";
  return {
    "/tenants": { servers, get: operation("adminListTenants", "List tenants", "In slug order.", "AdminTenantList", ["invalid_value"], { parameters: pageParameters }) },
    "/tenants/{slug}": withParameters([slugParameter], {
      servers,
      get: operation("adminReadTenant", "Read a tenant", "Policy, agents, documents (titles and sizes) and webhook tools; never key values or webhook secrets.", "AdminTenant", ["not_found"]),
      put: operation("adminPutTenant", "Create or replace a tenant", "From the seed's tenant object, with the seed's validation; its keys are kept (`apiKeys` is ignored).", "AdminPutTenantResult", ["invalid_json", "invalid_value"], body("AdminTenantInput")),
    }),
    "/seed": { servers, put: operation("adminApplySeed", "Apply a seed", "The same mutation as `npm start` and `npx convex run admin/seed:apply`: idempotent; rows absent from the seed are kept.", "AdminSeedResult", ["invalid_json", "invalid_value"], body("AdminSeed")) },
    "/tenants/{slug}/keys": withParameters([slugParameter], {
      servers,
      get: operation("adminListKeys", "List a tenant's keys", `Names, prefixes and settings; never a key value. ${KEY_OK}`, "AdminKeyList", ["not_found"]),
      post: operation("adminCreateKey", "Create a key", `The value is in this response only; the gateway keeps its SHA-256. ${KEY_OK}`, "AdminCreatedKey", ["invalid_json", "invalid_value", "not_found"], body("AdminKeyInput")),
    }),
    "/tenants/{slug}/keys/{name}/disable": withParameters([slugParameter, keyParameter], {
      servers,
      post: operation("adminDisableKey", "Disable a key", "Requests with it are refused at once (401).", "AdminDisabledKey", ["not_found", "method_not_allowed"]),
    }),
    "/tenants/{slug}/keys/{name}/rotate": withParameters([slugParameter, keyParameter], {
      servers,
      post: operation(
        "adminRotateKey",
        "Rotate a key",
        "A new key takes the name and settings (its value in this response only); the old one is renamed and works for `graceSeconds` (0 to 2,592,000; default 0).",
        "AdminRotatedKey",
        ["invalid_json", "invalid_value", "not_found", "method_not_allowed"],
        { requestBody: { required: false, content: { "application/json": { schema: { type: "object", properties: { graceSeconds: { type: "number" } }, additionalProperties: false } } } } },
      ),
    }),
    "/tenants/{slug}/usage": withParameters([slugParameter], {
      servers,
      get: operation("adminUsage", "Usage by day and model", "Requests and prompt and completion tokens per UTC day and model asked for, from the usage ledger; at most 92 days; without a range, the last 30 days.", "AdminUsage", ["invalid_value", "not_found"], {
        parameters: [
          { name: "from", in: "query", required: false, schema: { ...string, format: "date" }, example: "2026-11-01" },
          { name: "to", in: "query", required: false, schema: { ...string, format: "date" }, example: "2026-11-30" },
        ],
      }),
    }),
    "/tenants/{slug}/requests": withParameters([slugParameter], {
      servers,
      get: operation("adminRequests", "The request log", "One row per chat request, newest first: settled, failed upstream (with the mapped code) or denied. Never message text.", "AdminRequestList", ["invalid_value", "not_found"], { parameters: pageParameters }),
    }),
    "/tenants/{slug}/audit": withParameters([slugParameter], {
      servers,
      get: operation("adminAudit", "The audit log", "Denials, PII redactions and key events, newest first.", "AdminAuditList", ["invalid_value", "not_found"], { parameters: pageParameters }),
    }),
  };
}

/** Result shapes of the mutations, named for the operations that return them. */
export function adminResultSchemas(): Record<string, Json> {
  return {
    AdminPutTenantResult: object({ slug: string, created: { type: "boolean", description: "False when the tenant existed and was replaced." } }),
    AdminSeedResult: object({ tenants: { type: "array", items: object({ slug: string }) } }),
    AdminDisabledKey: object({ name: string, disabled: { const: true } }),
  };
}

/** The dashboard page and its files, at the site's root. */
export function dashboardPaths(): Record<string, Json> {
  const servers = [{ url: "/", description: "The site root" }];
  return {
    "/admin": {
      servers,
      get: {
        operationId: "adminDashboard",
        tags: ["Admin"],
        summary: "The operators' dashboard",
        description: "Signs in with the admin key in the page. 404 when `GATEWAY_ADMIN_KEY` is unset.",
        security: [],
        responses: { "200": { description: "The page.", content: { "text/html": { schema: string } } }, ...errors(["not_found"]) },
      },
    },
    "/admin/{file}": {
      servers,
      get: {
        operationId: "adminDashboardAsset",
        tags: ["Admin"],
        summary: "A file the dashboard loads",
        description: "`dashboard.js`, `dashboard.css`, and `chart.umd.min.js` from the installed chart.js package.",
        security: [],
        parameters: [{ name: "file", in: "path", required: true, schema: string, example: "dashboard.js" }],
        responses: {
          "200": { description: "The file.", content: { "text/css": { schema: string }, "text/javascript": { schema: string } } },
          ...errors(["not_found"]),
        },
      },
    },
  };
}
