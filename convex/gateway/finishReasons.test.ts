// The upstream's real finish reason and token usage reach the client, streaming and not; with
// stream_options.include_usage the stream ends with OpenAI's usage chunk, and without it has no usage at all.
import { describe, expect, test } from "vitest";
import { marker, postChat, readSse, startGateway } from "../testing/harness.testing";
import { onlyUpstreamBody, type UpstreamBody } from "../testing/upstream.testing";
import { chunksBeforeDone } from "../testing/stream.testing";
import { MODES } from "../testing/modes.testing";
import { parseChatRequest } from "../../scripts/fake-upstream/request";
import { promptTokens } from "../../scripts/fake-upstream/tokens";

const tools = [{ type: "function", function: { name: "get_time", parameters: { type: "object", properties: {} } } }];

/** The prompt tokens the fake upstream counted for the request it received (it counts words). */
function upstreamPromptTokens(body: UpstreamBody): number {
  const parsed = parseChatRequest(body);
  if (!parsed.success) throw new Error(parsed.message);
  return promptTokens(parsed.request);
}

for (const mode of MODES) {
  describe(`finish_reason is the upstream's (${mode.name})`, () => {
    // [finish reason, extra request fields, prompt directives, expected content]; content is never null here.
    const cases: Array<[string, Record<string, unknown>, string, string]> = [
      ["stop", {}, "[[words:4]]", "word1 word2 word3 word4"],
      ["length", { max_tokens: 3 }, "[[words:10]]", "word1 word2 word3"],
      ["content_filter", {}, "[[words:6]] [[finish:content_filter]]", "word1 word2 word3"],
    ];
    for (const [reason, extra, directives, content] of cases) {
      test(`${reason}, non-streaming`, async () => {
        const t = await startGateway();
        const tag = marker();
        const response = await postChat(t, { model: "writer", ...mode.fields, messages: [{ role: "user", content: `${directives} ${tag}` }], ...extra });
        const choice = (await response.json()).choices[0];
        expect(choice.finish_reason).toBe(reason);
        expect(choice.message.content).toBe(content);
        // The request reached the upstream with the cap that made it stop early (for "length").
        expect(await onlyUpstreamBody(tag)).toMatchObject(extra);
      });

      test(`${reason}, streaming`, async () => {
        const t = await startGateway();
        const tag = marker();
        const response = await postChat(t, { model: "writer", ...mode.fields, stream: true, messages: [{ role: "user", content: `${directives} ${tag}` }], ...extra });
        const chunks = chunksBeforeDone((await readSse(response)).events);
        const finishes = chunks.map((chunk) => chunk.choices[0]?.finish_reason ?? null).filter((finish) => finish !== null);
        expect(finishes).toEqual([reason]);
        expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe(reason);
        const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
        expect(text).toBe(content);
        expect(await onlyUpstreamBody(tag)).toMatchObject(extra);
      });
    }

    test("the finish reason is stored with the reply", async () => {
      const t = await startGateway();
      const response = await postChat(t, { model: "writer", ...mode.fields, max_tokens: 2, messages: [{ role: "user", content: `[[words:5]] ${marker()}` }] });
      const conversationId = response.headers.get("x-conversation-id")!;
      await response.json();
      const stored = await t.run((ctx) =>
        ctx.db
          .query("messages")
          .withIndex("by_conversationId_and_position", (q) => q.eq("conversationId", conversationId as never))
          .collect(),
      );
      expect(stored.at(-1)).toMatchObject({ finishReason: "length", message: { role: "assistant", content: "word1 word2" } });
    });
  });

  describe(`usage carries the upstream's real token counts (${mode.name})`, () => {
    test("non-streaming: prompt, completion and total tokens as the upstream counted them", async () => {
      const t = await startGateway();
      const tag = marker();
      const response = await postChat(t, {
        model: "support",
        ...mode.fields,
        messages: [
          { role: "user", content: "one two three" },
          { role: "assistant", content: "four five" },
          { role: "user", content: `[[words:7]] six ${tag}` },
        ],
      });
      const { usage } = await response.json();
      const prompt = upstreamPromptTokens(await onlyUpstreamBody(tag));
      expect(prompt).toBeGreaterThan(5);
      expect(usage).toEqual({ prompt_tokens: prompt, completion_tokens: 7, total_tokens: prompt + 7 });
    });

    test("the usage is stored with the reply", async () => {
      const t = await startGateway();
      const tag = marker();
      const response = await postChat(t, { model: "writer", ...mode.fields, messages: [{ role: "user", content: `[[words:3]] ${tag}` }] });
      const conversationId = response.headers.get("x-conversation-id")!;
      await response.json();
      const prompt = upstreamPromptTokens(await onlyUpstreamBody(tag));
      const stored = await t.run((ctx) =>
        ctx.db
          .query("messages")
          .withIndex("by_conversationId_and_position", (q) => q.eq("conversationId", conversationId as never))
          .collect(),
      );
      expect(stored.at(-1)!.usage).toEqual({ promptTokens: prompt, completionTokens: 3, totalTokens: prompt + 3 });
    });
  });

  describe(`stream_options.include_usage (${mode.name})`, () => {
    test("every chunk has usage: null, then one last chunk with choices [] and the usage, right before [DONE]", async () => {
      const t = await startGateway();
      const tag = marker();
      const response = await postChat(t, {
        model: "writer",
        ...mode.fields,
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: "user", content: `[[words:5]] ${tag}` }],
      });
      const chunks = chunksBeforeDone((await readSse(response)).events);
      const usageChunk = chunks.at(-1)!;
      const prompt = upstreamPromptTokens(await onlyUpstreamBody(tag));
      expect(usageChunk).toEqual({
        id: chunks[0]!.id,
        object: "chat.completion.chunk",
        created: chunks[0]!.created,
        model: "writer",
        system_fingerprint: null,
        choices: [],
        usage: { prompt_tokens: prompt, completion_tokens: 5, total_tokens: prompt + 5 },
      });
      const others = chunks.slice(0, -1);
      // At least the role chunk, some content and the finish chunk.
      expect(others.length).toBeGreaterThanOrEqual(3);
      for (const chunk of others) {
        expect(chunk).toHaveProperty("usage", null);
        expect(chunk.choices).toHaveLength(1);
      }
      expect(others.at(-1)!.choices[0]!.finish_reason).toBe("stop");
    });

    for (const [name, options] of [
      ["without stream_options", {}],
      ["with include_usage false", { stream_options: { include_usage: false } }],
    ] as const) {
      test(`${name}: no usage chunk and no usage key on any chunk`, async () => {
        const t = await startGateway();
        const tag = marker();
        const response = await postChat(t, { model: "writer", ...mode.fields, stream: true, ...options, messages: [{ role: "user", content: `[[words:3]] ${tag}` }] });
        const chunks = chunksBeforeDone((await readSse(response)).events);
        for (const chunk of chunks) {
          expect(chunk).not.toHaveProperty("usage");
          expect(chunk.choices).toHaveLength(1);
        }
        expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe("stop");
        // The gateway still asks the upstream for usage, to record it.
        expect((await onlyUpstreamBody(tag)).stream_options).toEqual({ include_usage: true });
      });
    }
  });
}

describe("tool calls (client-tool mode)", () => {
  for (const stream of [false, true]) {
    test(`finish_reason tool_calls, ${stream ? "streaming" : "non-streaming"}`, async () => {
      const t = await startGateway();
      const tag = marker();
      const response = await postChat(t, { model: "writer", stream, tools, messages: [{ role: "user", content: `[[call:get_time {}]] ${tag}` }] });
      if (stream) {
        const chunks = chunksBeforeDone((await readSse(response)).events);
        expect(chunks.flatMap((chunk) => chunk.choices[0]?.finish_reason ?? [])).toEqual(["tool_calls"]);
      } else {
        expect((await response.json()).choices[0].finish_reason).toBe("tool_calls");
      }
    });
  }

  test("with tool calls, the usage chunk still comes last and counts the argument tokens", async () => {
    const t = await startGateway();
    const tag = marker();
    const response = await postChat(t, {
      model: "writer",
      stream: true,
      stream_options: { include_usage: true },
      tools,
      messages: [{ role: "user", content: `[[call:get_time {"zone":"UTC"}]] ${tag}` }],
    });
    const chunks = chunksBeforeDone((await readSse(response)).events);
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe("tool_calls");
    // The fake upstream streams the arguments in three slices and counts each as a token.
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 3 } });
  });
});
