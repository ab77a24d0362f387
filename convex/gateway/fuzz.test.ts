// Fuzzing the chat endpoint with fast-check: generated bodies (wrong types, awkward keys such as
// __proto__ and $ref, unicode, deep nesting, huge strings, missing fields, arrays for objects) and
// headers (Authorization variants, X-Conversation-Id garbage, content-length lies). Whatever arrives:
// never a 5xx, every error in OpenAI's shape, and a refused request leaves no conversation or message.
// And stored conversations in any state (failed replies, orphan results, abandoned calls, unparsable
// parts and arguments): the next turn is served and the upstream gets a transcript a provider accepts.
import { beforeAll, describe, expect, test } from "vitest";
import fc from "fast-check";
import { marker, postChat, startGateway, type Gateway } from "../testing/harness.testing";
import { upstreamBodies } from "../testing/upstream.testing";
import { appendMessages, appendReply, createConversation } from "../model/conversations";
import type { TranscriptMessage } from "../openai/transcript";
import { MAX_BODY_BYTES } from "./requestInput";
import { MAX_JSON_DEPTH } from "../openai/jsonDepth";

const KEY = "sk-fuzz-test-0000000000000000000";
const OTHER_KEY = "sk-fuzz-other-000000000000000000";
const HIGH_LIMITS = { requestsPerMinute: 1_000_000, tokensPerMinute: 1_000_000_000 };
const FUZZ_SEED = {
  tenants: [
    { slug: "fuzz", name: "Fuzz", apiKeys: [{ name: "main", key: KEY }], agents: [{ slug: "bot", model: "gpt-4o-mini" }], policy: HIGH_LIMITS },
    { slug: "other", name: "Other", apiKeys: [{ name: "main", key: OTHER_KEY }], agents: [{ slug: "bot", model: "gpt-4o-mini" }], policy: HIGH_LIMITS },
  ],
};

const TOOL = { type: "function", function: { name: "lookup", parameters: { type: "object", properties: { id: { type: "string" } } } } };

// ---- Generated JSON, written out by hand so keys like "__proto__" and duplicate keys reach the wire as such.

type Json = null | boolean | number | string | Json[] | { entries: Array<[string, Json]> };

/** A plain JSON value in the generated form. */
function fromPlain(value: unknown): Json {
  if (Array.isArray(value)) return value.map(fromPlain);
  if (value !== null && typeof value === "object") return { entries: Object.entries(value).map(([key, item]) => [key, fromPlain(item)]) };
  return value as Json;
}

function toText(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(toText).join(",")}]`;
  if (value !== null && typeof value === "object") return `{${value.entries.map(([key, item]) => `${JSON.stringify(key)}:${toText(item)}`).join(",")}}`;
  return JSON.stringify(value) ?? "null";
}

const awkwardKey = fc.constantFrom("__proto__", "constructor", "prototype", "toString", "$ref", "$defs", "$where", "", " ", "é", "名前", "🙂", "a.b", "messages[0]", "\u0000");
const awkwardString = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.constantFrom("", "\u0000", "\ud800", "[[", "${x}", "<script>", "null", "NaN", "bot", "user", "function"),
);
const leaf: fc.Arbitrary<Json> = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), awkwardString, fc.constantFrom(1e308, -0, 2 ** 53 + 2));
const json: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.array(fc.tuple(fc.oneof(awkwardKey, fc.string()), tie("value")), { maxLength: 4 }).map((entries) => ({ entries })),
  ),
})).value;

const FIELDS = [
  "model", "messages", "tools", "tool_choice", "stream", "stream_options", "temperature", "top_p", "max_tokens", "max_completion_tokens",
  "n", "stop", "seed", "user", "response_format", "logit_bias", "presence_penalty", "frequency_penalty", "parallel_tool_calls", "metadata", "logprobs",
];
const MESSAGE_FIELDS = ["role", "content", "name", "tool_calls", "tool_call_id", "refusal"];

/** A valid request with some of its fields replaced, added or removed. */
const mutatedRequest = fc
  .record({
    clientTools: fc.boolean(),
    top: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...FIELDS), awkwardKey), json), { maxLength: 3 }),
    message: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...MESSAGE_FIELDS), awkwardKey), json), { maxLength: 2 }),
    removed: fc.subarray(["model", "messages", "role", "content"]),
  })
  .map(({ clientTools, top, message, removed }) => {
    const messageEntries: Array<[string, Json]> = [
      ["role", "user"],
      ["content", "hello"],
    ];
    const entries: Array<[string, Json]> = [
      ["model", "bot"],
      ["messages", [{ entries: messageEntries.filter(([key]) => !removed.includes(key)).concat(message) }]],
    ];
    if (clientTools) entries.push(["tools", fromPlain([TOOL])]);
    return toText({ entries: entries.filter(([key]) => !removed.includes(key)).concat(top) });
  });

/** Where a deeply nested value goes, as a function of the nested JSON text. */
const DEEP_PLACES: Array<(nested: string) => string> = [
  (nested) => nested,
  (nested) => `{"model":"bot","messages":${nested}}`,
  (nested) => `{"model":"bot","messages":[{"role":"user","content":${nested}}]}`,
  (nested) => `{"model":"bot","messages":[{"role":"user","content":"hi"}],"metadata":${nested}}`,
  (nested) => `{"model":"bot","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"a":${nested}}}}]}`,
  (nested) => `{"model":"bot","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"a":${nested}}}}}`,
];
const deepRequest = fc
  .record({ depth: fc.integer({ min: 50, max: 50_000 }), place: fc.integer({ min: 0, max: DEEP_PLACES.length - 1 }), arrays: fc.boolean() })
  .map(({ depth, place, arrays }) => ({
    depth,
    body: DEEP_PLACES[place]!(arrays ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`),
  }));

/** A huge string in a field that is not sent upstream as a prompt, up to past the body limit. */
const hugeRequest = fc
  .record({ size: fc.integer({ min: 100_000, max: MAX_BODY_BYTES + 50_000 }), field: fc.constantFrom("model", "user", "stop", "unknown_field", "role", "name") })
  .map(({ size, field }) => {
    const huge = "x".repeat(size);
    if (field === "role" || field === "name") return `{"model":"bot","messages":[{"role":${field === "role" ? JSON.stringify(huge) : '"user"'},"content":"hi","name":"${field === "name" ? huge : "n"}"}]}`;
    return `{"model":"bot","messages":[{"role":"user","content":"hi"}],${JSON.stringify(field)}:${JSON.stringify(huge)}}`;
  });

// ---- The checks every generated request gets.

let t: Gateway;
let otherConversationId: string;
let otherIds: string[];

beforeAll(async () => {
  t = await startGateway(FUZZ_SEED);
  const response = await postChat(t, { model: "bot", messages: [{ role: "user", content: "hi" }] }, { key: OTHER_KEY });
  otherConversationId = response.headers.get("x-conversation-id")!;
  await response.json();
  otherIds = await t.run(async (ctx) => [(await ctx.db.query("tenants").first())!._id, (await ctx.db.query("apiKeys").first())!._id]);
});

async function storedState(): Promise<string> {
  return t.run(async (ctx) =>
    JSON.stringify([await ctx.db.query("conversations").collect(), await ctx.db.query("messages").collect(), await ctx.db.query("streams").collect()]),
  );
}

/** Sends one request and checks it: no 5xx, OpenAI's error shape, and nothing stored for a 4xx. */
async function check(body: string, options: { key?: string | null; headers?: Record<string, string> } = {}): Promise<number> {
  const before = await storedState();
  const response = await postChat(t, body, { key: options.key === undefined ? KEY : options.key, headers: options.headers });
  const text = await response.text();
  expect(response.status, text.slice(0, 300)).toBeLessThan(500);
  if (response.status >= 400) {
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(["error"]);
    expect(Object.keys(parsed.error).sort()).toEqual(["code", "message", "param", "type"]);
    expect(typeof parsed.error.message).toBe("string");
    expect(typeof parsed.error.type).toBe("string");
    for (const field of ["param", "code"]) expect(parsed.error[field] === null || typeof parsed.error[field] === "string").toBe(true);
    expect(await storedState(), "a refused request changes no conversation, message or stream").toBe(before);
  }
  return response.status;
}

describe("fuzzed bodies", () => {
  test("arbitrary JSON values and arbitrary text as the body", async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(json.map(toText), fc.string({ unit: "binary" })), async (body) => void (await check(body))), { numRuns: 150 });
  });

  test("a valid request with fields replaced, added (including __proto__, constructor and $ keys) or removed", async () => {
    await fc.assert(fc.asyncProperty(mutatedRequest, async (body) => void (await check(body))), { numRuns: 200 });
  });

  test("deep nesting, in every place a client controls: past the depth limit a 400", async () => {
    await fc.assert(
      fc.asyncProperty(deepRequest, async ({ depth, body }) => {
        const status = await check(body);
        if (depth > MAX_JSON_DEPTH) expect(status).toBe(400);
      }),
      { numRuns: 60 },
    );
  });

  test("huge strings, past the body limit too", async () => {
    await fc.assert(
      fc.asyncProperty(hugeRequest, async (body) => {
        const status = await check(body);
        if (body.length > MAX_BODY_BYTES) expect(status).toBe(413);
      }),
      { numRuns: 25 },
    );
  });
});

describe("fuzzed headers", () => {
  const authorization = fc.oneof(
    fc.constantFrom(
      null, "", "Bearer", "Bearer ", `Bearer ${KEY}`, `bearer ${KEY}`, `BEARER ${KEY}`, `Bearer   ${KEY}`, `Bearer ${KEY} extra`,
      `Basic ${btoa(`user:${KEY}`)}`, KEY, `Token ${KEY}`, `Bearer ${KEY.toUpperCase()}`, `Bearer ${KEY}x`, `Bearer ${KEY.slice(0, -1)}`, `Bearer ${OTHER_KEY}`,
    ),
    fc.string().map((text) => `Bearer ${text}`),
    fc.string(),
  );
  const conversationId = fc.oneof(
    fc.constant(undefined),
    fc.string(),
    fc.constantFrom("", "null", "undefined", "0", "-1", "../../etc/passwd", "' OR 1=1 --", "{}", "[]"),
    fc.constantFrom(0, 1, 2).map((index) => [() => otherConversationId, () => otherIds[0]!, () => otherIds[1]!][index]!()),
  );
  const contentLength = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom("0", "-1", "abc", "1e9", "99999999999999999999", String(MAX_BODY_BYTES + 1), "NaN", "Infinity", "0x10"),
    fc.nat({ max: 500 }).map(String),
  );

  test("Authorization variants, X-Conversation-Id garbage and content-length lies on a valid body", async () => {
    await fc.assert(
      fc.asyncProperty(authorization, conversationId, contentLength, fc.boolean(), async (key, conversation, length, clientTools) => {
        const headers: Record<string, string> = {};
        if (conversation !== undefined) headers["x-conversation-id"] = conversation;
        if (length !== undefined) headers["content-length"] = length;
        const body = JSON.stringify({ model: "bot", ...(clientTools ? { tools: [TOOL] } : {}), messages: [{ role: "user", content: "hi" }] });
        const status = await check(body, { key: null, headers: { ...headers, ...(key === null ? {} : { authorization: key }) } });
        // The key is read first, so a body declared too large is refused as too large or as unauthenticated.
        if (Number(length) > MAX_BODY_BYTES) expect([401, 413]).toContain(status);
        // Only an exact key, as a bearer token, is accepted.
        if (status === 200) expect(key).toMatch(new RegExp(`^bearer\\s+(${KEY}|${OTHER_KEY})\\s*$`, "i"));
      }),
      { numRuns: 100 },
    );
  });
});

describe("the body size limit, before parsing", () => {
  test("a body over the limit that is not even JSON gets 413, not 400: its size is checked first", async () => {
    expect(await check(`{${"x".repeat(MAX_BODY_BYTES)}`)).toBe(413);
  });

  test("a content-length that claims a small body does not let a large one through", async () => {
    expect(await check(`{${"x".repeat(MAX_BODY_BYTES)}`, { headers: { "content-length": "100" } })).toBe(413);
  });

  test("a content-length over the limit is refused without reading the body", async () => {
    expect(await check(JSON.stringify({ model: "bot", messages: [{ role: "user", content: "hi" }] }), { headers: { "content-length": String(MAX_BODY_BYTES + 1) } })).toBe(413);
  });

  test("sizes around the limit: 413 exactly above it, the parser's 400 at or below it", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: MAX_BODY_BYTES - 64, max: MAX_BODY_BYTES + 64 }), async (size) => {
        expect(await check("x".repeat(size))).toBe(size > MAX_BODY_BYTES ? 413 : 400);
      }),
      { numRuns: 20 },
    );
  });
});

// ---- Stored conversations in any state: the next turn is served and its transcript is one a provider accepts.

const damagedArguments = fc.constantFrom("{", "[1]", "", '{"id":"7"}', "null", `${'{"a":'.repeat(150)}1${"}".repeat(150)}`);
const callId = fc.constantFrom("call_a", "call_b", "");
const storedMessage: fc.Arbitrary<TranscriptMessage> = fc.oneof(
  fc.record({ role: fc.constant("user" as const), content: fc.string({ maxLength: 20 }) }),
  fc.record({ role: fc.constant("user" as const), content: fc.string({ maxLength: 20 }), parts: fc.constantFrom("{bad", "[]", '[{"type":"image_url","image_url":{"url":"not a url"}}]', '[{"type":"text","text":"ok"}]') }),
  fc.record({ role: fc.constantFrom("system" as const, "developer" as const), content: fc.string({ maxLength: 20 }) }),
  fc.record({ role: fc.constant("assistant" as const), content: fc.option(fc.string({ maxLength: 20 }), { nil: null }) }),
  fc.record({
    role: fc.constant("assistant" as const),
    content: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
    toolCalls: fc.array(fc.record({ id: callId, name: fc.constant("lookup"), arguments: damagedArguments }), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ role: fc.constant("tool" as const), content: fc.string({ maxLength: 20 }), toolCallId: callId }),
);
const storedRow = fc.record({ message: storedMessage, status: fc.constantFrom("complete" as const, "complete" as const, "error" as const, "timeout" as const), serverStep: fc.boolean() });

/** OpenAI's rule for a transcript: tool results directly follow the assistant message whose calls they answer, all of them. */
function expectProviderValid(messages: Array<Record<string, unknown> & { role: string }>): void {
  let pending: string[] = [];
  for (const message of messages) {
    if (message.role === "tool") {
      expect(pending, JSON.stringify(messages)).toContain(message.tool_call_id);
      pending = pending.filter((id) => id !== message.tool_call_id);
      continue;
    }
    expect(pending, `unanswered calls in ${JSON.stringify(messages)}`).toEqual([]);
    const calls = (message.tool_calls ?? []) as Array<{ id: string }>;
    pending = calls.map((call) => call.id);
  }
}

describe("stored conversations in any state", () => {
  for (const [mode, extra] of [["agent mode", {}], ["client-tool mode", { tools: [TOOL] }]] as const) {
    test(`the next turn is served, the conversation released, and the upstream gets a valid transcript (${mode})`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(storedRow, { minLength: 1, maxLength: 12 }), async (rows) => {
          const conversationId = await t.run(async (ctx) => {
            const tenant = (await ctx.db.query("tenants").withIndex("by_slug", (q) => q.eq("slug", "fuzz")).unique())!;
            const key = (await ctx.db.query("apiKeys").withIndex("by_tenantId_and_name", (q) => q.eq("tenantId", tenant._id).eq("name", "main")).unique())!;
            const created = await createConversation(ctx, tenant._id, key._id, "bot", Date.now());
            for (const row of rows) {
              const conversation = (await ctx.db.get("conversations", created._id))!;
              if (row.status === "complete") await appendMessages(ctx, conversation, "req_fuzz", [row.message], Date.now(), { serverStep: row.serverStep });
              else await appendReply(ctx, conversation, { message: row.message, requestId: "req_fuzz", status: row.status, error: "failed" }, Date.now());
            }
            await ctx.db.patch("conversations", created._id, { busySince: null });
            return created._id;
          });
          const tag = marker();
          const response = await postChat(t, { model: "bot", ...extra, messages: [{ role: "user", content: `next ${tag}` }] }, { key: KEY, headers: { "x-conversation-id": conversationId } });
          const text = await response.text();
          expect(response.status, text.slice(0, 300)).toBe(200);
          for (let attempt = 0; attempt < 200; attempt++) {
            if ((await t.run((ctx) => ctx.db.get("conversations", conversationId)))?.busySince === null) break;
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
          expect((await t.run((ctx) => ctx.db.get("conversations", conversationId)))?.busySince).toBeNull();
          const [body] = await upstreamBodies(tag);
          expectProviderValid(body!.messages);
        }),
        { numRuns: 25, seed: 20261130 },
      );
    });
  }
});
