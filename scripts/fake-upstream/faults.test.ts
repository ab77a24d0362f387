// Drives every [[fault:...]] over real HTTP and checks what a client sees and what the upstream recorded.
import OpenAI, { APIConnectionTimeoutError, APIError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForRecorded } from "./client";
import { startFakeUpstream, type FakeUpstream } from "./server";

let upstream: FakeUpstream;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  client = new OpenAI({ baseURL: upstream.url, apiKey: "x", maxRetries: 0 });
});
afterAll(() => upstream.close());

function post(content: string, stream: boolean, signal?: AbortSignal): Promise<Response> {
  return fetch(`${upstream.url}/chat/completions`, {
    method: "POST",
    headers: { authorization: "Bearer x", "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o-mini", stream, messages: [{ role: "user", content }] }),
    signal,
  });
}

async function errorFor(content: string): Promise<APIError> {
  const error = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content }] }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(APIError);
  return error as APIError;
}

/** Reads SSE events until the stream has been silent for the given time. */
async function eventsUntilSilent(response: Response, silenceMs: number): Promise<string[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  for (;;) {
    const timeout = new Promise<"silent">((resolve) => setTimeout(() => resolve("silent"), silenceMs));
    const next = await Promise.race([reader.read(), timeout]);
    if (next === "silent" || next.done) break;
    text += next.value;
  }
  await reader.cancel();
  return text.split("\n\n").filter((event) => event !== "");
}

describe("status faults", () => {
  it("answers [[fault:500]] with a 500 server_error", async () => {
    const error = await errorFor("[[fault:500]]");
    expect(error.status).toBe(500);
    expect(error.type).toBe("server_error");
  });

  it("answers [[fault:429]] with rate_limit_exceeded and retry-after: 2", async () => {
    const error = await errorFor("[[fault:429]]");
    expect(error.status).toBe(429);
    expect(error.code).toBe("rate_limit_exceeded");
    expect(error.headers?.get("retry-after")).toBe("2");
  });

  it("answers [[fault:401]] with invalid_api_key", async () => {
    const error = await errorFor("[[fault:401]]");
    expect(error.status).toBe(401);
    expect(error.code).toBe("invalid_api_key");
  });
});

describe("connection faults", () => {
  it("never answers [[fault:hang]], and records that the client gave up", async () => {
    const error = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hang-marker-1 [[fault:hang]]" }] }, { timeout: 150 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    const recorded = await waitForRecorded(upstream.url, "hang-marker-1", (request) => request.closedEarly);
    expect(recorded.finishedAt).not.toBeNull();
  });

  it("records closedEarly when a client aborts a streaming reply midway", async () => {
    const controller = new AbortController();
    const response = await post("abort-marker [[words:200]] [[trickle:20]]", true, controller.signal);
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    const recorded = await waitForRecorded(upstream.url, "abort-marker", (request) => request.finishedAt !== null);
    expect(recorded.closedEarly).toBe(true);
  });

  it("goes silent after N chunks on [[fault:hang-after:N]]", async () => {
    const controller = new AbortController();
    const response = await post("hang-after-marker [[fault:hang-after:2]]", true, controller.signal);
    const events = await eventsUntilSilent(response, 150);
    const contents = events.map((event) => JSON.parse(event.slice("data: ".length)).choices[0].delta.content);
    expect(contents).toEqual(["", "Hello ", "from "]);
    controller.abort();
    expect((await waitForRecorded(upstream.url, "hang-after-marker", (request) => request.finishedAt !== null)).closedEarly).toBe(true);
  });

  it("drops the connection mid-stream on [[fault:reset]], without blaming the client", async () => {
    const stream = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "reset-marker [[fault:reset]]" }], stream: true });
    const received: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? "");
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(received.join("")).toBe("Hello from ");
    const recorded = await waitForRecorded(upstream.url, "reset-marker", (request) => request.finishedAt !== null);
    expect(recorded.closedEarly).toBe(false);
  });

  it("drops the connection after headers and part of the body on a non-streaming [[fault:reset]]", async () => {
    const response = await post("[[fault:reset]]", false);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    const error = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "[[fault:reset]]" }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(APIError);
  });
});

describe("broken bodies", () => {
  it("streams valid chunks, then a malformed event and no [DONE] on [[fault:malformed]]", async () => {
    const text = await (await post("[[fault:malformed]]", true)).text();
    const events = text.split("\n\n").filter((event) => event !== "");
    expect(events).toHaveLength(3);
    expect(JSON.parse(events[1]!.slice("data: ".length)).choices[0].delta.content).toBe("Hello ");
    expect(events[2]).toBe("data: {not json");
    // The SDK logs the unparsable event before throwing; keep the test output clean.
    const quietClient = new OpenAI({ baseURL: upstream.url, apiKey: "x", maxRetries: 0, logLevel: "off" });
    const stream = await quietClient.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "[[fault:malformed]]" }], stream: true });
    const contents: string[] = [];
    const reading = (async () => {
      for await (const chunk of stream) contents.push(chunk.choices[0]?.delta.content ?? "");
    })();
    await expect(reading).rejects.toThrow(SyntaxError);
    expect(contents).toEqual(["", "Hello "]);
  });

  it("answers a non-streaming [[fault:malformed]] with a 200 whose body is not JSON", async () => {
    const response = await post("[[fault:malformed]]", false);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("{not json");
  });

  it("answers [[fault:empty]] with a 200 and an empty body", async () => {
    for (const stream of [false, true]) {
      const response = await post("[[fault:empty]]", stream);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("");
    }
  });
});
