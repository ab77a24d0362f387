// The request log on the store: one row per chat request when its turn ends, in both modes, with the
// mapped code of an upstream failure (a refused provider key, an unreachable provider, a timeout); a
// refused key's flood is logged only as far as the audit log logs it; rows age out with retention.
import { afterEach, describe, expect, test } from "vitest";
import { internal } from "../_generated/api";
import { postChat, startGateway, type Gateway } from "../testing/harness.testing";
import { restoreEnvironment, setEnvironment } from "../testing/environment.testing";
import { ACME_DISABLED_KEY, GLOBEX_KEY } from "../testing/seed.testing";
import { MODES } from "../testing/modes.testing";
import { DEFAULT_RETENTION_DAYS } from "./retention";
import { MAX_LOGGED_MODEL_LENGTH } from "./requestLog";

afterEach(() => restoreEnvironment());

async function logOf(t: Gateway) {
  return t.run((ctx) => ctx.db.query("requestLog").collect());
}

/** Waits until the request's row is written (agent runs end in a scheduled action). */
async function rowOf(t: Gateway, requestId: string) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const row = (await logOf(t)).find((entry) => entry.requestId === requestId);
    if (row) return row;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no request log row for ${requestId}`);
}

describe("the request log", () => {
  for (const mode of MODES) {
    const logged = mode.name === "agent mode" ? "agent" : "client_tools";

    test(`${mode.name}: a completed request is one row with its model, upstream, status, latency and tokens`, async () => {
      const t = await startGateway();
      const response = await postChat(t, { model: "writer", messages: [{ role: "user", content: "[[words:4]]" }], ...mode.fields });
      const body = await response.json();
      const row = await rowOf(t, response.headers.get("x-request-id")!);
      expect(row).toMatchObject({ model: "writer", upstream: "openai/gpt-4o", mode: logged, status: 200, errorCode: null, keyPrefix: "sk-acme-te..." });
      expect(row.completionTokens).toBe(body.usage.completion_tokens);
      expect(row.promptTokens).toBe(body.usage.prompt_tokens);
      expect(row.latencyMs).toBeGreaterThanOrEqual(0);
      expect(await logOf(t)).toHaveLength(1);
    });

    for (const failure of [
      { name: "the provider refuses the gateway's key", content: "[[fault:401]]", environment: {}, status: 502, code: "upstream_error" },
      { name: "the provider is unreachable", content: "hi", environment: { OPENAI_BASE_URL: "http://127.0.0.1:9/v1" }, status: 502, code: "upstream_error" },
      { name: "the provider does not answer in time", content: "[[fault:hang]]", environment: { UPSTREAM_TIMEOUT_MS: "300" }, status: 504, code: "upstream_timeout" },
    ]) {
      test(`${mode.name}: ${failure.name}: logged with status ${failure.status} and ${failure.code}`, async () => {
        const t = await startGateway();
        for (const [name, value] of Object.entries(failure.environment)) setEnvironment(name, value);
        const response = await postChat(t, { model: "writer", messages: [{ role: "user", content: failure.content }], ...mode.fields });
        expect(response.status).toBe(failure.status);
        await response.text();
        const row = await rowOf(t, response.headers.get("x-request-id")!);
        expect(row).toMatchObject({ model: "writer", upstream: "openai/gpt-4o", mode: logged, status: failure.status, errorCode: failure.code });
      });
    }
  }

  test("denials of a known key are logged with their code; unknown keys are not (they belong to no tenant)", async () => {
    const t = await startGateway();
    expect((await postChat(t, { model: "nope", messages: [{ role: "user", content: "hi" }] })).status).toBe(404);
    expect((await postChat(t, { model: "writer", messages: [{ role: "user", content: "hi" }] }, { key: ACME_DISABLED_KEY })).status).toBe(401);
    expect((await postChat(t, { model: "writer", messages: [{ role: "user", content: "hi" }] }, { key: "sk-unknown-000000000000000000" })).status).toBe(401);
    const rows = (await logOf(t)).sort((a, b) => a._creationTime - b._creationTime);
    expect(rows.map(({ status, errorCode, model, upstream }) => ({ status, errorCode, model, upstream }))).toEqual([
      { status: 404, errorCode: "model_not_found", model: "nope", upstream: null },
      { status: 401, errorCode: "invalid_api_key", model: "writer", upstream: null },
    ]);
  });

  test("a denied request's model id is kept to 200 characters, however long the client sent it", async () => {
    const t = await startGateway();
    const response = await postChat(t, { model: "m".repeat(500_000), messages: [{ role: "user", content: "hi" }] });
    expect(response.status).toBe(404);
    const row = await rowOf(t, response.headers.get("x-request-id")!);
    expect(row.model).toBe(`${"m".repeat(MAX_LOGGED_MODEL_LENGTH - 1)}…`);
  });

  test("a refused key's flood is logged row by row only up to its own limit, like the audit log", async () => {
    const t = await startGateway();
    const statuses: number[] = [];
    for (let index = 0; index < 70; index++) statuses.push((await postChat(t, { model: "writer", messages: [{ role: "user", content: "hi" }] }, { key: ACME_DISABLED_KEY })).status);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    const rows = await logOf(t);
    expect(rows.length).toBe(statuses.filter((status) => status === 401).length);
    const audited = await t.run((ctx) => ctx.db.query("auditEvents").collect());
    expect(rows.length).toBe(audited.filter((event) => event.event === "request_denied").length);
  });

  test("rows age out with the tenant's retention, through the time index", async () => {
    const t = await startGateway();
    for (const key of [undefined, GLOBEX_KEY]) {
      const response = await postChat(t, { model: key ? "sales" : "writer", messages: [{ role: "user", content: "hi" }] }, key ? { key } : {});
      await response.json();
    }
    const rows = await logOf(t);
    const [old, recent] = rows as [(typeof rows)[number], (typeof rows)[number]];
    const now = Date.now();
    await t.run((ctx) => ctx.db.patch("requestLog", old._id, { at: now - (DEFAULT_RETENTION_DAYS + 1) * 24 * 3600 * 1000 }));
    await t.mutation(internal.model.retention.sweep, { cursor: null, now });
    for (let attempt = 0; attempt < 100; attempt++) {
      if ((await logOf(t)).length === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await logOf(t)).map((row) => row._id)).toEqual([recent._id]);
  });
});
