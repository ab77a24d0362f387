// Server-Timing on every route the gateway answers, successes and errors alike: the phases it went
// through (auth = the authorising mutation, upstream = time to the upstream's first event) and the
// total, plus the count of Convex function calls before the upstream on chat requests.
import { beforeAll, describe, expect, test } from "vitest";
import { get, marker, postChat, readSse, startGateway, type Gateway } from "../testing/harness.testing";
import { ACME_KEY, POLICY_KEY, policySeed } from "../testing/seed.testing";
import { CLIENT_TOOL_MODE } from "../testing/modes.testing";

/** The header's metrics in order, each with its duration (ms) or description. */
function metrics(response: Response): Array<{ name: string; dur?: number; desc?: string }> {
  const header = response.headers.get("server-timing");
  expect(header, "a Server-Timing header").toBeTruthy();
  return header!.split(", ").map((metric) => {
    const [name, ...parameters] = metric.split(";");
    const parsed: { name: string; dur?: number; desc?: string } = { name: name! };
    for (const parameter of parameters) {
      const [key, value] = parameter.split("=");
      if (key === "dur") parsed.dur = Number(value);
      if (key === "desc") parsed.desc = value!.replace(/^"|"$/g, "");
    }
    return parsed;
  });
}

function expectTiming(response: Response, names: string[]): void {
  const found = metrics(response);
  expect(found.map((metric) => metric.name)).toEqual(names);
  for (const metric of found) {
    if (metric.name === "calls-before-upstream") expect(metric.desc).toBe("1");
    else expect(Number.isInteger(metric.dur) && metric.dur! >= 0, `${metric.name} has a duration in ms`).toBe(true);
  }
}

const CHAT_DONE = ["auth", "upstream", "total", "calls-before-upstream"];

let t: Gateway;
beforeAll(async () => {
  t = await startGateway();
});

describe("Server-Timing on chat completions", () => {
  for (const [mode, fields] of [["client-tool mode", CLIENT_TOOL_MODE], ["agent mode", {}]] as const) {
    test(`${mode}, non-streaming 200: auth, upstream, total and the calls before the upstream`, async () => {
      const response = await postChat(t, { model: "support", ...fields, messages: [{ role: "user", content: marker() }] });
      expect(response.status).toBe(200);
      await response.json();
      expectTiming(response, CHAT_DONE);
    });

    test(`${mode}, streaming 200: the same phases, in the headers sent before the first delta`, async () => {
      const response = await postChat(t, { model: "support", ...fields, stream: true, messages: [{ role: "user", content: marker() }] });
      expect(response.status).toBe(200);
      await readSse(response);
      expectTiming(response, CHAT_DONE);
    });

    test(`${mode}, upstream failure 502: the upstream phase is still reported`, async () => {
      const response = await postChat(t, { model: "support", ...fields, messages: [{ role: "user", content: `[[fault:500]] ${marker()}` }] });
      expect(response.status).toBe(502);
      await response.json();
      expectTiming(response, CHAT_DONE);
    });
  }

  const beforeAuth: Array<[string, () => Promise<Response>, number]> = [
    ["invalid JSON 400", () => postChat(t, "{not json"), 400],
    ["a missing key 401", () => postChat(t, { model: "support", messages: [{ role: "user", content: "hi" }] }, { key: null }), 401],
    ["a body over the limit 413", () => postChat(t, "x".repeat(1_000_001)), 413],
  ];
  for (const [name, send, status] of beforeAuth) {
    test(`${name}: refused before the authorising mutation, so only the total`, async () => {
      const response = await send();
      expect(response.status).toBe(status);
      await response.json();
      expectTiming(response, ["total"]);
    });
  }

  test("an unknown model 404: refused by the authorising mutation, so auth and the total", async () => {
    const response = await postChat(t, { model: "nope", messages: [{ role: "user", content: "hi" }] });
    expect(response.status).toBe(404);
    await response.json();
    expectTiming(response, ["auth", "total"]);
  });

  test("a rate limited request 429: auth and the total", async () => {
    const limited = await startGateway(policySeed({ requestsPerMinute: 1 }));
    await (await postChat(limited, { model: "bot", messages: [{ role: "user", content: "hi" }] }, { key: POLICY_KEY })).json();
    const response = await postChat(limited, { model: "bot", messages: [{ role: "user", content: "hi" }] }, { key: POLICY_KEY });
    expect(response.status).toBe(429);
    await response.json();
    expectTiming(response, ["auth", "total"]);
  });
});

describe("Server-Timing on the other routes", () => {
  const routes: Array<[string, string, string | null, number, string[]]> = [
    ["models list", "/api/v1/models", ACME_KEY, 200, ["auth", "total"]],
    ["one model", "/api/v1/models/support", ACME_KEY, 200, ["auth", "total"]],
    ["an unknown model", "/api/v1/models/nope", ACME_KEY, 404, ["auth", "total"]],
    ["models without a key", "/api/v1/models", null, 401, ["total"]],
    ["health", "/api/v1/health", null, 200, ["total"]],
    ["the OpenAPI document", "/api/v1/openapi.json", null, 200, ["total"]],
    ["the docs page", "/docs", null, 200, ["total"]],
    ["a docs asset", "/docs/swagger-ui.css", null, 200, ["total"]],
    ["an unknown docs asset", "/docs/nope.js", null, 404, ["total"]],
    ["an unknown API path", "/api/v1/nope", null, 404, ["total"]],
  ];
  for (const [name, path, key, status, names] of routes) {
    test(`${name} (GET ${path}) ${status}: ${names.join(", ")}`, async () => {
      const response = await get(t, path, key);
      expect(response.status).toBe(status);
      await response.text();
      expectTiming(response, names);
    });
  }

  test("OPTIONS preflight is answered by the CORS router alone, before any gateway code: no Server-Timing", async () => {
    const response = await t.fetch("/api/v1/chat/completions", {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
    expect(response.headers.get("server-timing")).toBeNull();
  });
});
