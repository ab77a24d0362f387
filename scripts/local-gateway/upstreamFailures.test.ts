// The local gateway reports each chat request whose upstream call failed, once, with the request id,
// model, mapped code, status and latency, and never the prompt or a key; the gateway's own refusals
// (bad key, its own rate limit) and successes are not upstream failures.
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { marker } from "../e2e/harness";
import { startLocalGateway, type LocalGateway } from "./gateway";
import { formatFailure, upstreamHost, type UpstreamFailure } from "./upstreamFailures";

const KEY = "sk-failures-main-000000000000000";
const TIGHT_KEY = "sk-failures-tight-00000000000000";
const SEED = {
  tenants: [
    { slug: "acme", name: "Acme", apiKeys: [{ name: "main", key: KEY }], agents: [{ slug: "writer", model: "gpt-4o-mini" }], policy: { requestsPerMinute: 1000 } },
    { slug: "tight", name: "Tight", apiKeys: [{ name: "main", key: TIGHT_KEY }], agents: [{ slug: "writer", model: "gpt-4o-mini" }], policy: { requestsPerMinute: 1 } },
  ],
};

let gateway: LocalGateway;
const failures: UpstreamFailure[] = [];
beforeAll(async () => {
  gateway = await startLocalGateway({ port: 0, seed: JSON.stringify(SEED), onUpstreamFailure: (failure) => failures.push(failure) });
});
afterAll(() => gateway.close());
beforeEach(() => {
  failures.length = 0;
});

function chat(content: string, options: { stream?: boolean; key?: string; tools?: boolean } = {}): Promise<Response> {
  const tools = options.tools
    ? { tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: {} } } }] }
    : {};
  return fetch(`${gateway.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${options.key ?? KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content }], stream: options.stream ?? false, ...tools, model: "writer" }),
  });
}

test("a failed upstream call (HTTP 500 upstream) is one failure: request id, model, upstream_error, 502, latency", async () => {
  const started = Date.now();
  const response = await chat(`${marker()} [[fault:500]]`);
  expect(response.status).toBe(502);
  expect((await response.json()).error.code).toBe("upstream_error");
  expect(failures).toEqual([
    { at: expect.any(Date), requestId: response.headers.get("x-request-id"), model: "writer", target: "openai/gpt-4o-mini", code: "upstream_error", status: 502, latencyMs: expect.any(Number), inStream: false },
  ]);
  expect(failures[0]!.latencyMs).toBeLessThanOrEqual(Date.now() - started);
});

test("in client-tool mode too (the model id is read from the request body, after the messages)", async () => {
  const response = await chat(`${marker()} [[fault:500]]`, { tools: true });
  expect(response.status).toBe(502);
  await response.text();
  expect(failures.map(({ model, code, inStream }) => ({ model, code, inStream }))).toEqual([{ model: "writer", code: "upstream_error", inStream: false }]);
});

test("a stream the upstream breaks off is reported from its error event, with the model its chunks name", async () => {
  const response = await chat(`${marker()} [[words:30]] [[fault:reset]]`, { stream: true });
  expect(response.status).toBe(200);
  const text = await response.text();
  expect(text).toContain('"code":"upstream_error"');
  expect(failures).toEqual([
    { at: expect.any(Date), requestId: response.headers.get("x-request-id"), model: "writer", target: "openai/gpt-4o-mini", code: "upstream_error", status: 502, latencyMs: expect.any(Number), inStream: true },
  ]);
});

test("a wrong provider key (the upstream's 401) is reported as upstream_error, 502", async () => {
  const response = await chat(`${marker()} [[fault:401]]`);
  expect(response.status).toBe(502);
  await response.text();
  expect(failures.map(({ code, status }) => ({ code, status }))).toEqual([{ code: "upstream_error", status: 502 }]);
});

test("an upstream that never answers is reported as upstream_timeout, 504", async () => {
  process.env.UPSTREAM_TIMEOUT_MS = "300";
  try {
    const response = await chat(`${marker()} [[fault:hang]]`);
    expect(response.status).toBe(504);
    await response.text();
  } finally {
    delete process.env.UPSTREAM_TIMEOUT_MS;
  }
  expect(failures.map(({ code, status, inStream }) => ({ code, status, inStream }))).toEqual([{ code: "upstream_timeout", status: 504, inStream: false }]);
  expect(failures[0]!.latencyMs).toBeGreaterThanOrEqual(300);
});

test("the upstream's 429 is an upstream failure; the gateway's own rate limit is not", async () => {
  const upstreamLimited = await chat(`${marker()} [[fault:429]]`);
  expect(upstreamLimited.status).toBe(429);
  await upstreamLimited.text();
  expect(failures.map(({ code, status }) => ({ code, status }))).toEqual([{ code: "rate_limit_exceeded", status: 429 }]);

  failures.length = 0;
  const first = await chat(marker(), { key: TIGHT_KEY });
  expect(first.status).toBe(200);
  await first.text();
  const refused = await chat(marker(), { key: TIGHT_KEY });
  expect(refused.status).toBe(429);
  await refused.text();
  expect(failures).toEqual([]);
});

test("successes and the gateway's own refusals report nothing", async () => {
  const ok = await chat(marker());
  expect(ok.status).toBe(200);
  await ok.text();
  const streamed = await chat(marker(), { stream: true });
  await streamed.text();
  const badKey = await chat(marker(), { key: "sk-nobody-000000000000000000000" });
  expect(badKey.status).toBe(401);
  await badKey.text();
  expect(failures).toEqual([]);
});

test("the printed line holds the request id, model, upstream host, code, status and latency, and no prompt or key", async () => {
  const prompt = marker();
  const response = await chat(`${prompt} [[fault:500]]`);
  await response.text();
  const line = formatFailure(failures[0]!, upstreamHost());
  expect(line).toMatch(
    new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z upstream failure: request=${response.headers.get("x-request-id")} model=writer target=openai/gpt-4o-mini upstream=127\\.0\\.0\\.1:\\d+ code=upstream_error status=502 latency=\\d+ms$`),
  );
  for (const secret of [prompt, KEY, process.env.OPENAI_API_KEY!]) expect(line).not.toContain(secret);
});

test("the upstream host never carries a path or credentials", () => {
  expect(upstreamHost("https://user:secret@llm.example:8443/v1")).toBe("llm.example:8443");
  expect(upstreamHost("not a url")).toBe("(invalid OPENAI_BASE_URL)");
});

test("a target on another provider is named without the default provider's host", () => {
  const failure = { at: new Date(0), requestId: "req_1", model: "bot", target: "backup/model-b", code: "upstream_error" as const, status: 502, latencyMs: 5, inStream: false };
  expect(formatFailure(failure, "127.0.0.1:1")).toBe("1970-01-01T00:00:00.000Z upstream failure: request=req_1 model=bot target=backup/model-b code=upstream_error status=502 latency=5ms");
});
