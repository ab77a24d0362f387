// The admin API's request bodies and query strings, parsed with zod: what a handler passes to the
// internal admin functions, which check everything else (a tenant's existence, name clashes, ranges).
import { z } from "zod";
import { GatewayFailure } from "../openai/errors";
import { joinPath } from "../openai/parseRequest";

/** `POST /tenants/{slug}/keys`: expiresAt as ISO 8601 or epoch milliseconds. */
export const createKeyBody = z.strictObject({
  name: z.string(),
  agents: z.array(z.string()).optional(),
  expiresAt: z.union([z.iso.datetime({ offset: true }).transform((value) => Date.parse(value)), z.number(), z.null()]).optional(),
  requestsPerMinute: z.number().optional(),
});

/** `POST /tenants/{slug}/keys/{id}/rotate`: how long the old key keeps working. */
export const rotateKeyBody = z.strictObject({ graceSeconds: z.number().optional() });

/** Parses JSON text against a schema; a bad body is a 400 naming the field. */
export function parseBody<Schema extends z.ZodType>(schema: Schema, text: string): z.output<Schema> {
  const json = parseJsonText(text === "" ? "{}" : text);
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const param = joinPath(issue.path) || null;
  throw new GatewayFailure({ code: "invalid_value", param, message: `Invalid value${param ? ` for '${param}'` : ""}: ${issue.message}` });
}

export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayFailure({ code: "invalid_json", message: "We could not parse the JSON body of your request. Send a valid JSON object." });
  }
}

/** `limit` and `cursor` of a list route; a limit that is not a whole number reaches the admin function as NaN and is refused there. */
export function pageQuery(url: URL): { limit?: number; cursor?: string } {
  const limit = url.searchParams.get("limit");
  const cursor = url.searchParams.get("cursor");
  return {
    ...(limit !== null ? { limit: /^\d{1,6}$/.test(limit) ? Number(limit) : Number.NaN } : {}),
    ...(cursor ? { cursor } : {}),
  };
}
