// The governance step on its own: pure, over a policy, stored turns and the request's messages.
import { describe, expect, test } from "vitest";
import type { Policy } from "../validators";
import type { TranscriptMessage } from "../../openai/transcript";
import { govern } from "./govern";

const POLICY: Policy = {
  pii: "redact",
  requestsPerMinute: 60,
  tokensPerMinute: 100_000,
  monthlyTokenBudget: null,
  blockedTerms: [],
  maxOutputTokens: null,
  allowedModels: [],
  systemPrompt: null,
  scanOutput: false,
};
const user = (content: string): TranscriptMessage => ({ role: "user", content });
const assistant = (content: string): TranscriptMessage => ({ role: "assistant", content });
const stored = (message: TranscriptMessage, serverStep = false) => ({ message, serverStep });

describe("govern", async () => {
  test("a blocked term anywhere, stored or new, denies with the term named only in the audit detail", async () => {
    const result = govern({ ...POLICY, blockedTerms: ["falcon"] }, [stored(assistant("about Falcon"))], [user("hi")]);
    expect(result).toMatchObject({ ok: false, error: { code: "content_policy_violation", param: "messages" } });
    expect(result.ok === false && result.error.message).not.toMatch(/falcon/i);
    expect(result.ok === false && result.detail).toMatch(/falcon/i);
  });

  test("redact mode scrubs history and new turns, and counts only the new turns' values", async () => {
    const result = govern(POLICY, [stored(user("mail a@example.com"))], [user("mine is b@example.com")]);
    expect(result).toMatchObject({
      ok: true,
      transcript: [user("mail [EMAIL]"), user("mine is [EMAIL]")],
      newTurns: [user("mine is [EMAIL]")],
      counts: { email: 1 },
    });
  });

  test("block mode refuses PII in history too, naming categories and never values", async () => {
    const result = govern({ ...POLICY, pii: "block" }, [stored(user("call +1 415 555 0100"))], [user("hello")]);
    expect(result).toMatchObject({ ok: false, error: { code: "pii_detected" } });
    expect(result.ok === false && result.error.message).not.toContain("555");
  });

  test("resent turns are recognised and dropped from the new turns; server steps are skipped when matching", async () => {
    const history = [stored(user("q1")), stored(assistant("tool step"), true), stored(assistant("a1"))];
    const result = govern({ ...POLICY, pii: "off" }, history, [user("q1"), assistant("a1"), user("q2")]);
    expect(result).toMatchObject({ ok: true, newTurns: [user("q2")] });
    expect(result.ok && result.transcript.map((message) => message.content)).toEqual(["q1", "tool step", "a1", "q2"]);
  });

  test("a tool result that answers no call is a 400 naming messages", async () => {
    const result = govern(POLICY, [], [{ role: "tool", content: "42", toolCallId: "call_x" }]);
    expect(result).toMatchObject({ ok: false, error: { code: "invalid_value", param: "messages" } });
  });
});
