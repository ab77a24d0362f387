// Signing webhook tool calls: HMAC-SHA256 over "<timestamp>.<body>" with the tool's secret, sent as
// `X-Gateway-Signature: t=<unix seconds>,v1=<hex>`. The receiver recomputes it and rejects stale
// timestamps, so a captured call cannot be replayed later.

export const SIGNATURE_HEADER = "x-gateway-signature";

export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const signature = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message));
  return Array.from(new Uint8Array(signature), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export async function signatureHeader(secret: string, body: string, timestampSeconds: number): Promise<string> {
  return `t=${timestampSeconds},v1=${await hmacSha256Hex(secret, `${timestampSeconds}.${body}`)}`;
}

/** What a webhook receiver does; used by the tests and shown in docs/agents.md. */
export async function verifySignature(
  secret: string,
  body: string,
  header: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): Promise<boolean> {
  const parts = Object.fromEntries(header.split(",").map((part) => part.split("=", 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!Number.isFinite(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds || !parts.v1) return false;
  const expected = await hmacSha256Hex(secret, `${timestamp}.${body}`);
  // Constant-time comparison: no early exit that would leak how much of the signature matched.
  if (expected.length !== parts.v1.length) return false;
  let difference = 0;
  for (let index = 0; index < expected.length; index++) difference |= expected.charCodeAt(index) ^ parts.v1.charCodeAt(index);
  return difference === 0;
}
