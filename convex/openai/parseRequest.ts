// Turns a raw request body into a typed Chat Completions request, or into the 400 a client should
// see: OpenAI's wording, the offending field named in `param`.
import type { z } from "zod";
import { chatCompletionRequestSchema, UNSUPPORTED_PARAMETERS, type ChatCompletionRequest } from "./request";
import type { GatewayError } from "./errors";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "./jsonDepth";

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: GatewayError };

export function parseJsonBody(text: string): Parsed<unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {
      ok: false,
      error: {
        code: "invalid_json",
        message: "We could not parse the JSON body of your request. Send a valid JSON object.",
      },
    };
  }
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
    return { ok: false, error: { code: "invalid_value", message: `The JSON body nests more than ${MAX_JSON_DEPTH} levels of objects and arrays.` } };
  }
  return { ok: true, value };
}

export function parseChatCompletionRequest(body: unknown): Parsed<ChatCompletionRequest> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, error: { code: "invalid_json", message: "The request body must be a JSON object." } };
  }
  const result = chatCompletionRequestSchema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: describeIssue(result.error.issues[0]!) };
}

/** Parameters whose documented values the gateway accepts only in part (n = 1, logprobs = false). */
const PARTLY_SUPPORTED = new Set(["n", "logprobs"]);

function describeIssue(issue: z.core.$ZodIssue): GatewayError {
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    const path = joinPath([...issue.path, key]);
    const known = (UNSUPPORTED_PARAMETERS as readonly string[]).includes(key);
    return {
      code: "unsupported_parameter",
      param: path,
      message: known
        ? `'${path}' is not supported by this gateway.`
        : `Unrecognized request argument supplied: ${path}`,
    };
  }
  const param = joinPath(issue.path);
  if (issue.path.length === 1 && PARTLY_SUPPORTED.has(param)) {
    return {
      code: "unsupported_parameter",
      param,
      message:
        param === "n"
          ? "Only n = 1 is supported: this gateway returns one choice per request."
          : "logprobs are not supported by this gateway; omit 'logprobs' or set it to false.",
    };
  }
  if (issue.code === "invalid_type" && issue.message.endsWith("received undefined")) {
    return { code: "invalid_request", param, message: `Missing required parameter: '${param}'.` };
  }
  if (issue.code === "invalid_union" && "note" in issue && issue.note === "No matching discriminator") {
    return { code: "invalid_value", param, message: `Invalid value for '${param}': ${issue.message}.` };
  }
  return { code: "invalid_value", param, message: `Invalid value for '${param}': ${issue.message}` };
}

/** `["messages", 0, "content"]` -> `messages[0].content`, the way OpenAI names nested parameters. */
export function joinPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}
