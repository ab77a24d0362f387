// The rules that keep a stored transcript replayable, on their own: pure functions over messages.
import { describe, expect, test } from "vitest";
import { readableMessage, replayableTranscript, type TranscriptMessage } from "./transcript";
import { MAX_JSON_DEPTH } from "./jsonDepth";

const user = (content: string): TranscriptMessage => ({ role: "user", content });
const calls = (...ids: string[]): TranscriptMessage => ({ role: "assistant", content: null, toolCalls: ids.map((id) => ({ id, name: "lookup", arguments: "{}" })) });
const result = (id: string): TranscriptMessage => ({ role: "tool", content: `result ${id}`, toolCallId: id });
const kept = (messages: TranscriptMessage[], editable = messages.length) => replayableTranscript(messages, editable).map(({ message }) => message);

describe("replayableTranscript", () => {
  test("answered calls and their results are kept as they are", () => {
    const messages = [user("q"), calls("a", "b"), result("a"), result("b"), { role: "assistant" as const, content: "done" }];
    expect(kept(messages)).toEqual(messages);
  });

  test("calls a later message left unanswered are dropped; an assistant message left empty goes too", () => {
    expect(kept([user("q"), calls("a", "b"), result("a"), user("next")])).toEqual([user("q"), calls("a"), result("a"), user("next")]);
    expect(kept([user("q"), calls("a"), user("next")])).toEqual([user("q"), user("next")]);
    const withText: TranscriptMessage = { ...calls("a"), content: "let me look" };
    expect(kept([user("q"), withText, user("next")])).toEqual([user("q"), { role: "assistant", content: "let me look" }, user("next")]);
  });

  test("calls at the very end await their results and stay", () => {
    expect(kept([user("q"), calls("a")])).toEqual([user("q"), calls("a")]);
    expect(kept([user("q"), calls("a", "b"), result("a")])).toEqual([user("q"), calls("a", "b"), result("a")]);
  });

  test("tool results that answer no call just before them are dropped", () => {
    expect(kept([user("q"), result("x"), calls("a"), result("a"), user("n"), result("a")])).toEqual([user("q"), calls("a"), result("a"), user("n")]);
  });

  test("only the first `editable` messages (the history) are changed; the request's own are kept", () => {
    const messages = [user("q"), calls("a"), result("a"), result("x")];
    expect(kept(messages, 2)).toEqual(messages);
    // History calls answered by the request's results stay; the request's orphan result is left for the 400.
    expect(replayableTranscript(messages, 2).map(({ index }) => index)).toEqual([0, 1, 2, 3]);
  });
});

describe("readableMessage", () => {
  test("parts that no longer parse are dropped, the text stays", () => {
    expect(readableMessage({ role: "user", content: "look", parts: "{not json" })).toEqual({ role: "user", content: "look" });
    expect(readableMessage({ role: "user", content: "look", parts: '[{"type":"image_url","image_url":{"url":"not a url"}}]' })).toEqual({ role: "user", content: "look" });
  });

  test("arguments that are not a JSON object within the depth limit replay as {}", () => {
    const deep = `${'{"a":'.repeat(MAX_JSON_DEPTH + 1)}1${"}".repeat(MAX_JSON_DEPTH + 1)}`;
    const message: TranscriptMessage = {
      role: "assistant",
      content: null,
      toolCalls: [
        { id: "a", name: "f", arguments: "{bad" },
        { id: "b", name: "f", arguments: deep },
        { id: "c", name: "f", arguments: '{"ok":1}' },
      ],
    };
    expect(readableMessage(message).toolCalls!.map((call) => call.arguments)).toEqual(["{}", "{}", '{"ok":1}']);
  });

  test("a message that passed the door is returned as it is", () => {
    const message: TranscriptMessage = { role: "user", content: "hi", parts: '[{"type":"text","text":"hi"}]' };
    expect(readableMessage(message)).toBe(message);
  });
});
