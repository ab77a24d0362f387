// Wire-level checks of the provider-protocol fakes the vitest globalSetup starts (their URLs come through
// inject): each refuses a request without the provider's credential in the provider's error shape, frames
// its stream as the provider documents, and records what it received. Plain fetch, no provider SDK.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { recordedRequests } from "../client";
import { decodeFrame } from "../bedrock/event-stream";
import { startBedrockFake } from "../bedrock/fake";
import type { ProtocolFake } from "./server";

const anthropicUrl = inject("anthropicUrl");
const bedrockUrl = inject("bedrockUrl");
const googleUrl = inject("googleUrl");

function post(url: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

/** Splits an event-stream body into its frames by the total length at the start of each prelude. */
function frames(bytes: Uint8Array): Uint8Array[] {
  const found: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0, false);
    found.push(bytes.subarray(offset, offset + length));
    offset += length;
  }
  return found;
}

describe("the Anthropic fake", () => {
  const messages = (text: string, extra: object = {}) => ({ model: "claude-sonnet-4-5", max_tokens: 100, messages: [{ role: "user", content: text }], ...extra });
  const headers = { "x-api-key": "sk-ant-fake", "anthropic-version": "2023-06-01" };

  it("refuses a request without x-api-key (401) or anthropic-version (400) in Anthropic's error shape", async () => {
    const noKey = await post(`${anthropicUrl}/messages`, messages("wire-anthropic-auth"), { "anthropic-version": "2023-06-01" });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toEqual({ type: "error", error: { type: "authentication_error", message: expect.any(String) } });
    const noVersion = await post(`${anthropicUrl}/messages`, messages("wire-anthropic-auth"), { "x-api-key": "k" });
    expect(noVersion.status).toBe(400);
    expect((await noVersion.json()).error.type).toBe("invalid_request_error");
    expect(await recordedRequests(anthropicUrl, "wire-anthropic-auth")).toHaveLength(2);
  });

  it("streams named SSE events in the documented order, tool input as input_json_delta", async () => {
    const body = messages('wire-anthropic-sse [[call:lookup {"city":"Rome"}]]', {
      stream: true,
      tools: [{ name: "lookup", input_schema: { type: "object", properties: { city: { type: "string" } } } }],
    });
    const response = await post(`${anthropicUrl}/messages`, body, headers);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = (await response.text()).trim().split("\n\n").map((event) => {
      const [name, data] = event.split("\n");
      return { name: name?.replace("event: ", ""), data: JSON.parse(data?.replace("data: ", "") ?? "{}") as { type: string; delta?: { partial_json?: string; stop_reason?: string } } };
    });
    expect(events.every((event) => event.name === event.data.type)).toBe(true);
    expect(events.map((event) => event.name)).toEqual([
      "message_start", "ping", "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta",
      "content_block_stop", "message_delta", "message_stop",
    ]);
    expect(events.flatMap((event) => event.data.delta?.partial_json ?? []).join("")).toBe('{"city":"Rome"}');
    expect(events[7]?.data.delta?.stop_reason).toBe("tool_use");
  });
});

describe("the Bedrock fake", () => {
  const converse = (text: string) => ({ messages: [{ role: "user", content: [{ text }] }] });
  const signedHeaders = (region: string) => ({
    "x-amz-date": "20261130T110000Z",
    authorization: `AWS4-HMAC-SHA256 Credential=AKIDFAKE/20261130/${region}/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${"a".repeat(64)}`,
  });
  const modelPath = `/model/${encodeURIComponent("anthropic.claude-3-5-haiku-20241022-v1:0")}`;
  const url = `${bedrockUrl}${modelPath}`;
  // The run's fake verifies signatures; the framing tests sign only in form, so they use a fake that checks the form.
  let formOnly: ProtocolFake;
  beforeAll(async () => {
    formOnly = await startBedrockFake();
  });
  afterAll(() => formOnly.close());

  it("refuses a request without a SigV4 authorization, a malformed one, one scoped to another region, or a wrong signature, with 403 and x-amzn-errortype", async () => {
    const unsigned = await post(`${url}/converse`, converse("wire-bedrock-auth"), {});
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get("x-amzn-errortype")).toMatch(/^MissingAuthenticationTokenException:/);
    const malformed = await post(`${url}/converse`, converse("wire-bedrock-auth"), { authorization: "Bearer nope", "x-amz-date": "20261130T110000Z" });
    expect(malformed.status).toBe(403);
    expect(malformed.headers.get("x-amzn-errortype")).toMatch(/^InvalidSignatureException:/);
    const otherRegion = await post(`${url}/converse`, converse("wire-bedrock-auth"), signedHeaders("eu-west-1"));
    expect(otherRegion.status).toBe(403);
    expect((await otherRegion.json()).message).toContain("us-east-1");
    const { accessKeyId } = inject("bedrockCredentials");
    const forged = signedHeaders("us-east-1").authorization.replace("AKIDFAKE", accessKeyId);
    const wrongSignature = await post(`${url}/converse`, converse("wire-bedrock-auth"), { ...signedHeaders("us-east-1"), authorization: forged });
    expect(wrongSignature.status).toBe(403);
    expect(wrongSignature.headers.get("x-amzn-errortype")).toMatch(/^InvalidSignatureException:/);
    expect(await recordedRequests(bedrockUrl, "wire-bedrock-auth")).toHaveLength(4);
  });

  it("streams binary event-stream frames whose CRCs check, with the padding field and event types in order", async () => {
    const response = await post(`${formOnly.url}${modelPath}/converse-stream`, converse("wire-bedrock-stream [[words:2]]"), signedHeaders("us-east-1"));
    expect(response.headers.get("content-type")).toBe("application/vnd.amazon.eventstream");
    const decoded = frames(new Uint8Array(await response.arrayBuffer())).map(decodeFrame);
    expect(decoded.map((frame) => frame.headers[":event-type"])).toEqual([
      "messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata",
    ]);
    expect(decoded.every((frame) => frame.headers[":message-type"] === "event" && typeof (frame.payload as { p?: string }).p === "string")).toBe(true);
    expect(decoded[4]?.payload).toMatchObject({ stopReason: "end_turn" });
    expect(decoded[5]?.payload).toMatchObject({ usage: { outputTokens: 2 } });
  });

  it("breaks the message CRC of a frame for [[fault:malformed]]", async () => {
    const response = await post(`${formOnly.url}${modelPath}/converse-stream`, converse("wire-bedrock-malformed [[words:4]] [[fault:malformed]]"), signedHeaders("us-east-1"));
    const all = frames(new Uint8Array(await response.arrayBuffer()));
    expect(() => all.slice(0, -1).map(decodeFrame)).not.toThrow();
    expect(() => decodeFrame(all.at(-1) ?? new Uint8Array())).toThrow(/checksum/i);
  });
});

describe("the Google fake", () => {
  const generate = (text: string) => ({ contents: [{ role: "user", parts: [{ text }] }] });

  it("refuses a request without an API key with 403 PERMISSION_DENIED in Google's error shape", async () => {
    const response = await post(`${googleUrl}/models/gemini-2.5-flash:generateContent`, generate("wire-google-auth"), {});
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatchObject({ code: 403, status: "PERMISSION_DENIED" });
  });

  it("accepts the key as a query parameter and streams data-only SSE chunks, the last with finishReason", async () => {
    const response = await post(`${googleUrl}/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=g-fake`, generate("wire-google-sse [[words:3]]"), {});
    const chunks = (await response.text()).split("\r\n\r\n").filter((chunk) => chunk !== "").map((chunk) => JSON.parse(chunk.replace(/^data: /, "")));
    expect(chunks.map((chunk) => chunk.candidates[0].content.parts[0].text)).toEqual(["word1 ", "word2 ", "word3"]);
    expect(chunks.map((chunk) => chunk.candidates[0].finishReason)).toEqual([undefined, undefined, "STOP"]);
    expect(chunks.at(-1).usageMetadata).toEqual({ promptTokenCount: 2, candidatesTokenCount: 3, totalTokenCount: 5 });
    const [recorded] = await recordedRequests(googleUrl, "wire-google-sse");
    expect(recorded?.path).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=g-fake");
  });
});
