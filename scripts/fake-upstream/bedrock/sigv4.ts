// Checks a request's AWS Signature Version 4 as Bedrock does (docs.aws.amazon.com, "Signature Version 4 for
// API requests", "Create a signed AWS API request", "Elements of an AWS API request signature"):
// - the form: `authorization: AWS4-HMAC-SHA256 Credential=<key id>/<yyyymmdd>/<region>/<service>/aws4_request,
//   SignedHeaders=<lower-case names joined by ";", including host and x-amz-date>, Signature=<64 hex digits>`,
//   an `x-amz-date` (yyyymmddThhmmssZ) on the credential's day, the scope's region and service;
// - when the fake knows the key id's secret, the signature itself: the canonical request (method, the path
//   with each segment URI-encoded twice as for every service but S3, the sorted query, the signed headers
//   as `name:trimmed value`, their names, the hex SHA-256 of the payload), the string to sign, and the
//   HMAC-SHA256 signing key derived from "AWS4" + secret, the date, the region, the service, "aws4_request".
import { createHash, createHmac } from "node:crypto";

export interface SigV4Expectation {
  region: string;
  /** The signing name: "bedrock" for the Bedrock runtime. */
  service: string;
  /** Secrets by access key id; when given, an unknown key id or a wrong signature is refused. */
  secrets?: Record<string, string>;
}

export interface SignedRequest {
  method: string;
  /** The path and query as received. */
  target: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
}

export type SigV4Check = { ok: true } | { ok: false; reason: "missing" | "malformed" | "unknown-key" | "mismatch"; message: string };

const headerPattern =
  /^AWS4-HMAC-SHA256 Credential=([A-Za-z0-9]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

export function checkSigV4(request: SignedRequest, expected: SigV4Expectation): SigV4Check {
  const authorization = request.headers.authorization;
  if (!authorization) return { ok: false, reason: "missing", message: "Missing Authentication Token" };
  const match = headerPattern.exec(authorization);
  const malformed = (message: string): SigV4Check => ({ ok: false, reason: "malformed", message });
  if (!match) return malformed("Authorization header is not a well-formed AWS4-HMAC-SHA256 signature.");
  const [, accessKeyId = "", day = "", region = "", service = "", signed = "", signature = ""] = match;
  const date = request.headers["x-amz-date"] ?? "";
  if (!/^\d{8}T\d{6}Z$/.test(date)) return malformed("X-Amz-Date header is missing or not yyyyMMddTHHmmssZ.");
  if (!date.startsWith(day)) return malformed(`Credential should be scoped to a valid date: ${date.slice(0, 8)}, not ${day}.`);
  if (region !== expected.region) return malformed(`Credential should be scoped to a valid region: ${expected.region}, not ${region}.`);
  if (service !== expected.service) return malformed(`Credential should be scoped to correct service: '${expected.service}', not '${service}'.`);
  const signedHeaders = signed.split(";");
  for (const required of ["host", "x-amz-date"]) {
    if (!signedHeaders.includes(required)) return malformed(`SignedHeaders must include ${required}.`);
  }
  if (!expected.secrets) return { ok: true };
  const secret = expected.secrets[accessKeyId];
  if (secret === undefined) return { ok: false, reason: "unknown-key", message: "The security token included in the request is invalid." };
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", date, scope, sha256(canonicalRequest(request, signedHeaders))].join("\n");
  const key = [day, region, service, "aws4_request"].reduce<Buffer | string>((previous, part) => hmac(previous, part), `AWS4${secret}`);
  if (hmac(key, stringToSign).toString("hex") !== signature) {
    return { ok: false, reason: "mismatch", message: "The request signature we calculated does not match the signature you provided." };
  }
  return { ok: true };
}

function canonicalRequest(request: SignedRequest, signedHeaders: string[]): string {
  const [path = "/", query = ""] = request.target.split("?");
  const uri = path
    .split("/")
    .map((segment) => rfc3986(encodeURIComponent(segment)))
    .join("/");
  const canonicalQuery = query
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => pair.split("=").map((part) => rfc3986(encodeURIComponent(decodeURIComponent(part)))).join("="))
    .sort()
    .join("&");
  const headers = signedHeaders.map((name) => `${name}:${(request.headers[name] ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
  return [request.method, uri, canonicalQuery, headers, signedHeaders.join(";"), sha256(request.body)].join("\n");
}

function rfc3986(text: string): string {
  return text.replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}
