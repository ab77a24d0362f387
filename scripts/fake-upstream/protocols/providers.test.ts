// Validates each provider-protocol fake with the real AI SDK provider that the gateway uses for that kind
// (@ai-sdk/anthropic, @ai-sdk/amazon-bedrock, @ai-sdk/google): text, streaming, tool calls with streamed
// arguments and schemas intact, tool results in history, finish reasons (length, content-filter), usage,
// and errors (429 with its retry hint, 500 mid-request). One table, one suite for every kind.
import { createAmazonBedrock } from "@ai-sdk/amazon-bedrock";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { APICallError, generateText, jsonSchema, streamText, tool, type LanguageModel, type ModelMessage } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAnthropicFake } from "../anthropic/fake";
import { startBedrockFake } from "../bedrock/fake";
import { recordedRequests, waitForRecorded } from "../client";
import { startGoogleFake } from "../google/fake";
import type { ProtocolFake } from "./server";

interface Kind {
  kind: string;
  start: () => Promise<ProtocolFake>;
  model: (url: string) => LanguageModel;
  /** Argument deltas a streamed tool call with 3-slice arguments arrives in. */
  toolInputDeltas: number;
  /** The tool's JSON schema as the provider sent it. */
  sentToolSchema: (body: never) => unknown;
  /** The credential header the provider sent, and what it must look like. */
  credential: { header: string; pattern: RegExp };
  /** What the provider's 429 tells a client about when to retry. */
  retryHint: (error: APICallError) => unknown;
  expectedRetryHint: unknown;
}

interface AnthropicBody { tools: { input_schema: unknown }[] }
interface BedrockBody { toolConfig: { tools: { toolSpec: { inputSchema: { json: unknown } } }[] } }
interface GoogleBody { tools: { functionDeclarations: { parameters?: unknown; parametersJsonSchema?: unknown }[] }[] }

const kinds: Kind[] = [
  {
    kind: "anthropic",
    start: () => startAnthropicFake(),
    model: (url) => createAnthropic({ baseURL: url, apiKey: "sk-ant-fake" })("claude-sonnet-4-5"),
    toolInputDeltas: 3,
    sentToolSchema: (body: AnthropicBody) => body.tools[0]?.input_schema,
    credential: { header: "x-api-key", pattern: /^sk-ant-fake$/ },
    retryHint: (error) => error.responseHeaders?.["retry-after"],
    expectedRetryHint: "2",
  },
  {
    kind: "bedrock",
    start: () => startBedrockFake({ region: "eu-west-1", secrets: { AKIDFAKE: "fake-secret" } }),
    model: (url) =>
      createAmazonBedrock({ region: "eu-west-1", baseURL: url, accessKeyId: "AKIDFAKE", secretAccessKey: "fake-secret" })("anthropic.claude-3-5-haiku-20241022-v1:0"),
    toolInputDeltas: 3,
    sentToolSchema: (body: BedrockBody) => body.toolConfig.tools[0]?.toolSpec.inputSchema.json,
    credential: { header: "authorization", pattern: /^AWS4-HMAC-SHA256 Credential=AKIDFAKE\/\d{8}\/eu-west-1\/bedrock\/aws4_request, ?SignedHeaders=[a-z0-9;-]+, ?Signature=[0-9a-f]{64}$/ },
    retryHint: (error) => error.responseHeaders?.["x-amzn-errortype"]?.split(":")[0],
    expectedRetryHint: "ThrottlingException",
  },
  {
    kind: "google",
    start: () => startGoogleFake(),
    model: (url) => createGoogleGenerativeAI({ baseURL: url, apiKey: "g-fake-key" })("gemini-2.5-flash"),
    // Gemini sends a function call whole, so its arguments arrive as one delta.
    toolInputDeltas: 1,
    sentToolSchema: (body: GoogleBody) => body.tools[0]?.functionDeclarations[0]?.parameters ?? body.tools[0]?.functionDeclarations[0]?.parametersJsonSchema,
    credential: { header: "x-goog-api-key", pattern: /^g-fake-key$/ },
    retryHint: (error) => (JSON.parse(error.responseBody ?? "{}") as { error: { details: { retryDelay?: string }[] } }).error.details[0]?.retryDelay,
    expectedRetryHint: "2s",
  },
];

const lookup = tool({
  description: "Looks up the weather",
  inputSchema: jsonSchema<{ city: string }>({ type: "object", properties: { city: { type: "string", description: "City name" } }, required: ["city"] }),
});

describe.each(kinds)("the $kind fake, through the real AI SDK provider", (kind) => {
  let fake: ProtocolFake;
  let model: LanguageModel;
  beforeAll(async () => {
    fake = await kind.start();
    model = kind.model(fake.url);
  });
  afterAll(() => fake.close());

  async function onlyRecorded(marker: string): Promise<{ path: string; headers: Record<string, string>; body: unknown }> {
    const recorded = await recordedRequests(fake.url, marker);
    expect(recorded).toHaveLength(1);
    return recorded[0] as { path: string; headers: Record<string, string>; body: unknown };
  }

  it("answers text with the system prompt sent, usage counted and the provider's credential checked", async () => {
    const result = await generateText({ model, system: "Be brief.", prompt: "hi text-marker", maxRetries: 0 });
    expect(result.text).toBe("Hello from the fake upstream. You said: hi text-marker");
    expect(result.finishReason).toBe("stop");
    // Tokens are words: 2 of system and 2 of prompt in, 9 out.
    expect(result.usage).toMatchObject({ inputTokens: 4, outputTokens: 9 });
    const recorded = await onlyRecorded("text-marker");
    expect(recorded.headers[kind.credential.header]).toMatch(kind.credential.pattern);
    expect(JSON.stringify(recorded.body)).toContain("Be brief.");
  });

  it("streams text incrementally, one delta per word, with usage and finish reason", async () => {
    const result = streamText({ model, prompt: "stream-marker [[words:5]]", maxRetries: 0 });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas).toEqual(["word1 ", "word2 ", "word3 ", "word4 ", "word5"]);
    expect(await result.finishReason).toBe("stop");
    // The fake counts the prompt's words as written, directive included.
    expect(await result.usage).toMatchObject({ inputTokens: 2, outputTokens: 5 });
  });

  it("streams a tool call with its arguments in deltas, the tool's schema sent intact", async () => {
    const result = streamText({ model, prompt: 'tool-marker [[call:lookup {"city":"Paris"}]]', tools: { lookup }, maxRetries: 0 });
    const parts: { type: string }[] = [];
    for await (const part of result.fullStream) parts.push(part);
    expect(parts.filter((part) => part.type === "tool-input-delta")).toHaveLength(kind.toolInputDeltas);
    const calls = await result.toolCalls;
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ toolName: "lookup", input: { city: "Paris" } });
    expect(calls[0]?.toolCallId).toEqual(expect.any(String));
    expect(await result.finishReason).toBe("tool-calls");
    const recorded = await onlyRecorded("tool-marker");
    expect(kind.sentToolSchema(recorded.body as never)).toMatchObject({
      type: "object",
      properties: { city: { type: "string", description: "City name" } },
      required: ["city"],
    });
  });

  it("answers a tool call with its result in history", async () => {
    const messages: ModelMessage[] = [
      { role: "user", content: "round-trip-marker [[call:lookup]]" },
      { role: "assistant", content: [{ type: "tool-call", toolCallId: "call_round_1", toolName: "lookup", input: { city: "Oslo" } }] },
      { role: "tool", content: [{ type: "tool-result", toolCallId: "call_round_1", toolName: "lookup", output: { type: "text", value: "sunny" } }] },
    ];
    const result = await generateText({ model, messages, tools: { lookup }, maxRetries: 0 });
    expect(result.text).toBe("Tool results: lookup=sunny");
    expect(result.finishReason).toBe("stop");
  });

  it("reports length when the token cap cuts the reply, streaming and not", async () => {
    const whole = await generateText({ model, prompt: "length-marker [[words:10]]", maxOutputTokens: 3, maxRetries: 0 });
    expect(whole.text).toBe("word1 word2 word3");
    expect(whole.finishReason).toBe("length");
    const streamed = streamText({ model, prompt: "length-marker-2 [[words:10]]", maxOutputTokens: 3, maxRetries: 0 });
    expect(await streamed.text).toBe("word1 word2 word3");
    expect(await streamed.finishReason).toBe("length");
  });

  it("reports content-filter where the provider blocks a reply", async () => {
    const result = await generateText({ model, prompt: "filter-marker [[words:4]] [[finish:content_filter]]", maxRetries: 0 });
    expect(result.finishReason).toBe("content-filter");
    expect(result.text).toBe("word1 word2");
  });

  it("fails a 429 with the provider's retry hint, and a 500 as a retryable API error", async () => {
    const limited = await generateText({ model, prompt: "limit-marker [[fault:429]]", maxRetries: 0 }).catch((error: unknown) => error);
    expect(APICallError.isInstance(limited)).toBe(true);
    const error = limited as APICallError;
    expect(error.statusCode).toBe(429);
    expect(error.isRetryable).toBe(true);
    expect(kind.retryHint(error)).toBe(kind.expectedRetryHint);
    const failed = await generateText({ model, prompt: "fail-marker [[fault:500]]", maxRetries: 0 }).catch((caught: unknown) => caught);
    expect(APICallError.isInstance(failed) && failed.statusCode).toBe(500);
  });

  it("fails a stream whose connection drops after content, after the content already delivered", async () => {
    const result = streamText({ model, prompt: "reset-marker [[words:8]] [[fault:reset]]", maxRetries: 0, onError: () => undefined });
    const deltas: string[] = [];
    const consumed = (async () => {
      for await (const delta of result.textStream) deltas.push(delta);
    })();
    await expect(consumed).rejects.toThrow();
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.join("")).toMatch(/^word1 /);
  });

  it("goes silent after N content events for [[fault:hang-after:N]], and records the client's abort", async () => {
    const abort = new AbortController();
    const result = streamText({ model, prompt: "hang-marker [[words:6]] [[fault:hang-after:2]]", maxRetries: 0, abortSignal: abort.signal, onError: () => undefined });
    const deltas: string[] = [];
    const consumed = (async () => {
      for await (const delta of result.textStream) {
        deltas.push(delta);
        if (deltas.length === 2) setTimeout(() => abort.abort(), 200);
      }
    })();
    await consumed.catch(() => undefined);
    expect(deltas).toEqual(["word1 ", "word2 "]);
    const recorded = await waitForRecorded(fake.url, "hang-marker", (request) => request.closedEarly);
    expect(recorded.finishedAt).not.toBeNull();
  });
});

describe("the bedrock fake's SigV4 check, with the real provider's signatures", () => {
  it("refuses a request signed with the wrong secret (InvalidSignatureException) or an unknown key id (UnrecognizedClientException)", async () => {
    const fake = await startBedrockFake({ region: "eu-west-1", secrets: { AKIDFAKE: "fake-secret" } });
    try {
      const attempts = [
        { accessKeyId: "AKIDFAKE", secretAccessKey: "wrong-secret", type: "InvalidSignatureException" },
        { accessKeyId: "AKIDOTHER", secretAccessKey: "fake-secret", type: "UnrecognizedClientException" },
      ];
      for (const { accessKeyId, secretAccessKey, type } of attempts) {
        const model = createAmazonBedrock({ region: "eu-west-1", baseURL: fake.url, accessKeyId, secretAccessKey })("amazon.nova-lite-v1:0");
        const error = await generateText({ model, prompt: "sigv4-marker", maxRetries: 0 }).catch((caught: unknown) => caught);
        expect(APICallError.isInstance(error) && error.statusCode).toBe(403);
        expect((error as APICallError).responseHeaders?.["x-amzn-errortype"]).toMatch(new RegExp(`^${type}:`));
      }
      const signedRight = createAmazonBedrock({ region: "eu-west-1", baseURL: fake.url, accessKeyId: "AKIDFAKE", secretAccessKey: "fake-secret", sessionToken: "fake-session" });
      expect((await generateText({ model: signedRight("amazon.nova-lite-v1:0"), prompt: "sigv4-marker", maxRetries: 0 })).finishReason).toBe("stop");
    } finally {
      await fake.close();
    }
  });
});
