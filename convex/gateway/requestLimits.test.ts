// The request door: what the gateway could not store or replay is refused with a 400 naming the field,
// before anything is stored or sent (docs/api.md, "Limits"); a bad key is told 401 before any of it.
import { describe, expect, test } from "vitest";
import { marker, postChat, startGateway, type Gateway } from "../testing/harness.testing";
import { upstreamBodies } from "../testing/upstream.testing";
import { MODES } from "../testing/modes.testing";
import { MAX_JSON_DEPTH } from "../openai/jsonDepth";
import { MAX_REQUEST_MESSAGES, MAX_TOOLS } from "../openai/request";
import { MAX_MESSAGE_BYTES } from "../model/conversations";
import { ACME_DISABLED_KEY, policySeed, POLICY_KEY } from "../testing/seed.testing";

const PNG_DATA_URL =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

const tool = (name: string) => ({ type: "function", function: { name, parameters: { type: "object", properties: {} } } });
const nestedArguments = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
const callWith = (args: string) => ({ role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: args } }] });

async function storedCounts(t: Gateway) {
  return t.run(async (ctx) => ({
    conversations: (await ctx.db.query("conversations").collect()).length,
    messages: (await ctx.db.query("messages").collect()).length,
  }));
}

/** Sends a request that must be refused; checks the 400, and that nothing was stored or sent. */
async function refused(body: Record<string, unknown>, param: string | RegExp) {
  const t = await startGateway();
  const before = await storedCounts(t);
  const response = await postChat(t, body);
  const error = (await response.json()).error;
  expect(response.status, JSON.stringify(error)).toBe(400);
  expect(error).toMatchObject({ type: "invalid_request_error", code: "invalid_value" });
  expect(error.param).toMatch(param);
  expect(await storedCounts(t)).toEqual(before);
  return error;
}

describe.each(MODES)("what cannot be stored or replayed is a 400 ($name)", ({ fields }) => {
  test(`more than ${MAX_REQUEST_MESSAGES} messages (9,000)`, async () => {
    const tag = marker();
    const messages = Array.from({ length: 9000 }, (_, index) => ({ role: "user", content: `m${index} ${tag}` }));
    await refused({ model: "support", ...fields, messages }, /^messages$/);
    expect(await upstreamBodies(tag)).toEqual([]);
  });

  for (const [name, args] of [
    [`arguments nested ${MAX_JSON_DEPTH + 1} levels`, nestedArguments(MAX_JSON_DEPTH + 1)],
    ["arguments that are not JSON", "{not json"],
    ["arguments that are a JSON array", "[1]"],
  ] as const) {
    test(`a tool call with ${name}`, async () => {
      const tag = marker();
      const messages = [{ role: "user", content: `q ${tag}` }, callWith(args), { role: "tool", tool_call_id: "call_1", content: "r" }, { role: "user", content: tag }];
      await refused({ model: "support", ...fields, messages }, "messages[1].tool_calls[0].function.arguments");
      expect(await upstreamBodies(tag)).toEqual([]);
    });
  }

  test(`arguments nested exactly ${MAX_JSON_DEPTH} levels are accepted`, async () => {
    const t = await startGateway();
    const messages = [{ role: "user", content: "q" }, callWith(nestedArguments(MAX_JSON_DEPTH - 1)), { role: "tool", tool_call_id: "call_1", content: "r" }, { role: "user", content: "ok" }];
    const response = await postChat(t, { model: "support", ...fields, messages });
    expect(response.status).toBe(200);
    await response.json();
  });

  test("a message larger than one stored document (text parts with an image count twice)", async () => {
    const tag = marker();
    const text = `${tag} `.padEnd(Math.ceil(MAX_MESSAGE_BYTES / 2) + 1000, "x");
    const messages = [{ role: "user", content: [{ type: "text", text }, { type: "image_url", image_url: { url: PNG_DATA_URL } }] }];
    const error = await refused({ model: "support", ...fields, messages }, "messages[0]");
    expect(error.message).toContain(String(MAX_MESSAGE_BYTES));
    expect(await upstreamBodies(tag)).toEqual([]);
  });
});

describe("size limits that fit", () => {
  test("a 900 KB message is stored, answered and replayed on the next turn", async () => {
    const t = await startGateway(policySeed({ tokensPerMinute: 100_000_000 }));
    const tag = marker();
    const big = { role: "user", content: `big ${tag} `.padEnd(900_000, "y") };
    const one = await postChat(t, { model: "bot", messages: [big] }, { key: POLICY_KEY });
    expect(one.status).toBe(200);
    const answer = { role: "assistant", content: (await one.json()).choices[0].message.content };
    const conversationId = one.headers.get("x-conversation-id")!;
    const next = { role: "user", content: `next ${tag}` };
    const two = await postChat(t, { model: "bot", messages: [next] }, { key: POLICY_KEY, headers: { "x-conversation-id": conversationId } });
    expect(two.status).toBe(200);
    await two.json();
    const upstream = (await upstreamBodies(tag)).at(-1)!.messages.filter((message) => message.role !== "system");
    expect(upstream).toEqual([big, answer, next]);
  });
});

describe(`more than ${MAX_TOOLS} tools is a 400, as at OpenAI`, () => {
  test(`${MAX_TOOLS + 1} tools are refused naming tools; ${MAX_TOOLS} are accepted`, async () => {
    const tag = marker();
    const tools = Array.from({ length: MAX_TOOLS + 1 }, (_, index) => tool(`tool_${index}`));
    await refused({ model: "writer", tools, messages: [{ role: "user", content: tag }] }, /^tools$/);
    expect(await upstreamBodies(tag)).toEqual([]);
    const t = await startGateway();
    const response = await postChat(t, { model: "writer", tools: tools.slice(0, MAX_TOOLS), messages: [{ role: "user", content: "hi" }] });
    expect(response.status).toBe(200);
    await response.json();
  });
});

describe("authentication comes before body validation", () => {
  const invalidBodies: Array<[string, unknown]> = [
    ["temperature 5", { model: "writer", temperature: 5, messages: [{ role: "user", content: "hi" }] }],
    ["no messages", { model: "writer" }],
    ["a JSON body that does not parse", "{not json"],
    ["9,000 messages", { model: "writer", messages: Array.from({ length: 9000 }, () => ({ role: "user", content: "x" })) }],
  ];
  for (const [name, body] of invalidBodies) {
    test(`${name}: 401 for an unknown key, 400 for a valid one`, async () => {
      const t = await startGateway();
      const unknown = await postChat(t, body, { key: "sk-not-a-key-000000000000000000" });
      expect(unknown.status).toBe(401);
      expect((await unknown.json()).error.code).toBe("invalid_api_key");
      const valid = await postChat(t, body);
      expect(valid.status).toBe(400);
      await valid.json();
    });
  }

  test("a disabled key with an invalid body: 401, audited as begin audits it", async () => {
    const t = await startGateway();
    const response = await postChat(t, { model: "writer", temperature: 5, messages: [] }, { key: ACME_DISABLED_KEY });
    expect(response.status).toBe(401);
    await response.json();
    const events = await t.run((ctx) => ctx.db.query("auditEvents").collect());
    expect(events.filter((event) => event.code === "invalid_api_key")).toMatchObject([{ detail: "key disabled" }]);
  });
});
