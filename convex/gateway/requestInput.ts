// Reading what a client sent: the bearer key (hashed at once), and the body, bounded in size before
// anything is parsed.
import { GatewayFailure } from "../openai/errors";
import { sha256Hex } from "../model/keys";

/** Bodies above this are refused with 413 unread; below it every stored message fits a Convex document. */
export const MAX_BODY_BYTES = 1_000_000;

export function bearerKeyHash(request: Request): string {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) {
    throw new GatewayFailure({
      code: "invalid_api_key",
      message:
        "You didn't provide an API key. Provide it in an Authorization header using Bearer auth (Authorization: Bearer YOUR_KEY).",
    });
  }
  return sha256Hex(match[1]!);
}

export async function readBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (request.body === null) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(body);
}

function tooLarge(): GatewayFailure {
  return new GatewayFailure({
    code: "request_too_large",
    message: `The request body is larger than the limit of ${MAX_BODY_BYTES} bytes.`,
  });
}
