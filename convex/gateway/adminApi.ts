// The admin API under /api/admin/v1 (CONTRACT.md, "Admin API and dashboard"): a routing table of thin
// handlers, each parsing its input and making one call into the internal function that
// `npx convex run admin/...` also runs, so every operation has one code path. Admin functions refuse
// with ConvexError({ code, param, message }), mapped here by code; a seed the schema refuses is a
// ConvexError with its readable text, answered as 400 invalid_value.
import { ConvexError } from "convex/values";
import { internal } from "../_generated/api";
import type { ActionCtx } from "../_generated/server";
import { ERROR_CODES, GatewayFailure, type ErrorCode, type GatewayError } from "../openai/errors";
import { gatewayAction } from "./gatewayAction";
import { adminDenial } from "./adminAuth";
import { readBody } from "./requestInput";
import { createKeyBody, pageQuery, parseBody, parseJsonText, rotateKeyBody } from "./adminRequests";

export const ADMIN_API_PATH = "/api/admin/v1";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

interface Call {
  ctx: ActionCtx;
  /** The path's parameters, decoded: the tenant slug, then the key's name. */
  params: string[];
  url: URL;
  body: () => Promise<string>;
}

interface Route {
  method: Method;
  /** The path under ADMIN_API_PATH; each group is a parameter. */
  path: RegExp;
  handle: (call: Call) => Promise<unknown>;
}

const DAY_MS = 24 * 3600 * 1000;
const utcDay = (time: number) => new Date(time).toISOString().slice(0, 10);

const ROUTES: Route[] = [
  { method: "GET", path: /^\/tenants$/, handle: ({ ctx, url }) => ctx.runQuery(internal.admin.tenants.list, pageQuery(url)) },
  { method: "GET", path: /^\/tenants\/([^/]+)$/, handle: ({ ctx, params }) => ctx.runQuery(internal.admin.tenants.read, { tenant: params[0]! }) },
  {
    method: "PUT",
    path: /^\/tenants\/([^/]+)$/,
    handle: async ({ ctx, params, body }) => {
      const text = await body();
      parseJsonText(text);
      return ctx.runMutation(internal.admin.tenants.put, { slug: params[0]!, tenant: text });
    },
  },
  {
    method: "PUT",
    path: /^\/seed$/,
    handle: async ({ ctx, body }) => {
      const text = await body();
      parseJsonText(text);
      const applied = await ctx.runMutation(internal.admin.seed.apply, { seed: text });
      return { tenants: applied.tenants.map(({ slug }) => ({ slug })) };
    },
  },
  { method: "GET", path: /^\/tenants\/([^/]+)\/keys$/, handle: async ({ ctx, params }) => ({ data: await ctx.runQuery(internal.admin.keys.list, { tenant: params[0]! }) }) },
  {
    method: "POST",
    path: /^\/tenants\/([^/]+)\/keys$/,
    handle: async ({ ctx, params, body }) => ctx.runAction(internal.admin.keys.create, { tenant: params[0]!, ...parseBody(createKeyBody, await body()) }),
  },
  {
    method: "POST",
    path: /^\/tenants\/([^/]+)\/keys\/([^/]+)\/disable$/,
    handle: async ({ ctx, params }) => {
      await ctx.runMutation(internal.admin.keys.disable, { tenant: params[0]!, name: params[1]! });
      return { name: params[1]!, disabled: true };
    },
  },
  {
    method: "POST",
    path: /^\/tenants\/([^/]+)\/keys\/([^/]+)\/rotate$/,
    handle: async ({ ctx, params, body }) => ctx.runAction(internal.admin.keys.rotate, { tenant: params[0]!, name: params[1]!, ...parseBody(rotateKeyBody, await body()) }),
  },
  {
    method: "GET",
    path: /^\/tenants\/([^/]+)\/usage$/,
    handle: ({ ctx, params, url }) => {
      // Without a range: the last 30 UTC days, today included.
      const to = url.searchParams.get("to") ?? utcDay(Date.now());
      const end = Date.parse(`${to}T00:00:00Z`);
      const from = url.searchParams.get("from") ?? utcDay((Number.isNaN(end) ? Date.now() : end) - 29 * DAY_MS);
      return ctx.runQuery(internal.admin.reports.usage, { tenant: params[0]!, from, to });
    },
  },
  { method: "GET", path: /^\/tenants\/([^/]+)\/requests$/, handle: ({ ctx, params, url }) => ctx.runQuery(internal.admin.reports.requests, { tenant: params[0]!, ...pageQuery(url) }) },
  { method: "GET", path: /^\/tenants\/([^/]+)\/audit$/, handle: ({ ctx, params, url }) => ctx.runQuery(internal.admin.reports.audit, { tenant: params[0]!, ...pageQuery(url) }) },
];

/** Every admin route of one method: authorise, find the route, call it, answer JSON. */
export function adminApi(method: Method) {
  return gatewayAction(async (ctx, request, responder) => {
    const denial = adminDenial(request);
    if (denial) return responder.error(denial);
    const url = new URL(request.url);
    const path = url.pathname.slice(ADMIN_API_PATH.length).replace(/\/$/, "");
    const matching = ROUTES.filter((route) => route.path.test(path));
    const route = matching.find((candidate) => candidate.method === method);
    if (route === undefined) {
      return responder.error(
        matching.length > 0
          ? { code: "method_not_allowed", message: `${method} is not allowed on ${url.pathname}; use ${matching.map((candidate) => candidate.method).join(" or ")}.` }
          : { code: "not_found", message: `Unknown request URL: ${method} ${url.pathname}.` },
      );
    }
    const params = route.path.exec(path)!.slice(1).map(decodeParam);
    try {
      // Answers may hold a new key's value: never stored by a browser or a proxy.
      return responder.json(200, await route.handle({ ctx, params, url, body: () => readBody(request) }), { "cache-control": "no-store" });
    } catch (failure) {
      const refusal = adminRefusal(failure);
      if (refusal === null) throw failure;
      return responder.error(refusal);
    }
  });
}

function decodeParam(param: string): string {
  try {
    return decodeURIComponent(param);
  } catch {
    throw new GatewayFailure({ code: "invalid_value", message: `'${param}' is not a valid percent-encoded path segment.` });
  }
}

const ADMIN_CODES = new Set<ErrorCode>(["invalid_value", "not_found"]);

/** An admin function's refusal as the API's error; null for anything else (a bug: 500). */
function adminRefusal(failure: unknown): GatewayError | null {
  if (!(failure instanceof ConvexError)) return null;
  const data: unknown = failure.data;
  // The seed schema's refusals carry their readable text (one line per problem, naming the field).
  if (typeof data === "string") return { code: "invalid_value", param: null, message: data };
  if (typeof data !== "object" || data === null) return null;
  const { code, param, message } = data as { code?: unknown; param?: unknown; message?: unknown };
  if (typeof code !== "string" || !(code in ERROR_CODES) || !ADMIN_CODES.has(code as ErrorCode)) return null;
  return { code: code as ErrorCode, param: typeof param === "string" ? param : null, message: String(message) };
}
