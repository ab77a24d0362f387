// The failover matrix: an agent on provider "flaky" (a scripted loopback upstream) with a fallback on
// provider "backup" (a second instance of the fake upstream), in both modes, streaming and not. Each
// case asserts what each upstream received, the x-gateway-upstream header, the stored reply and the
// request log, and the provider's cool-down.
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from "vitest";
import { recordedRequests } from "../../scripts/fake-upstream/client";
import { startFakeUpstream, type FakeUpstream } from "../../scripts/fake-upstream/server";
import { marker, postChat, readSse, startGateway, type Gateway } from "../testing/harness.testing";
import { restoreEnvironment, setEnvironment } from "../testing/environment.testing";
import { startScriptedUpstream, type ScriptStep, type ScriptedUpstream } from "../testing/scriptedUpstream.testing";
import { MODES } from "../testing/modes.testing";
import { COOL_DOWN_MS } from "./cooldowns";
import { APICallError } from "ai";
import { backoffMs, MAX_BACKOFF_MS, MAX_RETRY_AFTER_MS, MAX_RETRY_INFO_BODY_CHARS, plannedTargets, retryableFailure, retryAfterMs, retryInfoDelayMs } from "./failover";
import { DEFAULT_PROVIDER, type UpstreamTarget } from "./providerConfig";

const KEY = "sk-failover-test-000000000000000";
/** Nothing listens here: connecting is refused. */
const REFUSED_URL = "http://127.0.0.1:9/v1";

let backup: FakeUpstream;
let flaky: ScriptedUpstream;

beforeAll(async () => {
  backup = await startFakeUpstream();
  flaky = await startScriptedUpstream("flaky", [{ kind: "ok" }]);
});
afterAll(async () => {
  await backup.close();
  await flaky.close();
});
afterEach(() => {
  restoreEnvironment();
  flaky.bodies.length = 0;
});

function seed(flakyProvider: Record<string, unknown> = {}, policy: Record<string, unknown> = {}) {
  return {
    providers: [
      { name: "flaky", kind: "openai-compatible", baseURL: flaky.url, apiKeyEnv: "FLAKY_API_KEY", timeoutMs: 400, ...flakyProvider },
      { name: "backup", kind: "openai-compatible", baseURL: backup.url, apiKeyEnv: "BACKUP_API_KEY" },
    ],
    tenants: [
      {
        slug: "failover",
        name: "Failover",
        apiKeys: [{ name: "main", key: KEY }],
        agents: [{ slug: "bot", model: "flaky/model-a", fallbacks: ["backup/model-b"], instructions: "You are a test bot." }],
        policy: { allowedModels: ["backup/gpt-x"], ...policy },
      },
    ],
  };
}

async function start(script: ScriptStep[], flakyProvider: Record<string, unknown> = {}, policy: Record<string, unknown> = {}): Promise<Gateway> {
  setEnvironment("FLAKY_API_KEY", "sk-flaky");
  setEnvironment("BACKUP_API_KEY", "sk-backup");
  flaky.script = script;
  return startGateway(seed(flakyProvider, policy));
}

/** The reply's text, from an SSE body or a chat.completion. */
async function replyText(response: Response, stream: boolean): Promise<{ text: string; errors: unknown[] }> {
  if (!stream) {
    const body = (await response.json()) as { choices?: Array<{ message: { content: string } }>; error?: unknown };
    return { text: body.choices?.[0]?.message.content ?? "", errors: body.error ? [body.error] : [] };
  }
  const { events } = await readSse(response);
  const chunks = events.filter((event): event is { choices: Array<{ delta: { content?: string } }> } => typeof event === "object" && event !== null && "choices" in event);
  return {
    text: chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join(""),
    errors: events.filter((event) => typeof event === "object" && event !== null && "error" in event),
  };
}

async function storedReply(t: Gateway, requestId: string) {
  return t.run(async (ctx) => {
    const messages = await ctx.db.query("messages").collect();
    const reply = messages.find((row) => row.requestId === requestId && row.message.role === "assistant" && row.serverStep !== true);
    const logged = await ctx.db.query("requestLog").collect();
    const cooldowns = await ctx.db.query("providerCooldowns").collect();
    const ledger = await ctx.db.query("usageDaily").collect();
    return { reply, log: logged.find((row) => row.requestId === requestId), cooldowns, ledger };
  });
}

const FAILURES_BEFORE_CONTENT: Array<{ name: string; script: ScriptStep[]; provider?: Record<string, unknown> }> = [
  { name: "a 500", script: [{ kind: "status", status: 500 }] },
  { name: "a 429 with retry-after", script: [{ kind: "status", status: 429, retryAfter: "1" }] },
  { name: "a refused connection", script: [{ kind: "ok" }], provider: { baseURL: REFUSED_URL } },
  { name: "a timeout before the first byte", script: [{ kind: "hang" }] },
];

describe("failover to the agent's fallback", () => {
  for (const mode of MODES) {
    for (const stream of [false, true]) {
      for (const failure of FAILURES_BEFORE_CONTENT) {
        test(`${mode.name}, ${stream ? "streaming" : "JSON"}: ${failure.name} on the first target is served by the fallback`, async () => {
          const t = await start(failure.script, failure.provider);
          const tag = marker();
          const response = await postChat(t, { model: "bot", stream, messages: [{ role: "user", content: `hello ${tag}` }], ...mode.fields }, { key: KEY });
          expect(response.status).toBe(200);
          expect(response.headers.get("x-gateway-upstream")).toBe("backup/model-b");
          const { text, errors } = await replyText(response, stream);
          expect(errors).toEqual([]);
          expect(text).toContain(tag);

          // Tried once on flaky (no retries), then once on backup with its own model id.
          expect(flaky.bodies.filter((body) => JSON.stringify(body).includes(tag))).toHaveLength(failure.provider ? 0 : 1);
          const backupBodies = backup.requests.filter((request) => JSON.stringify(request.body).includes(tag));
          expect(backupBodies.map((request) => (request.body as { model: string }).model)).toEqual(["model-b"]);

          const requestId = response.headers.get("x-request-id")!;
          await expect.poll(async () => (await storedReply(t, requestId)).log?.upstream).toBe("backup/model-b");
          const stored = await storedReply(t, requestId);
          expect(stored.reply).toMatchObject({ status: "complete", upstream: "backup/model-b" });
          expect(stored.ledger.map((row) => [row.model, row.upstream, row.requests])).toEqual([["bot", "backup/model-b", 1]]);
          expect(stored.cooldowns).toEqual([expect.objectContaining({ provider: "flaky" })]);
          expect(stored.cooldowns[0]!.until).toBeGreaterThan(Date.now() + COOL_DOWN_MS - 10_000);
        });
      }

      test(`${mode.name}, ${stream ? "streaming" : "JSON"}: a failure after content reached the client is an error, never a switch`, async () => {
        const t = await start([{ kind: "break-mid-stream" }]);
        const tag = marker();
        const response = await postChat(t, { model: "bot", stream, messages: [{ role: "user", content: `hello ${tag}` }], ...mode.fields }, { key: KEY });
        const { errors } = await replyText(response, stream);
        if (stream) {
          expect(response.status).toBe(200);
          expect(errors).toHaveLength(1);
        } else {
          expect(response.status).toBe(502);
        }
        expect(response.headers.get("x-gateway-upstream")).toBe("flaky/model-a");
        expect(backup.requests.filter((request) => JSON.stringify(request.body).includes(tag))).toEqual([]);
        const requestId = response.headers.get("x-request-id")!;
        await expect.poll(async () => (await storedReply(t, requestId)).reply?.status).toBe("error");
        expect((await storedReply(t, requestId)).reply?.upstream).toBe("flaky/model-a");
      });
    }

    test(`${mode.name}: a 400 from the provider is the answer: never retried, never sent to the fallback`, async () => {
      const t = await start([{ kind: "status", status: 400 }], { retries: 2 });
      const tag = marker();
      const response = await postChat(t, { model: "bot", messages: [{ role: "user", content: `hello ${tag}` }], ...mode.fields }, { key: KEY });
      expect(response.status).toBe(502);
      expect(flaky.bodies.filter((body) => JSON.stringify(body).includes(tag))).toHaveLength(1);
      expect(backup.requests.filter((request) => JSON.stringify(request.body).includes(tag))).toEqual([]);
      expect((await storedReply(t, response.headers.get("x-request-id")!)).cooldowns).toEqual([]);
    });
  }
});

describe("output scanning", () => {
  for (const stream of [false, true]) {
    test(`client-tool mode, ${stream ? "streaming" : "JSON"}: text a failed attempt left held back for scanning never reaches the client`, async () => {
      // The redactor holds the first 160 characters: the broken attempt's text was never released, so the plan fails over.
      const t = await start([{ kind: "break-mid-stream" }], {}, { scanOutput: true });
      const tag = marker();
      const response = await postChat(t, { model: "bot", stream, messages: [{ role: "user", content: `hello ${tag}` }], ...MODES[1].fields }, { key: KEY });
      expect(response.status).toBe(200);
      expect(response.headers.get("x-gateway-upstream")).toBe("backup/model-b");
      const { text, errors } = await replyText(response, stream);
      expect(errors).toEqual([]);
      expect(text).toContain(tag);
      expect(text).not.toContain("partial from flaky");
    });
  }
});

describe("retries on the same provider", () => {
  test("a 429 then success: retried after the retry-after, served by the first target", async () => {
    const t = await start([{ kind: "status", status: 429, retryAfter: "1" }, { kind: "ok" }], { retries: 1 });
    const started = Date.now();
    const response = await postChat(t, { model: "bot", messages: [{ role: "user", content: "hello" }], ...MODES[1].fields }, { key: KEY });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-gateway-upstream")).toBe("flaky/model-a");
    expect(((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe("from flaky");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(flaky.bodies.map((body) => body.model)).toEqual(["model-a", "model-a"]);
  });

  test("Google's 429 (RetryInfo retryDelay \"2s\" in the body, no header): the retry waits 2 s, the client's 429 says so", async () => {
    setEnvironment("GEMINI_KEY", "g-failover");
    const t = await startGateway({
      providers: [{ name: "gemini", kind: "google", baseURL: inject("googleUrl"), apiKeyEnv: "GEMINI_KEY", retries: 1 }],
      tenants: [{ slug: "failover", name: "Failover", apiKeys: [{ name: "main", key: KEY }], agents: [{ slug: "bot", model: "gemini/gemini-2.5-flash" }] }],
    });
    const tag = marker();
    const started = Date.now();
    const response = await postChat(t, { model: "bot", messages: [{ role: "user", content: `[[fault:429]] ${tag}` }], ...MODES[1].fields }, { key: KEY });
    const elapsed = Date.now() - started;
    expect(response.status).toBe(429);
    expect([response.headers.get("retry-after"), response.headers.get("retry-after-ms")]).toEqual(["2", "2000"]);
    expect(await recordedRequests(inject("googleUrl"), tag)).toHaveLength(2);
    // Without the hint the retry would wait BASE_BACKOFF_MS (250 ms).
    expect(elapsed).toBeGreaterThanOrEqual(2000);
  });

  test("a retry-after longer than the gateway waits moves on to the fallback at once", async () => {
    const t = await start([{ kind: "status", status: 429, retryAfter: "60" }], { retries: 3 });
    const started = Date.now();
    const response = await postChat(t, { model: "bot", messages: [{ role: "user", content: "hello" }], ...MODES[1].fields }, { key: KEY });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-gateway-upstream")).toBe("backup/model-b");
    expect(Date.now() - started).toBeLessThan(5000);
    expect(flaky.bodies).toHaveLength(1);
  });

  test("agent mode: a 502 retried twice with backoff, then the fallback", async () => {
    const t = await start([{ kind: "status", status: 502 }], { retries: 2 });
    const started = Date.now();
    const response = await postChat(t, { model: "bot", messages: [{ role: "user", content: "hello" }] }, { key: KEY });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-gateway-upstream")).toBe("backup/model-b");
    await response.text();
    expect(flaky.bodies).toHaveLength(3);
    // 250 ms, then 500 ms between the three attempts.
    expect(Date.now() - started).toBeGreaterThanOrEqual(750);
  });

  test("a status outside retryOnStatus is not retried", async () => {
    const t = await start([{ kind: "status", status: 503 }, { kind: "ok" }], { retries: 2, retryOnStatus: [500] });
    const response = await postChat(t, { model: "bot", messages: [{ role: "user", content: "hello" }], ...MODES[1].fields }, { key: KEY });
    expect(response.status).toBe(502);
    expect(flaky.bodies).toHaveLength(1);
  });
});

describe("cool-down", () => {
  test("a provider that failed over is skipped by the next request; nothing is written while it cools", async () => {
    const t = await start([{ kind: "status", status: 500 }]);
    const first = await postChat(t, { model: "bot", messages: [{ role: "user", content: "one" }], ...MODES[1].fields }, { key: KEY });
    expect(first.headers.get("x-gateway-upstream")).toBe("backup/model-b");
    await first.text();
    const before = await storedReply(t, "");
    const second = await postChat(t, { model: "bot", messages: [{ role: "user", content: "two" }], ...MODES[1].fields }, { key: KEY });
    expect(second.headers.get("x-gateway-upstream")).toBe("backup/model-b");
    await second.text();
    expect(flaky.bodies).toHaveLength(1);
    expect((await storedReply(t, "")).cooldowns).toEqual(before.cooldowns);
  });
});

describe("agent mode: a stream that starts with keep-alives still names its target", () => {
  test("a plan that cannot fail over: named by begin", async () => {
    setEnvironment("GATEWAY_KEEPALIVE_MS", "100");
    const t = await startGateway();
    const response = await postChat(t, { model: "writer", stream: true, messages: [{ role: "user", content: "[[delay:500]] hi" }] });
    expect(response.headers.get("x-gateway-upstream")).toBe("openai/gpt-4o");
    const { comments, raw } = await readSse(response);
    expect(comments.length).toBeGreaterThan(0);
    // Keep-alives went out before the first text: the response had started before the run wrote any.
    expect(raw.indexOf(": keep-alive")).toBeGreaterThan(0);
    expect(raw.indexOf(": keep-alive")).toBeLessThan(raw.indexOf('"delta":{"content"'));
  });

  test("a plan that failed over: named by the run once it settled on the fallback", async () => {
    setEnvironment("GATEWAY_KEEPALIVE_MS", "100");
    const t = await start([{ kind: "status", status: 500 }]);
    const response = await postChat(t, { model: "bot", stream: true, messages: [{ role: "user", content: "[[delay:600]] hi" }] }, { key: KEY });
    expect(response.headers.get("x-gateway-upstream")).toBe("backup/model-b");
    const { raw } = await readSse(response);
    expect(raw.indexOf(": keep-alive")).toBeGreaterThan(0);
    expect(raw.indexOf(": keep-alive")).toBeLessThan(raw.indexOf('"delta":{"content"'));
  });
});

describe("passthrough models on a provider", () => {
  test("an allowedModels entry provider/model-id is listed as written and served by that provider with its own model id", async () => {
    const t = await start([{ kind: "ok" }]);
    const models = (await (await t.fetch("/api/v1/models", { headers: { authorization: `Bearer ${KEY}` } })).json()) as { data: Array<{ id: string }> };
    expect(models.data.map((model) => model.id).sort()).toEqual(["backup/gpt-x", "bot"]);
    const tag = marker();
    const response = await postChat(t, { model: "backup/gpt-x", messages: [{ role: "user", content: tag }], ...MODES[1].fields }, { key: KEY });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-gateway-upstream")).toBe("backup/gpt-x");
    expect(((await response.json()) as { model: string }).model).toBe("backup/gpt-x");
    expect(backup.requests.filter((request) => JSON.stringify(request.body).includes(tag)).map((request) => (request.body as { model: string }).model)).toEqual(["gpt-x"]);
  });
});

describe("the plan's rules", () => {
  const target = (name: string, coolingUntil: number | null): UpstreamTarget => ({ provider: { ...DEFAULT_PROVIDER, name }, model: "m", coolingUntil });

  test("cooling targets are skipped while another is ready; when all are cooling, all are tried in order", () => {
    const now = 1_000_000;
    expect(plannedTargets([target("a", now + 1), target("b", null), target("c", now - 1)], now).map((t) => t.provider.name)).toEqual(["b", "c"]);
    expect(plannedTargets([target("a", now + 1), target("b", now + 2)], now).map((t) => t.provider.name)).toEqual(["a", "b"]);
  });

  test("retry-after in seconds, as an HTTP date, or retry-after-ms; the wait is bounded", () => {
    expect(retryAfterMs({ "retry-after": "2" })).toBe(2000);
    expect(retryAfterMs({ "retry-after-ms": "150", "retry-after": "9" })).toBe(150);
    expect(retryAfterMs({ "retry-after": new Date(Date.now() + 3000).toUTCString() })).toBeGreaterThan(1000);
    expect(retryAfterMs({ "retry-after": "soon" })).toBeNull();
    expect(retryAfterMs(undefined)).toBeNull();
    expect(backoffMs(null, 0)).toBe(250);
    expect(backoffMs(null, 10)).toBe(MAX_BACKOFF_MS);
    expect(backoffMs(MAX_RETRY_AFTER_MS, 0)).toBe(MAX_RETRY_AFTER_MS);
    expect(backoffMs(MAX_RETRY_AFTER_MS + 1, 0)).toBeNull();
  });

  test("Google's 429 hint in the body (RetryInfo retryDelay) is the wait; a malformed, huge or oversized one is ignored", () => {
    const googleBody = (retryDelay: unknown, padding = "") =>
      JSON.stringify({ error: { code: 429, status: "RESOURCE_EXHAUSTED", padding, details: [{ "@type": "type.googleapis.com/google.rpc.Help" }, { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay }] } });
    expect(retryInfoDelayMs(googleBody("2s"))).toBe(2000);
    expect(retryInfoDelayMs(googleBody("0.5s"))).toBe(500);
    for (const malformed of ["2", "2 s", "-2s", "1e3s", "PT2S", 2]) expect(retryInfoDelayMs(googleBody(malformed)), String(malformed)).toBeNull();
    expect(retryInfoDelayMs(googleBody("999999999s"))).toBeNull();
    expect(retryInfoDelayMs(googleBody("2s", "x".repeat(MAX_RETRY_INFO_BODY_CHARS)))).toBeNull();
    expect(retryInfoDelayMs("not json")).toBeNull();
    expect(retryInfoDelayMs(undefined)).toBeNull();

    // The failover plan waits for it, as it would for a retry-after header (and moves on past MAX_RETRY_AFTER_MS).
    const target: UpstreamTarget = { provider: { ...DEFAULT_PROVIDER, name: "gemini", retryOnStatus: [429] }, model: "m", coolingUntil: null };
    const failed = (responseBody: string) => ({
      kind: "event" as const,
      event: { kind: "error" as const, error: new APICallError({ message: "exhausted", url: "http://g.test", requestBodyValues: {}, statusCode: 429, responseHeaders: {}, responseBody }) },
    });
    expect(retryableFailure(failed(googleBody("2s")), target)).toEqual({ retryAfterMs: 2000 });
    expect(backoffMs(retryableFailure(failed(googleBody("60s")), target)!.retryAfterMs, 0)).toBeNull();
    expect(retryableFailure(failed(googleBody("soon")), target)).toEqual({ retryAfterMs: null });
  });
});

describe("the default provider", () => {
  test("an agent without a provider prefix is served by openai and says so", async () => {
    const t = await startGateway();
    const response = await postChat(t, { model: "writer", messages: [{ role: "user", content: "hi" }], stream: true });
    expect(response.headers.get("x-gateway-upstream")).toBe("openai/gpt-4o");
    await response.text();
  });
});
