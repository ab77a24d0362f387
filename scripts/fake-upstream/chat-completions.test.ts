// Drives the fake upstream's text and JSON replies over real HTTP with the official openai SDK.
import OpenAI from "openai";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startFakeUpstream, type FakeUpstream } from "./server";

let upstream: FakeUpstream;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  client = new OpenAI({ baseURL: upstream.url, apiKey: "x", maxRetries: 0 });
});
afterAll(() => upstream.close());

async function streamChunks(content: string, fields: Partial<OpenAI.ChatCompletionCreateParamsStreaming> = {}): Promise<ChatCompletionChunk[]> {
  const stream = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content }], stream: true, ...fields });
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const contentOf = (chunks: ChatCompletionChunk[]) => chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");

describe("text replies", () => {
  it("answers a non-streaming request with the deterministic echo and word-count usage", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "What is up?" },
      ],
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.id).toMatch(/^chatcmpl-fake-\d+$/);
    expect(completion.model).toBe("gpt-4o");
    expect(completion.choices[0]?.message).toEqual({ role: "assistant", content: "Hello from the fake upstream. You said: What is up?", refusal: null });
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage).toEqual({ prompt_tokens: 5, completion_tokens: 10, total_tokens: 15 });
  });

  it("streams one word per chunk that reassembles into exactly the reply", async () => {
    const reply = "  Spaced\tout,  over\nlines ";
    const chunks = await streamChunks(`[[reply:${reply}]]`);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "" });
    expect(contentOf(chunks)).toBe(reply);
    const words = chunks.slice(1, -1).map((chunk) => chunk.choices[0]?.delta.content);
    expect(words).toEqual(["  Spaced\t", "out,  ", "over\n", "lines "]);
    expect(chunks.at(-1)?.choices[0]).toEqual({ index: 0, delta: {}, finish_reason: "stop", logprobs: null });
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks.every((chunk) => chunk.object === "chat.completion.chunk" && chunk.model === "gpt-4o-mini")).toBe(true);
  });

  it("sends usage: null on every chunk and a final usage chunk when include_usage is set", async () => {
    const chunks = await streamChunks("[[words:4]]", { stream_options: { include_usage: true } });
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({ prompt_tokens: 1, completion_tokens: 4, total_tokens: 5 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(contentOf(chunks)).toBe("word1 word2 word3 word4");
  });

  it("ends the reply at max_tokens with finish_reason length, streaming or not", async () => {
    const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "[[words:20]]" }], max_tokens: 3 });
    expect(completion.choices[0]?.message.content).toBe("word1 word2 word3");
    expect(completion.choices[0]?.finish_reason).toBe("length");
    expect(completion.usage?.completion_tokens).toBe(3);
    const chunks = await streamChunks("[[words:20]]", { max_completion_tokens: 2 });
    expect(contentOf(chunks)).toBe("word1 word2");
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("length");
  });

  it("cuts the reply before a stop sequence", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "[[reply:First sentence. Second sentence.]]" }],
      stop: ".",
    });
    expect(completion.choices[0]?.message.content).toBe("First sentence");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
  });

  it("ends with content_filter after a partial reply", async () => {
    const chunks = await streamChunks("[[words:4]] [[finish:content_filter]]");
    expect(contentOf(chunks)).toBe("word1 word2");
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("content_filter");
  });

  it("waits the first-token delay and trickles the rest, as total time when not streaming", async () => {
    const streamStart = Date.now();
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "[[words:3]] [[delay:80]] [[trickle:40]]" }],
      stream: true,
    });
    const arrivals: number[] = [];
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) arrivals.push(Date.now() - streamStart);
    expect(arrivals[0]).toBeGreaterThanOrEqual(75);
    expect((arrivals[2] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(70);

    const wholeStart = Date.now();
    await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "[[words:3]] [[delay:80]] [[trickle:40]]" }] });
    expect(Date.now() - wholeStart).toBeGreaterThanOrEqual(150);
  });
});

describe("JSON replies", () => {
  it("answers json_object with a JSON object holding the reply text", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Reply in JSON" }],
      response_format: { type: "json_object" },
    });
    expect(JSON.parse(completion.choices[0]?.message.content ?? "")).toEqual({ answer: "Hello from the fake upstream. You said: Reply in JSON" });
  });

  it("streams JSON matching a json_schema with $defs references", async () => {
    const address = z.object({ city: z.string(), zip: z.string().nullable() }).strict();
    const person = z
      .object({
        name: z.string(),
        age: z.number().int().min(18),
        role: z.enum(["admin", "member"]),
        kind: z.literal("person"),
        home: address,
        previous: z.array(address),
        nickname: z.string().nullable(),
        active: z.boolean(),
      })
      .strict();
    const schema = {
      type: "object",
      properties: {
        name: { type: "string" },
        age: { type: "integer", minimum: 18 },
        role: { type: "string", enum: ["admin", "member"] },
        kind: { const: "person" },
        home: { $ref: "#/$defs/Address" },
        previous: { type: "array", items: { $ref: "#/$defs/Address" } },
        nickname: { anyOf: [{ type: "null" }, { type: "string" }] },
        active: { type: "boolean" },
      },
      required: ["name", "age", "role", "kind", "home", "previous", "nickname", "active"],
      additionalProperties: false,
      $defs: {
        Address: {
          type: "object",
          properties: { city: { type: "string" }, zip: { type: ["string", "null"] } },
          required: ["city", "zip"],
          additionalProperties: false,
        },
      },
    };
    const chunks = await streamChunks("Describe a person", {
      response_format: { type: "json_schema", json_schema: { name: "person", schema, strict: true } },
    });
    const parsed = person.parse(JSON.parse(contentOf(chunks)));
    expect(parsed.home).toEqual({ city: "example", zip: "example" });
    expect(parsed.age).toBe(18);
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta.content).length).toBe(3);
  });
});

describe("models", () => {
  it("lists models in OpenAI's list shape", async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(["gpt-4o-mini", "gpt-4o"]);
  });
});
