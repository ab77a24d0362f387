// The gateway's OpenAPI 3.1 document, generated from the zod schemas that validate requests
// (request.ts) and type responses (responseSchemas.ts), the error table (errors.ts) and the builders
// that write responses (chunks.ts, models.ts), so it cannot describe anything the gateway does not do.
// `npm run openapi` writes it to public/openapi.json; GET /api/v1/openapi.json serves it.
import { z } from "zod";
import {
  chatCompletionRequestSchema,
  chatMessageSchema,
  functionToolSchema,
  responseFormatSchema,
  toolChoiceSchema,
  UNSUPPORTED_PARAMETERS,
  type ChatCompletionRequest,
} from "./request";
import {
  chatCompletionChunkSchema,
  chatCompletionSchema,
  errorBodySchema,
  healthSchema,
  modelListSchema,
  modelSchema,
  usageSchema,
} from "./responseSchemas";
import { chatCompletion, completionChunk, sseData, SSE_DONE, usageChunk } from "./chunks";
import { ERROR_CODES, errorBody, type ErrorCode } from "./errors";
import { modelList, modelObject } from "./models";
import { rateLimitHeaders } from "./rateLimitHeaders";
import { ADMIN_SECURITY_SCHEME, ADMIN_TAG, adminPaths, adminResultSchemas, adminSchemas, dashboardPaths } from "./adminOpenapi";

type Json = { [key: string]: unknown };

/** Where the OpenAI-compatible API lives on the site; the OpenAPI paths are relative to it. */
export const API_BASE_PATH = "/api/v1";

let built: Json | null = null;

/** The document; built once per process, since it depends only on code. */
export function openApiDocument(): Json {
  built ??= buildDocument();
  return built;
}

const schemaRef = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** Every parameter of the request schema, described; the Record type makes a new parameter fail to compile until it is documented. */
const PARAMETER_DESCRIPTIONS: Record<keyof ChatCompletionRequest, string> = {
  model: "An agent's id, or an upstream model the tenant allows for direct (passthrough) use. `GET /models` lists what the key may call.",
  messages:
    "The conversation, oldest first. Without `X-Conversation-Id` this is the whole history. With it, the stored conversation comes first; turns the client resends that repeat stored ones are recognised and not duplicated.",
  stream: "Send the reply as server-sent events (`text/event-stream`) of `chat.completion.chunk` objects, ending with `data: [DONE]`.",
  stream_options: "Only with `stream: true`. `include_usage: true` adds a last chunk with empty `choices` and the token usage.",
  temperature: "Sampling temperature, 0 to 2. Defaults to the agent's setting.",
  top_p: "Nucleus sampling, 0 to 1.",
  max_tokens:
    "The older name of `max_completion_tokens`. The smallest of the request's cap, the agent's and the tenant policy's applies; a reply it cuts short ends with `finish_reason: \"length\"`.",
  max_completion_tokens:
    "Most tokens to generate. The smallest of the request's cap, the agent's and the tenant policy's applies; a reply it cuts short ends with `finish_reason: \"length\"`.",
  stop: "Up to 4 sequences; generation stops before any of them.",
  presence_penalty: "-2 to 2, forwarded to the upstream model.",
  frequency_penalty: "-2 to 2, forwarded to the upstream model.",
  seed: "Forwarded to the upstream model for best-effort determinism.",
  user: "An end-user id, forwarded to the upstream model.",
  response_format: "`json_object` or `json_schema` for a JSON reply; `text` (the default) otherwise.",
  tools:
    "Client-side tools. With tools, the model's tool calls come back to the client (`finish_reason: \"tool_calls\"`), which runs them and sends the results as `tool` messages in the next request. Without tools, the agent runs its own server-side tools.",
  tool_choice: "`none`, `auto`, `required`, or a named function. Only with `tools`.",
  parallel_tool_calls: "Whether the model may call several tools in one turn. Only with `tools`.",
  logit_bias: "Token id (as a string) to a bias from -100 to 100, forwarded to the upstream model.",
  n: "Only 1: one choice per request. Any other value is refused with 400 `unsupported_parameter`.",
  logprobs: "Only `false`: log probabilities are not relayed.",
  reasoning_effort: "For reasoning models, forwarded to the upstream model.",
  verbosity: "How long the answer should be, forwarded to the upstream model.",
  store: "Accepted for compatibility; every request is stored as a conversation anyway.",
  metadata: "Accepted for compatibility and not forwarded.",
  service_tier: "Accepted for compatibility and not forwarded.",
  prompt_cache_key: "Accepted for compatibility and not forwarded.",
  prompt_cache_retention: "Accepted for compatibility and not forwarded.",
  prompt_cache_options: "Accepted for compatibility and not forwarded.",
  safety_identifier: "Accepted for compatibility and not forwarded.",
};

/** The named component schemas; requests are described as clients send them, responses as the gateway writes them. */
function componentSchemas(): Record<string, Json> {
  const requests = z.registry<{ id: string }>();
  requests.add(chatCompletionRequestSchema, { id: "CreateChatCompletionRequest" });
  requests.add(chatMessageSchema, { id: "ChatMessage" });
  requests.add(functionToolSchema, { id: "FunctionTool" });
  requests.add(responseFormatSchema, { id: "ResponseFormat" });
  requests.add(toolChoiceSchema, { id: "ToolChoice" });
  const responses = z.registry<{ id: string }>();
  responses.add(chatCompletionSchema, { id: "ChatCompletion" });
  responses.add(chatCompletionChunkSchema, { id: "ChatCompletionChunk" });
  responses.add(usageSchema, { id: "Usage" });
  responses.add(modelSchema, { id: "Model" });
  responses.add(modelListSchema, { id: "ModelList" });
  responses.add(errorBodySchema, { id: "Error" });
  responses.add(healthSchema, { id: "Health" });

  const options = {
    target: "draft-2020-12",
    uri: (id: string) => `#/components/schemas/${id}`,
    // Refinements (e.g. "arguments must be JSON object text") cannot be expressed; the schema around them still is.
    unrepresentable: "any",
  } as const;
  const schemas = {
    ...z.toJSONSchema(requests, { ...options, io: "input" }).schemas,
    ...z.toJSONSchema(responses, { ...options, io: "output" }).schemas,
  } as Record<string, Json>;
  for (const schema of Object.values(schemas)) {
    // The document declares the dialect once; a fragment-only $id is not a valid 2020-12 $id.
    delete schema.$schema;
    delete schema.$id;
  }

  const request = schemas.CreateChatCompletionRequest!;
  const properties = request.properties as Record<string, Json>;
  for (const [name, description] of Object.entries(PARAMETER_DESCRIPTIONS)) properties[name]!.description = description;
  request.description = `OpenAI's Chat Completions request. Unknown parameters are refused with 400 \`unsupported_parameter\` naming them, as are these documented OpenAI parameters the gateway cannot honour: ${UNSUPPORTED_PARAMETERS.map((name) => `\`${name}\``).join(", ")}.`;
  return schemas;
}

const HEADER_DESCRIPTIONS = {
  "x-request-id": "This request's id (`req_` and 24 hex digits); quote it when reporting a problem.",
  "server-timing": "The gateway's own phases in milliseconds: `auth` (key, policy, rate limits, conversation), `upstream` (time to the upstream's first byte), `total`.",
  "x-conversation-id": "The stored conversation this request was added to: the one the request named, or a new one. Send it back to continue.",
  "x-gateway-upstream": "The target that produced the reply, `<provider>/<model-id>` (e.g. `openai/gpt-4o-mini`, or an agent's fallback after a failover); also on an upstream error's response. Absent only from an agent-mode stream whose failover was still under way when the first keep-alive went out.",
  "retry-after": "Seconds to wait before retrying.",
  "retry-after-ms": "Milliseconds to wait before retrying.",
} as const;

const SAMPLE_LIMITS = rateLimitHeaders({
  requests: { limit: 60, remaining: 59, resetMs: 1000 },
  tokens: { limit: 200_000, remaining: 199_480, resetMs: 156 },
});

function componentHeaders(): Record<string, Json> {
  const headers: Record<string, Json> = {};
  for (const [name, description] of Object.entries(HEADER_DESCRIPTIONS)) {
    headers[name] = { description, schema: { type: "string" } };
  }
  for (const [name, example] of SAMPLE_LIMITS) {
    const [, measure, kind] = /^x-ratelimit-(limit|remaining|reset)-(requests|tokens)$/.exec(name)!;
    headers[name] = {
      description:
        measure === "reset"
          ? `Time until the ${kind} budget is full again, e.g. \`1s\`, \`6m0s\`, \`250ms\`.`
          : `The ${measure === "limit" ? "most" : "remaining"} ${kind} per minute (the tighter of the key's and the tenant's budgets).`,
      schema: { type: "string" },
      example,
    };
  }
  return headers;
}

const headerRefs = (names: string[]) =>
  Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
const EVERY_RESPONSE = ["x-request-id", "server-timing"];
const RATE_LIMITED = SAMPLE_LIMITS.map(([name]) => name);
const RETRY = ["retry-after", "retry-after-ms"];

/** Codes the gateway reports to clients; `internal_error` is a bug and never documented as an answer. */
type DocumentedCode = Exclude<ErrorCode, "internal_error" | "method_not_allowed">;

/** An example of each error, as a client would see it. */
const ERROR_EXAMPLES: Record<DocumentedCode, { summary: string; param: string | null; message: string }> = {
  invalid_json: { summary: "The body is not JSON", param: null, message: "We could not parse the JSON body of your request. Send a valid JSON object." },
  invalid_request: { summary: "A required parameter is missing", param: "messages", message: "Missing required parameter: 'messages'." },
  invalid_value: { summary: "A parameter has a wrong value", param: "temperature", message: "Invalid value for 'temperature': Too big: expected number to be <=2" },
  unsupported_parameter: { summary: "A parameter the gateway does not support", param: "n", message: "Only n = 1 is supported: this gateway returns one choice per request." },
  invalid_api_key: { summary: "A missing, unknown, disabled or expired key", param: null, message: "Incorrect API key provided. Check the key, or ask your administrator for a valid one." },
  model_not_allowed: { summary: "The key may not use this model", param: "model", message: "This API key is not allowed to use the model 'support'." },
  pii_detected: { summary: "Personal data the tenant's policy blocks (categories named, never values)", param: "messages", message: "Your request contains personal data your organization's policy blocks: EMAIL, PHONE." },
  content_policy_violation: { summary: "A term the tenant's policy blocks", param: "messages", message: "Your request contains a term your organization's policy blocks." },
  model_not_found: { summary: "An unknown model, or another tenant's", param: "model", message: "The model 'nope' does not exist or you do not have access to it." },
  conversation_not_found: { summary: "An unknown conversation, another tenant's, or one created with another model id or whose model the key may not call", param: "X-Conversation-Id", message: "No conversation with that id exists, or you do not have access to it." },
  not_found: { summary: "No such route", param: null, message: "Unknown request URL: GET /docs/nothing.js." },
  conversation_busy: { summary: "A reply is still being generated on this conversation", param: "X-Conversation-Id", message: "A response is still being generated on this conversation. Retry when it has finished." },
  request_too_large: { summary: "The body is over the size limit (checked before it is parsed)", param: null, message: "The request body is larger than the limit of 1000000 bytes." },
  rate_limit_exceeded: { summary: "Over the key's or the tenant's requests or tokens per minute", param: null, message: "Rate limit reached for requests on this API key. Retry after 2 s." },
  insufficient_quota: { summary: "The tenant's monthly token budget is spent", param: null, message: "You exceeded your organization's monthly token budget. Ask your administrator to raise it." },
  upstream_error: { summary: "The upstream model failed", param: null, message: "The upstream model provider returned an error (HTTP 500)." },
  upstream_timeout: { summary: "The upstream model did not answer in time", param: null, message: "The upstream model provider did not respond in time." },
};

/** The error responses of an operation, grouped by status, each code with its example. */
function errorResponses(codes: DocumentedCode[]): Record<string, Json> {
  const byStatus = new Map<number, DocumentedCode[]>();
  for (const code of codes) {
    const status = ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, Json> = {};
  for (const [status, group] of byStatus) {
    const retry = status === 409 || status === 429;
    responses[String(status)] = {
      description: group.map((code) => `\`${errorBody({ code, message: "" }).error.code ?? "null"}\`: ${ERROR_EXAMPLES[code].summary}`).join("; "),
      headers: headerRefs([...EVERY_RESPONSE, ...(retry ? RETRY : []), ...(status === 429 ? RATE_LIMITED : [])]),
      content: {
        "application/json": {
          schema: schemaRef("Error"),
          examples: Object.fromEntries(
            group.map((code) => {
              const { summary, ...example } = ERROR_EXAMPLES[code];
              return [code, { summary, value: errorBody({ code, ...example }) }];
            }),
          ),
        },
      },
    };
  }
  return responses;
}

const SAMPLE_IDENTITY = { id: "chatcmpl-5f2c9a1e0b7d4c3a8e6f1d2b", created: 1_767_225_600, model: "support" };
const SAMPLE_USAGE = { promptTokens: 24, completionTokens: 9, totalTokens: 33 };

function sampleStream(): string {
  return [
    sseData(completionChunk(SAMPLE_IDENTITY, { role: "assistant", content: "" }, null, true)),
    sseData(completionChunk(SAMPLE_IDENTITY, { content: "Refunds take" }, null, true)),
    sseData(completionChunk(SAMPLE_IDENTITY, { content: " 5 business days." }, null, true)),
    sseData(completionChunk(SAMPLE_IDENTITY, {}, "stop", true)),
    sseData(usageChunk(SAMPLE_IDENTITY, SAMPLE_USAGE)),
    SSE_DONE,
  ].join("");
}

const REQUEST_EXAMPLES: Record<string, { summary: string; value: ChatCompletionRequest }> = {
  chat: {
    summary: "Ask an agent",
    value: { model: "support", messages: [{ role: "user", content: "How long do refunds take?" }] },
  },
  stream: {
    summary: "Stream the reply, with usage at the end",
    value: {
      model: "support",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "How long do refunds take?" }],
    },
  },
  tools: {
    summary: "Offer a client-side tool",
    value: {
      model: "support",
      messages: [{ role: "user", content: "Where is order 1234?" }],
      tools: [
        {
          type: "function",
          function: {
            name: "order_status",
            description: "Look up an order",
            parameters: { type: "object", properties: { orderId: { type: "string" } }, required: ["orderId"] },
          },
        },
      ],
    },
  },
  json: {
    summary: "Ask for a JSON object",
    value: {
      model: "support",
      response_format: { type: "json_object" },
      messages: [{ role: "user", content: "Give the refund window in days as JSON." }],
    },
  },
};

function chatCompletionsOperation(): Json {
  return {
    post: {
      operationId: "createChatCompletion",
      tags: ["Chat"],
      summary: "Create a chat completion",
      description:
        "OpenAI's Chat Completions, streaming and not. Every request is authenticated, rate limited, scrubbed of personal data per the tenant's policy, checked against the policy, and stored as a conversation.\n\n" +
        "With `stream: true` the reply is `text/event-stream`: one `data: <ChatCompletionChunk>` event per delta, `: keep-alive` comments during silences, and `data: [DONE]` last. An error after the headers were sent arrives as `data: {\"error\": {...}}` and ends the stream.",
      parameters: [{ $ref: "#/components/parameters/ConversationId" }],
      requestBody: {
        required: true,
        content: { "application/json": { schema: schemaRef("CreateChatCompletionRequest"), examples: REQUEST_EXAMPLES } },
      },
      responses: {
        "200": {
          description: "The reply: one `chat.completion`, or with `stream: true` a stream of `chat.completion.chunk` events.",
          headers: headerRefs([...EVERY_RESPONSE, "x-conversation-id", "x-gateway-upstream", ...RATE_LIMITED]),
          content: {
            "application/json": {
              schema: schemaRef("ChatCompletion"),
              example: chatCompletion(SAMPLE_IDENTITY, {
                content: "Refunds take 5 business days.",
                toolCalls: [],
                finishReason: "stop",
                usage: SAMPLE_USAGE,
              }),
            },
            "text/event-stream": {
              schema: {
                type: "string",
                description: "Server-sent events; each `data:` line holds a ChatCompletionChunk as JSON, and the last one is `[DONE]`.",
              },
              "x-event-schema": schemaRef("ChatCompletionChunk"),
              example: sampleStream(),
            },
          },
        },
        ...errorResponses([
          "invalid_json",
          "invalid_request",
          "invalid_value",
          "unsupported_parameter",
          "invalid_api_key",
          "model_not_allowed",
          "pii_detected",
          "content_policy_violation",
          "model_not_found",
          "conversation_not_found",
          "conversation_busy",
          "request_too_large",
          "rate_limit_exceeded",
          "insufficient_quota",
          "upstream_error",
          "upstream_timeout",
        ]),
      },
    },
  };
}

function modelsOperations(): Record<string, Json> {
  const models = [
    { id: "support", created: 1_767_225_600, ownedBy: "acme" },
    { id: "writer", created: 1_767_225_600, ownedBy: "acme" },
  ];
  return {
    "/models": {
      get: {
        operationId: "listModels",
        tags: ["Models"],
        summary: "List the models this key may call",
        description: "The tenant's agents the key may use, and the upstream models the tenant allows for direct use.",
        responses: {
          "200": {
            description: "The models, in OpenAI's list shape.",
            headers: headerRefs([...EVERY_RESPONSE, ...RATE_LIMITED]),
            content: { "application/json": { schema: schemaRef("ModelList"), example: modelList(models) } },
          },
          ...errorResponses(["invalid_api_key", "rate_limit_exceeded"]),
        },
      },
    },
    "/models/{id}": {
      get: {
        operationId: "retrieveModel",
        tags: ["Models"],
        summary: "Retrieve one model",
        description: "Another tenant's model is reported exactly like an unknown one.",
        parameters: [
          {
            name: "id",
            in: "path",
            required: true,
            description: "The model id; it may contain `/`.",
            schema: { type: "string" },
            example: "support",
          },
        ],
        responses: {
          "200": {
            description: "The model.",
            headers: headerRefs([...EVERY_RESPONSE, ...RATE_LIMITED]),
            content: { "application/json": { schema: schemaRef("Model"), example: modelObject(models[0]!) } },
          },
          ...errorResponses(["invalid_api_key", "model_not_found", "rate_limit_exceeded"]),
        },
      },
    },
  };
}

function serviceOperations(): Record<string, Json> {
  const everyResponse = headerRefs(EVERY_RESPONSE);
  return {
    "/health": {
      get: {
        operationId: "health",
        tags: ["Service"],
        summary: "Liveness",
        security: [],
        responses: {
          "200": { description: "The gateway is up.", headers: everyResponse, content: { "application/json": { schema: schemaRef("Health") } } },
        },
      },
    },
    "/openapi.json": {
      get: {
        operationId: "openapi",
        tags: ["Service"],
        summary: "This OpenAPI document",
        security: [],
        responses: {
          "200": {
            description: "The OpenAPI 3.1 document.",
            headers: everyResponse,
            content: { "application/json": { schema: { type: "object" } } },
          },
        },
      },
    },
  };
}

/** The Swagger UI page and its assets live at the site's root, outside the API's base path. */
function docsOperations(): Record<string, Json> {
  const siteRoot = [{ url: "/", description: "The site root" }];
  return {
    "/docs": {
      servers: siteRoot,
      get: {
        operationId: "docsPage",
        tags: ["Service"],
        summary: "This documentation as a Swagger UI page",
        security: [],
        responses: { "200": { description: "The page.", content: { "text/html": { schema: { type: "string" } } } } },
      },
    },
    "/docs/{file}": {
      servers: siteRoot,
      get: {
        operationId: "docsAsset",
        tags: ["Service"],
        summary: "A Swagger UI asset the page loads",
        security: [],
        parameters: [{ name: "file", in: "path", required: true, schema: { type: "string" }, example: "swagger-ui.css" }],
        responses: {
          "200": {
            description: "The asset, from the swagger-ui-dist package.",
            content: { "text/css": { schema: { type: "string" } }, "text/javascript": { schema: { type: "string" } } },
          },
          ...errorResponses(["not_found"]),
        },
      },
    },
  };
}

function buildDocument(): Json {
  return {
    openapi: "3.1.0",
    info: {
      title: "OpenAI-compatible API gateway",
      version: "1.0.0",
      description:
        "Each tenant's agents are exposed as OpenAI model ids. Point any OpenAI client at `<site>/api/v1` and send a tenant API key as a bearer token.\n\n" +
        "Every error is `{\"error\": {\"message\", \"type\", \"param\", \"code\"}}`. Every response carries `x-request-id` and `Server-Timing`; responses to authenticated requests carry the six `x-ratelimit-*` headers; 409 and 429 carry `retry-after` and `retry-after-ms`.\n\n" +
        "Every route answers CORS preflight (`OPTIONS`) for any origin, so browser clients (this page included) can call it.\n\n" +
        "Operators: the admin API under `/api/admin/v1` (tag Admin; the admin key as bearer, scheme `adminKey`) and the dashboard at `/admin`, both enabled by `GATEWAY_ADMIN_KEY`.",
    },
    servers: [{ url: API_BASE_PATH, description: "This gateway" }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: "Chat", description: "Chat completions" },
      { name: "Models", description: "The tenant's agents and allowed upstream models" },
      { name: "Service", description: "Liveness and documentation" },
      ADMIN_TAG,
    ],
    paths: {
      "/chat/completions": chatCompletionsOperation(),
      ...modelsOperations(),
      ...serviceOperations(),
      ...docsOperations(),
      ...adminPaths(),
      ...dashboardPaths(),
    },
    components: {
      schemas: { ...componentSchemas(), ...adminSchemas(), ...adminResultSchemas() },
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "A tenant API key: `Authorization: Bearer sk-...`. A missing, unknown, disabled or expired key gets 401 `invalid_api_key`.",
        },
        adminKey: ADMIN_SECURITY_SCHEME,
      },
      parameters: {
        ConversationId: {
          name: "X-Conversation-Id",
          in: "header",
          required: false,
          description:
            "Continue a stored conversation: the upstream sees its history, then this request's new messages. Without it, a new conversation is created and its id returned in the same header. A conversation belongs to the model id it was created with: an unknown id, another tenant's, one created with another model id, or one whose model the key may not call is 404 `conversation_not_found`; one still generating is 409 `conversation_busy`.",
          schema: { type: "string" },
        },
      },
      headers: componentHeaders(),
    },
  };
}
