import { describe, expect, test } from "vitest";
import { get, startGateway } from "../testing/harness.testing";
import { ACME_LIMITED_KEY, GLOBEX_KEY } from "../testing/seed.testing";

describe("models", () => {
  test("lists the tenant's agents and passthrough models in OpenAI's list shape", async () => {
    const t = await startGateway();
    const response = await get(t, "/api/v1/models");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    const body = await response.json();
    expect(body.object).toBe("list");
    expect(body.data.map((model: { id: string }) => model.id).sort()).toEqual(["gpt-4.1-mini", "support", "writer"]);
    for (const model of body.data) {
      expect(Object.keys(model).sort()).toEqual(["created", "id", "object", "owned_by"]);
      expect(model.object).toBe("model");
      expect(model.owned_by).toBe("acme");
      expect(Number.isInteger(model.created)).toBe(true);
    }
  });

  test("a key limited to some agents lists only those", async () => {
    const t = await startGateway();
    const body = await (await get(t, "/api/v1/models", ACME_LIMITED_KEY)).json();
    expect(body.data.map((model: { id: string }) => model.id)).toEqual(["writer"]);
  });

  test("retrieves one model", async () => {
    const t = await startGateway();
    const response = await get(t, "/api/v1/models/support");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: "support", object: "model", created: expect.any(Number), owned_by: "acme" });
  });

  test("another tenant's agent is 404 model_not_found, exactly like an unknown id", async () => {
    const t = await startGateway();
    const other = await get(t, "/api/v1/models/sales");
    const unknown = await get(t, "/api/v1/models/no-such-model");
    expect(other.status).toBe(404);
    expect(unknown.status).toBe(404);
    const otherBody = await other.json();
    const unknownBody = await unknown.json();
    expect(otherBody.error.code).toBe("model_not_found");
    expect(otherBody.error.type).toBe("invalid_request_error");
    expect(otherBody.error.message.replace("sales", "X")).toBe(unknownBody.error.message.replace("no-such-model", "X"));
    // ...while its own tenant sees it.
    expect((await get(t, "/api/v1/models/sales", GLOBEX_KEY)).status).toBe(200);
  });

  test("a malformed escape in the id is a 404, not a 500", async () => {
    const t = await startGateway();
    expect((await get(t, "/api/v1/models/%E0%A4%A")).status).toBe(404);
  });

  test("an unknown /api/v1 route is an OpenAI-shaped 404", async () => {
    const t = await startGateway();
    const response = await get(t, "/api/v1/embeddings");
    expect(response.status).toBe(404);
    expect((await response.json()).error.type).toBe("invalid_request_error");
  });

  test("CORS preflight allows the Authorization header and exposes the gateway's headers", async () => {
    const t = await startGateway();
    const response = await t.fetch("/api/v1/chat/completions", {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type, x-conversation-id",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
    expect(response.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    const actual = await get(t, "/api/v1/models");
    expect(actual.headers.get("access-control-expose-headers")).toContain("x-request-id");
    expect(actual.headers.get("access-control-expose-headers")).toContain("x-ratelimit-remaining-requests");
  });
});
