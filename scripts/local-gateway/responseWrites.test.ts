// How the local gateway writes responses to the socket: a whole reply in one write with its length
// (as a deployment sends it), an SSE reply chunked and flushed as it goes.
import { connect } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { LocalGateway } from "./gateway";
import { ACME_KEY, startTestGateway } from "../e2e/harness";

let gateway: LocalGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

/** Sends one HTTP/1.1 request on a fresh connection and returns the raw bytes of the answer. */
async function raw(method: string, path: string, body?: object): Promise<string> {
  const url = new URL(gateway.origin);
  const socket = connect(Number(url.port), url.hostname);
  const payload = body ? JSON.stringify(body) : "";
  const head = [
    `${method} ${path} HTTP/1.1`,
    `host: ${url.host}`,
    `authorization: Bearer ${ACME_KEY}`,
    "connection: close",
    ...(body ? ["content-type: application/json", `content-length: ${Buffer.byteLength(payload)}`] : []),
  ];
  socket.write(`${head.join("\r\n")}\r\n\r\n${payload}`);
  let text = "";
  socket.on("data", (chunk) => (text += chunk));
  await new Promise((resolve, reject) => {
    socket.on("end", resolve);
    socket.on("error", reject);
  });
  return text;
}

function split(answer: string): { head: string; body: string } {
  const end = answer.indexOf("\r\n\r\n");
  return { head: answer.slice(0, end).toLowerCase(), body: answer.slice(end + 4) };
}

test("a JSON reply carries its content-length and is not chunked", async () => {
  const { head, body } = split(await raw("GET", "/api/v1/models"));
  expect(head).toMatch(/^http\/1\.1 200/);
  expect(head).not.toContain("transfer-encoding");
  expect(head).toContain(`content-length: ${Buffer.byteLength(body)}`);
  expect(JSON.parse(body)).toMatchObject({ object: "list" });
});

test("an error reply is whole too", async () => {
  const { head, body } = split(await raw("POST", "/api/v1/chat/completions", { model: "no-such-model", messages: [{ role: "user", content: "hi" }] }));
  expect(head).toMatch(/^http\/1\.1 404/);
  expect(head).toContain(`content-length: ${Buffer.byteLength(body)}`);
  expect(JSON.parse(body)).toMatchObject({ error: { code: "model_not_found" } });
});

test("an SSE reply is chunked, without a length, and ends with [DONE]", async () => {
  const { head, body } = split(
    await raw("POST", "/api/v1/chat/completions", { model: "writer", stream: true, messages: [{ role: "user", content: "[[words:3]] hi" }] }),
  );
  expect(head).toMatch(/^http\/1\.1 200/);
  expect(head).toContain("content-type: text/event-stream");
  expect(head).toContain("transfer-encoding: chunked");
  expect(head).not.toContain("content-length");
  expect(body).toContain("data: [DONE]");
});
