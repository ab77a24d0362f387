// Checks that a request carries a well-formed AWS Signature Version 4 `authorization` header, as Bedrock
// requires (docs.aws.amazon.com, "Signature Version 4 for API requests", "Elements of an AWS API request
// signature"): AWS4-HMAC-SHA256 Credential=<key id>/<yyyymmdd>/<region>/<service>/aws4_request,
// SignedHeaders=<lower-case names joined by ";", including host and x-amz-date>, Signature=<64 hex digits>,
// with an `x-amz-date` header (yyyymmddThhmmssZ) on the same day as the credential scope.
// It checks the form, the scope's region and service, and the date, not the signature's value.

export interface SigV4Expectation {
  region: string;
  /** The signing name: "bedrock" for the Bedrock runtime. */
  service: string;
}

export type SigV4Check = { ok: true } | { ok: false; message: string };

const headerPattern =
  /^AWS4-HMAC-SHA256 Credential=([A-Za-z0-9]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

export function checkSigV4(headers: Record<string, string>, expected: SigV4Expectation): SigV4Check {
  const authorization = headers.authorization;
  if (!authorization) return { ok: false, message: "Missing Authentication Token" };
  const match = headerPattern.exec(authorization);
  if (!match) return { ok: false, message: "Authorization header is not a well-formed AWS4-HMAC-SHA256 signature." };
  const [, , day = "", region, service, signed = ""] = match;
  const date = headers["x-amz-date"] ?? "";
  if (!/^\d{8}T\d{6}Z$/.test(date)) return { ok: false, message: "X-Amz-Date header is missing or not yyyyMMddTHHmmssZ." };
  if (!date.startsWith(day)) return { ok: false, message: `Credential should be scoped to a valid date: ${date.slice(0, 8)}, not ${day}.` };
  if (region !== expected.region) return { ok: false, message: `Credential should be scoped to a valid region: ${expected.region}, not ${region}.` };
  if (service !== expected.service) return { ok: false, message: `Credential should be scoped to correct service: '${expected.service}', not '${service}'.` };
  const signedHeaders = signed.split(";");
  for (const required of ["host", "x-amz-date"]) {
    if (!signedHeaders.includes(required)) return { ok: false, message: `SignedHeaders must include ${required}.` };
  }
  return { ok: true };
}
