// A client that writes its whole oversized body before reading, on a connection it asked to close,
// still gets the gateway's 413 instead of a broken pipe.
import { connect } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { LocalGateway } from "./gateway";
import { ACME_KEY, startTestGateway } from "../e2e/harness";

let gateway: LocalGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

/**
 * Writes the whole request, then reads the answer, as Python's http.client does; rejects on a broken
 * pipe. The body goes out in paced pieces, as over a real network, so the answer is ready long before
 * the upload ends.
 */
async function sendThenRead(url: URL, head: string, body: Buffer): Promise<string> {
  const socket = connect(Number(url.port), url.hostname);
  socket.pause();
  const failed = new Promise<never>((_, reject) => socket.on("error", reject));
  const send = async () => {
    socket.write(head);
    for (let offset = 0; offset < body.length; offset += 128 * 1024) {
      socket.write(body.subarray(offset, offset + 128 * 1024));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise<void>((resolve) => socket.end(resolve));
    let text = "";
    socket.on("data", (chunk) => (text += chunk));
    socket.resume();
    await new Promise((resolve) => socket.on("end", resolve));
    return text;
  };
  return Promise.race([send(), failed]);
}

test("a client that uploads its whole oversized body before reading gets the 413, not a broken pipe", async () => {
  const body = Buffer.from(JSON.stringify({ model: "writer", messages: [{ role: "user", content: "x".repeat(1_100_000) }] }));
  const url = new URL(gateway.baseUrl);
  const head =
    `POST ${url.pathname}/chat/completions HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${ACME_KEY}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    const answer = await sendThenRead(url, head, body);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('"code":"request_too_large"');
  }
});
