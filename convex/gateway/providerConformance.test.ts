// One conformance table for every provider kind: the same core Chat Completions cases (text, streaming,
// a tool call round trip, max_tokens -> length, usage) run through the gateway against the default OpenAI
// upstream, a second OpenAI-compatible server, and the Anthropic, Bedrock and Google fakes that speak
// each provider's own wire protocol (scripts/fake-upstream/, started by the vitest globalSetup), plus a
// provider's 429 and values only some kinds take (seed, an empty stop string). Each case checks what the
// client got, the x-gateway-upstream header, and what that kind's fake received.
import { afterEach, beforeEach, describe, expect, inject, test } from "vitest";
import { recordedRequests } from "../../scripts/fake-upstream/client";
import { restoreEnvironment, setEnvironment } from "../testing/environment.testing";
import { marker, postChat, readSse, startGateway, upstreamUrl } from "../testing/harness.testing";
import { CLIENT_TOOL_MODE } from "../testing/modes.testing";
import { chunksBeforeDone } from "../testing/stream.testing";
import { ACME_KEY } from "../testing/seed.testing";

const INSTRUCTIONS = "You answer conformance checks.";

/** A provider kind under test: the seed's provider entry (none for the default), the agent's model, its fake. */
interface Kind {
  kind: string;
  provider: Record<string, unknown> | null;
  model: string;
  upstream: () => string;
  /** The retry-after a provider's 429 carries ([[fault:429]] asks for 2 s), in a header or Google's body; null: none. */
  retryAfter: string | null;
  /** Whether the provider honours `seed` (docs/providers.md): forwarded, or refused with 400 before anything is sent. */
  seed: "forwarded" | "refused";
  /** An empty `stop` string: forwarded, or refused with 400 invalid_value (the kind's API requires at least 1 character). */
  emptyStop: "forwarded" | "refused";
}

const KINDS: Kind[] = [
  { kind: "openai (default)", provider: null, model: "gpt-4o-mini", upstream: upstreamUrl, retryAfter: "2", seed: "forwarded", emptyStop: "forwarded" },
  {
    kind: "openai-compatible",
    provider: { name: "backup", kind: "openai-compatible", baseURL: inject("backupUpstreamUrl"), apiKeyEnv: "CONFORMANCE_BACKUP_KEY" },
    model: "backup/gpt-4o",
    upstream: () => inject("backupUpstreamUrl"),
    retryAfter: "2",
    seed: "forwarded",
    emptyStop: "forwarded",
  },
  {
    kind: "anthropic",
    provider: { name: "claude", kind: "anthropic", baseURL: inject("anthropicUrl"), apiKeyEnv: "CONFORMANCE_ANTHROPIC_KEY" },
    model: "claude/claude-sonnet-4-5",
    upstream: () => inject("anthropicUrl"),
    retryAfter: "2",
    seed: "refused",
    emptyStop: "refused",
  },
  {
    kind: "bedrock",
    provider: {
      name: "aws",
      kind: "bedrock",
      region: "us-east-1",
      baseURL: inject("bedrockUrl"),
      accessKeyIdEnv: "CONFORMANCE_AWS_ACCESS_KEY_ID",
      secretAccessKeyEnv: "CONFORMANCE_AWS_SECRET_ACCESS_KEY",
    },
    model: "aws/anthropic.claude-3-5-haiku-20241022-v1:0",
    upstream: () => inject("bedrockUrl"),
    // ThrottlingException carries no retry hint.
    retryAfter: null,
    seed: "refused",
    emptyStop: "refused",
  },
  {
    kind: "google",
    provider: { name: "gemini", kind: "google", baseURL: inject("googleUrl"), apiKeyEnv: "CONFORMANCE_GOOGLE_KEY" },
    model: "gemini/gemini-2.5-flash",
    upstream: () => inject("googleUrl"),
    // Gemini puts its hint in the body (google.rpc.RetryInfo retryDelay "2s"), not in a header.
    retryAfter: "2",
    seed: "forwarded",
    emptyStop: "forwarded",
  },
];

const SECRETS = {
  CONFORMANCE_BACKUP_KEY: "sk-backup-conformance",
  CONFORMANCE_ANTHROPIC_KEY: "sk-ant-conformance",
  // The Bedrock fake verifies each signature, so this proves the secret named in the seed signed the request.
  CONFORMANCE_AWS_ACCESS_KEY_ID: inject("bedrockCredentials").accessKeyId,
  CONFORMANCE_AWS_SECRET_ACCESS_KEY: inject("bedrockCredentials").secretAccessKey,
  CONFORMANCE_GOOGLE_KEY: "g-conformance",
};

function seedFor(kind: Kind) {
  return {
    providers: kind.provider ? [kind.provider] : [],
    tenants: [
      {
        slug: "acme",
        name: "Acme Inc",
        apiKeys: [{ name: "main", key: ACME_KEY }],
        agents: [{ slug: "bot", model: kind.model, instructions: INSTRUCTIONS, tools: [] }],
      },
    ],
  };
}

const LOOKUP = { type: "function", function: { name: "lookup_order", description: "Look up an order", parameters: { type: "object", properties: { id: { type: "string" } }, required: ["id"] } } };

interface Chunk {
  choices: { index: number; delta: { content?: string | null; tool_calls?: { index: number; id?: string; function?: { name?: string; arguments?: string } }[] }; finish_reason: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

beforeEach(() => {
  for (const [name, value] of Object.entries(SECRETS)) setEnvironment(name, value);
});
afterEach(restoreEnvironment);

describe.each(KINDS)("Chat Completions through the $kind provider", (kind) => {
  const label = kind.model.includes("/") ? kind.model : `openai/${kind.model}`;

  async function onlyReceived(tag: string): Promise<unknown> {
    const received = await recordedRequests(kind.upstream(), tag);
    expect(received, `requests at the ${kind.kind} fake containing ${tag}`).toHaveLength(1);
    return received[0]!.body;
  }

  test("text (agent mode): the reply, the finish reason, usage, the agent's instructions as the system prompt", async () => {
    const t = await startGateway(seedFor(kind));
    const tag = marker();
    const response = await postChat(t, { model: "bot", messages: [{ role: "user", content: `hello ${tag}` }] });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-gateway-upstream")).toBe(label);
    const body = await response.json();
    expect(body.choices[0]).toMatchObject({ finish_reason: "stop", message: { role: "assistant", content: `Hello from the fake upstream. You said: hello ${tag}` } });
    // The fakes count words: the instructions (4) and the prompt (2) in, the 9-word echo out.
    expect(body.usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 9, total_tokens: 15 });
    expect(JSON.stringify(await onlyReceived(tag))).toContain(INSTRUCTIONS);
    // The stored reply names the target that produced it.
    const conversationId = response.headers.get("x-conversation-id")!;
    const stored = await t.run((ctx) =>
      ctx.db
        .query("messages")
        .withIndex("by_conversationId_and_position", (q) => q.eq("conversationId", conversationId as never))
        .collect(),
    );
    expect(stored.at(-1)).toMatchObject({ upstream: label, finishReason: "stop", message: { role: "assistant", content: `Hello from the fake upstream. You said: hello ${tag}` } });
  });

  test("streaming (client-tool mode): text relayed delta by delta, then the finish reason and the usage chunk", async () => {
    const t = await startGateway(seedFor(kind));
    const tag = marker();
    const response = await postChat(t, { model: "bot", ...CLIENT_TOOL_MODE, stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: `[[words:5]] ${tag}` }] });
    expect(response.headers.get("x-gateway-upstream")).toBe(label);
    const chunks = chunksBeforeDone((await readSse(response)).events) as Chunk[];
    const pieces = chunks.flatMap((chunk) => chunk.choices[0]?.delta.content || []);
    expect(pieces).toEqual(["word1 ", "word2 ", "word3 ", "word4 ", "word5"]);
    expect(chunks.flatMap((chunk) => chunk.choices[0]?.finish_reason ?? [])).toEqual(["stop"]);
    expect(chunks.at(-1)?.usage).toMatchObject({ completion_tokens: 5 });
    await onlyReceived(tag);
  });

  test("max_tokens: the reply cut at the cap with finish_reason length", async () => {
    const t = await startGateway(seedFor(kind));
    const tag = marker();
    const response = await postChat(t, { model: "bot", max_tokens: 3, messages: [{ role: "user", content: `[[words:10]] ${tag}` }] });
    const choice = (await response.json()).choices[0];
    expect(choice).toMatchObject({ finish_reason: "length", message: { content: "word1 word2 word3" } });
    expect(JSON.stringify(await onlyReceived(tag))).toMatch(/"(max_tokens|maxTokens|maxOutputTokens)":3/);
  });

  test("tool call round trip: streamed tool-call deltas with index and id, then the result in history", async () => {
    const t = await startGateway(seedFor(kind));
    const tag = marker();
    const ask = { role: "user", content: `[[call:lookup_order {"id":"42"}]] ${tag}` };
    const first = await postChat(t, { model: "bot", ...CLIENT_TOOL_MODE, tools: [LOOKUP], stream: true, messages: [ask] });
    expect(first.headers.get("x-gateway-upstream")).toBe(label);
    const chunks = chunksBeforeDone((await readSse(first)).events) as Chunk[];
    const deltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]).toMatchObject({ index: 0, id: expect.any(String), function: { name: "lookup_order" } });
    expect(deltas.every((delta) => delta.index === 0)).toBe(true);
    expect(JSON.parse(deltas.map((delta) => delta.function?.arguments ?? "").join(""))).toEqual({ id: "42" });
    expect(chunks.flatMap((chunk) => chunk.choices[0]?.finish_reason ?? [])).toEqual(["tool_calls"]);
    const callId = deltas[0]!.id!;

    const second = await postChat(t, {
      model: "bot",
      tools: [LOOKUP],
      messages: [
        ask,
        { role: "assistant", content: null, tool_calls: [{ id: callId, type: "function", function: { name: "lookup_order", arguments: '{"id":"42"}' } }] },
        { role: "tool", tool_call_id: callId, content: "shipped" },
      ],
    });
    expect(second.status).toBe(200);
    expect((await second.json()).choices[0]).toMatchObject({ finish_reason: "stop", message: { content: "Tool results: lookup_order=shipped" } });
    const received = await recordedRequests(kind.upstream(), tag);
    expect(received).toHaveLength(2);
    expect(JSON.stringify(received[1]!.body)).toContain("shipped");
  });

  test("429: rate_limit_exceeded with a retry-after, the provider's own where it sends one, streaming and not", async () => {
    const t = await startGateway(seedFor(kind));
    for (const stream of [false, true]) {
      const tag = marker();
      const response = await postChat(t, { model: "bot", stream, messages: [{ role: "user", content: `[[fault:429]] ${tag}` }] });
      expect(response.status).toBe(429);
      expect((await response.json()).error).toMatchObject({ code: "rate_limit_exceeded", type: "rate_limit_exceeded" });
      const retryAfter = response.headers.get("retry-after");
      if (kind.retryAfter === null) expect(retryAfter).toMatch(/^[1-9]\d*$/);
      else {
        expect(retryAfter).toBe(kind.retryAfter);
        expect(response.headers.get("retry-after-ms")).toBe(String(Number(kind.retryAfter) * 1000));
      }
      expect((await recordedRequests(kind.upstream(), tag)).length).toBeGreaterThanOrEqual(1);
    }
  });

  test("a setting the provider cannot honour (seed): 400 unsupported_parameter naming it and nothing sent, else forwarded", async () => {
    const t = await startGateway(seedFor(kind));
    const tag = marker();
    const response = await postChat(t, { model: "bot", seed: 7, messages: [{ role: "user", content: `seeded ${tag}` }] });
    const received = await recordedRequests(kind.upstream(), tag);
    if (kind.seed === "refused") {
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatchObject({ code: "unsupported_parameter", param: "seed", message: expect.stringContaining(kind.kind) });
      expect(received).toHaveLength(0);
    } else {
      expect(response.status).toBe(200);
      expect(JSON.stringify(received[0]?.body)).toContain('"seed":7');
    }
  });

  test("an empty stop string: 400 invalid_value on a kind that rejects it, nothing stored or sent; else forwarded", async () => {
    const t = await startGateway(seedFor(kind));
    const tag = marker();
    const response = await postChat(t, { model: "bot", stop: ["END", ""], messages: [{ role: "user", content: `stopping ${tag}` }] });
    const received = await recordedRequests(kind.upstream(), tag);
    if (kind.emptyStop === "refused") {
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatchObject({ code: "invalid_value", type: "invalid_request_error", param: "stop", message: expect.stringContaining(kind.kind) });
      expect(received).toHaveLength(0);
      const stored = await t.run(async (ctx) => ({ conversations: await ctx.db.query("conversations").collect(), messages: await ctx.db.query("messages").collect() }));
      expect(stored).toEqual({ conversations: [], messages: [] });
    } else {
      expect(response.status).toBe(200);
      expect(JSON.stringify(received[0]?.body)).toContain('["END",""]');
    }
  });
});
