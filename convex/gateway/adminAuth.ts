// The admin API's gate: enabled only when GATEWAY_ADMIN_KEY is set (else 404, as if the routes did not
// exist), and then only for a bearer token equal to it (else 401; a tenant key is just a wrong key).
// Both sides are hashed and the digests compared in constant time, so the comparison's time says
// nothing about how much of the key a guess got right.
import type { GatewayError } from "../openai/errors";
import { sha256Hex } from "../model/keys";
import { adminKey } from "../upstream/config";

/** Compares two strings by their SHA-256 digests (64 hex digits each), touching every digit whatever they hold. */
export function sameSecret(given: string, expected: string): boolean {
  const [a, b] = [sha256Hex(given), sha256Hex(expected)];
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= a.charCodeAt(index) ^ b.charCodeAt(index);
  return difference === 0;
}

/** Null when the request may use the admin API; else the error to answer with. */
export function adminDenial(request: Request): GatewayError | null {
  const expected = adminKey();
  const pathname = new URL(request.url).pathname;
  if (expected === null) return { code: "not_found", message: `Unknown request URL: ${request.method} ${pathname}.` };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  if (match && sameSecret(match[1]!, expected)) return null;
  return {
    code: "invalid_api_key",
    message: match
      ? "Incorrect admin key provided. The admin API takes the deployment's GATEWAY_ADMIN_KEY, never a tenant key."
      : "You didn't provide the admin key. Send it in an Authorization header using Bearer auth (Authorization: Bearer GATEWAY_ADMIN_KEY).",
  };
}
