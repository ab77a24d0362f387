// OpenAI's error shape and the one table that maps each error code to its HTTP status and type.
// Code inside the gateway reports a code; only the edge turns it into a status and a body.
import type { OpenAIErrorBody } from "./responseSchemas";

export const ERROR_CODES = {
  /** A 400 that OpenAI reports with a null code: a missing or malformed required field. */
  invalid_request: { status: 400, type: "invalid_request_error" },
  invalid_json: { status: 400, type: "invalid_request_error" },
  invalid_value: { status: 400, type: "invalid_request_error" },
  unsupported_parameter: { status: 400, type: "invalid_request_error" },
  invalid_api_key: { status: 401, type: "invalid_request_error" },
  model_not_allowed: { status: 403, type: "permission_error" },
  pii_detected: { status: 403, type: "permission_error" },
  content_policy_violation: { status: 403, type: "permission_error" },
  model_not_found: { status: 404, type: "invalid_request_error" },
  conversation_not_found: { status: 404, type: "invalid_request_error" },
  not_found: { status: 404, type: "invalid_request_error" },
  method_not_allowed: { status: 405, type: "invalid_request_error" },
  conversation_busy: { status: 409, type: "invalid_request_error" },
  request_too_large: { status: 413, type: "invalid_request_error" },
  rate_limit_exceeded: { status: 429, type: "rate_limit_exceeded" },
  insufficient_quota: { status: 429, type: "insufficient_quota" },
  upstream_error: { status: 502, type: "server_error" },
  upstream_timeout: { status: 504, type: "server_error" },
  /** A bug in the gateway: never expected, but still reported in OpenAI's shape with the request id. */
  internal_error: { status: 500, type: "server_error" },
} as const satisfies Record<string, { status: number; type: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

const NULL_CODES = new Set<ErrorCode>(["invalid_request", "not_found", "method_not_allowed"]);

/** A client-visible failure, before it is put on the wire. */
export interface GatewayError {
  code: ErrorCode;
  message: string;
  param?: string | null;
  /** For 409 and 429: when the client may try again. */
  retryAfterMs?: number;
}

export function errorStatus(error: GatewayError): number {
  return ERROR_CODES[error.code].status;
}

export function errorBody(error: GatewayError): OpenAIErrorBody {
  return {
    error: {
      message: error.message,
      type: ERROR_CODES[error.code].type,
      param: error.param ?? null,
      // OpenAI leaves `code` null for generic invalid requests; every other code is named.
      code: NULL_CODES.has(error.code) ? null : error.code,
    },
  };
}

/** Thrown inside the edge layer (never across a Convex function boundary) to stop with a client error. */
export class GatewayFailure extends Error {
  constructor(readonly error: GatewayError) {
    super(error.message);
  }
}
