// The official openai npm SDK against the local gateway, asserting on what the fake upstream received.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import OpenAI from "openai";
import type { LocalGateway } from "../local-gateway/gateway";
import { recordedRequests } from "../fake-upstream/client";
import { GLOBEX_KEY, marker, openaiClient, startTestGateway, upstreamUrl } from "./harness";

let gateway: LocalGateway;
let client: OpenAI;

beforeAll(async () => {
  gateway = await startTestGateway();
  client = openaiClient(gateway);
});
afterAll(() => gateway.close());

describe("openai SDK against the local gateway", () => {
  test("models.list returns the tenant's agents and passthrough models", async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids.sort()).toEqual(["gpt-4.1-mini", "support", "writer"]);
  });

  test("models.retrieve returns one model; another tenant's is NotFoundError", async () => {
    expect(await client.models.retrieve("writer")).toMatchObject({ id: "writer", object: "model", owned_by: "acme" });
    await expect(client.models.retrieve("sales")).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    expect((await openaiClient(gateway, GLOBEX_KEY).models.retrieve("sales")).id).toBe("sales");
  });

  test("chat, non-streaming: the reply, and the upstream saw the instructions first and the full history", async () => {
    const tag = marker();
    const completion = await client.chat.completions.create({
      model: "support",
      messages: [
        { role: "user", content: "What is your refund window?" },
        { role: "assistant", content: "30 days." },
        { role: "user", content: `And for shipping? ${tag}` },
      ],
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]!.message.content).toBe(`Hello from the fake upstream. You said: And for shipping? ${tag}`);
    expect(completion.choices[0]!.finish_reason).toBe("stop");

    const [request] = await recordedRequests(upstreamUrl(), tag);
    const body = request!.body as { model: string; messages: Array<{ role: string; content: string }> };
    expect(body.model).toBe("gpt-4o-mini");
    expect(body.messages.map((message) => [message.role, message.content])).toEqual([
      ["system", "You are Acme's support agent."],
      ["user", "What is your refund window?"],
      ["assistant", "30 days."],
      ["user", `And for shipping? ${tag}`],
    ]);
  });

  test("chat, streaming: deltas arrive one by one and reassemble the reply", async () => {
    const tag = marker();
    const stream = await client.chat.completions.create({
      model: "writer",
      stream: true,
      messages: [{ role: "user", content: `[[words:20]] [[trickle:15]] ${tag}` }],
    });
    const arrivals: number[] = [];
    let text = "";
    let finishReason: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) {
        arrivals.push(Date.now());
        text += choice.delta.content;
      }
      if (choice?.finish_reason) finishReason = choice.finish_reason;
    }
    expect(text).toBe(Array.from({ length: 20 }, (_, index) => `word${index + 1}`).join(" "));
    expect(finishReason).toBe("stop");
    // Relayed as produced: with 15 ms between upstream words, the deltas span well over 150 ms.
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(150);
    const [request] = await recordedRequests(upstreamUrl(), tag);
    expect((request!.body as { model: string }).model).toBe("gpt-4o");
  });

  test("errors surface as the SDK's typed errors", async () => {
    const bad = openaiClient(gateway, "sk-not-a-real-key-000000000000");
    await expect(bad.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await expect(
      client.chat.completions.create({ model: "nope", messages: [{ role: "user", content: "x" }] }),
    ).rejects.toMatchObject({ status: 404, code: "model_not_found" });
  });
});
