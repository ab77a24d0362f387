// The OpenAPI document describes what the gateway really does: every request parameter, the error
// table of the contract with its examples, the headers, and examples written by the real builders
// that parse with the response schemas.
import { describe, expect, test } from "vitest";
import { chatCompletionRequestSchema } from "./request";
import { chatCompletionChunkSchema, chatCompletionSchema, errorBodySchema, modelListSchema, modelSchema } from "./responseSchemas";
import { openApiDocument } from "./openapi";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The `type` the contract's error table gives each status (429's type is its code). */
function contractType(status: string, code: string | null): string | null {
  if (status === "403") return "permission_error";
  if (status === "429") return code;
  if (status === "502" || status === "504") return "server_error";
  return "invalid_request_error";
}

const document = openApiDocument() as Json;
const chat = document.paths["/chat/completions"].post as Json;

describe("the OpenAPI document", () => {
  test("is OpenAPI 3.1 with a relative server, so the page's 'Try it out' calls the gateway that served it", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.servers).toEqual([{ url: "/api/v1", description: expect.any(String) }]);
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(document.security).toEqual([{ bearerAuth: [] }]);
    expect(document.paths["/health"].get.security).toEqual([]);
  });

  test("documents every request parameter the schema accepts, each with a description", () => {
    const request = document.components.schemas.CreateChatCompletionRequest;
    expect(Object.keys(request.properties).sort()).toEqual(Object.keys(chatCompletionRequestSchema.shape).sort());
    for (const [name, property] of Object.entries<Json>(request.properties)) {
      expect(property.description, name).toMatch(/\w{3,}/);
    }
    expect(request.required).toEqual(["model", "messages"]);
    // The schema is strict: unknown parameters are refused, and the document says so.
    expect(request.additionalProperties).toBe(false);
    expect(chat.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/CreateChatCompletionRequest" });
  });

  test("the request examples are valid requests", () => {
    const examples = Object.values<Json>(chat.requestBody.content["application/json"].examples);
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const example of examples) expect(chatCompletionRequestSchema.safeParse(example.value).success).toBe(true);
  });

  test("chat completions list every status and code of the contract's error table, with an example each", () => {
    const expected: Record<string, Array<string | null>> = {
      "400": ["invalid_json", null, "invalid_value", "unsupported_parameter"],
      "401": ["invalid_api_key"],
      "403": ["model_not_allowed", "pii_detected", "content_policy_violation"],
      "404": ["model_not_found", "conversation_not_found"],
      "409": ["conversation_busy"],
      "413": ["request_too_large"],
      "429": ["rate_limit_exceeded", "insufficient_quota"],
      "502": ["upstream_error"],
      "504": ["upstream_timeout"],
    };
    for (const [status, codes] of Object.entries(expected)) {
      const examples = Object.values<Json>(chat.responses[status].content["application/json"].examples);
      expect(examples.map((example) => example.value.error.code), status).toEqual(codes);
      for (const example of examples) {
        expect(errorBodySchema.parse(example.value)).toEqual(example.value);
        expect(example.value.error.type, `${status} ${example.value.error.code}`).toBe(contractType(status, example.value.error.code));
      }
    }
  });

  test("documents the headers: request id, Server-Timing, the six rate-limit headers, retry-after, X-Conversation-Id in and out, x-gateway-upstream", () => {
    const rateLimit = ["requests", "tokens"].flatMap((kind) =>
      ["limit", "remaining", "reset"].map((measure) => `x-ratelimit-${measure}-${kind}`),
    );
    expect(Object.keys(document.components.headers).sort()).toEqual(
      ["x-request-id", "server-timing", "x-conversation-id", "x-gateway-upstream", "retry-after", "retry-after-ms", ...rateLimit].sort(),
    );
    const ok = chat.responses["200"].headers;
    for (const name of ["x-request-id", "server-timing", "x-conversation-id", "x-gateway-upstream", ...rateLimit]) expect(ok[name], name).toBeDefined();
    for (const status of ["409", "429"]) {
      expect(Object.keys(chat.responses[status].headers)).toEqual(expect.arrayContaining(["retry-after", "retry-after-ms"]));
    }
    expect(chat.parameters).toEqual([{ $ref: "#/components/parameters/ConversationId" }]);
    expect(document.components.parameters.ConversationId).toMatchObject({ name: "X-Conversation-Id", in: "header", required: false });
  });

  test("streaming is documented as text/event-stream of chunk objects, with an example the chunk schema accepts", () => {
    const stream = chat.responses["200"].content["text/event-stream"];
    expect(stream["x-event-schema"]).toEqual({ $ref: "#/components/schemas/ChatCompletionChunk" });
    const events = (stream.example as string).split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    for (const event of events.slice(0, -1)) {
      const chunk = JSON.parse(event.slice("data: ".length));
      expect(chatCompletionChunkSchema.parse(chunk)).toEqual(chunk);
    }
  });

  test("response examples come from the real builders and match the response schemas", () => {
    const completion = chat.responses["200"].content["application/json"].example;
    expect(chatCompletionSchema.parse(completion)).toEqual(completion);
    const list = document.paths["/models"].get.responses["200"].content["application/json"].example;
    expect(modelListSchema.parse(list)).toEqual(list);
    const model = document.paths["/models/{id}"].get.responses["200"].content["application/json"].example;
    expect(modelSchema.parse(model)).toEqual(model);
  });

  test("component schemas carry no $id or $schema of their own (invalid inside an OpenAPI document)", () => {
    for (const [name, schema] of Object.entries<Json>(document.components.schemas)) {
      expect(schema.$id, name).toBeUndefined();
      expect(schema.$schema, name).toBeUndefined();
    }
  });
});
