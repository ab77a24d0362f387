// PII policy through the HTTP API, asserting on what the fake upstream received: redaction across
// the whole transcript, blocking with the categories named, output scanning, and the audit trail.
import { describe, expect, test } from "vitest";
import { marker, postChat, readSse, startGateway } from "../testing/harness.testing";
import { POLICY_KEY, policySeed } from "../testing/seed.testing";
import { upstreamRequests } from "../testing/upstream.testing";

const EMAIL = "jane.roe@example.com";
const PHONE = "+1 415 555 0134";
const CARD = "4111 1111 1111 1111";
const SECRET = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD";

/** A transcript with PII in every place a message can carry text. */
function transcriptWithPii(tag: string) {
  return [
    { role: "system", content: `Escalate to ${EMAIL}.` },
    { role: "user", content: [{ type: "text", text: `My phone is ${PHONE}.` }] },
    {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "call_1", type: "function", function: { name: "charge", arguments: JSON.stringify({ card: CARD }) } }],
    },
    { role: "tool", tool_call_id: "call_1", content: `Charged; the API key used was ${SECRET}` },
    { role: "user", content: `Thanks ${tag}, mail me at ${EMAIL}` },
  ];
}

describe("PII", () => {
  test("redact: every message, role, content part, tool-call argument and tool result reaches the upstream scrubbed", async () => {
    const t = await startGateway(policySeed({ pii: "redact" }));
    const tag = marker();
    const response = await postChat(t, { model: "bot", messages: transcriptWithPii(tag) }, { key: POLICY_KEY });
    expect(response.status).toBe(200);
    const [request] = await upstreamRequests(tag);
    const sent = JSON.stringify(request!.body);
    for (const value of [EMAIL, PHONE, "4111", SECRET]) expect(sent).not.toContain(value);
    const messages = (request!.body as { messages: Array<Record<string, unknown>> }).messages;
    expect(messages[1]).toEqual({ role: "system", content: "Escalate to [EMAIL]." });
    expect(JSON.stringify(messages[2])).toContain("My phone is [PHONE].");
    expect(JSON.parse((messages[3] as { tool_calls: Array<{ function: { arguments: string } }> }).tool_calls[0]!.function.arguments)).toEqual({
      card: "[CREDIT_CARD]",
    });
    expect(messages[4]).toMatchObject({ role: "tool", content: "Charged; the API key used was [API_KEY]" });
    expect(messages[5]).toMatchObject({ role: "user", content: `Thanks ${tag}, mail me at [EMAIL]` });

    // Stored scrubbed too, and the redaction is audited by category and count only.
    const stored = await t.run((ctx) => ctx.db.query("messages").collect());
    expect(JSON.stringify(stored)).not.toContain(EMAIL);
    const audits = await t.run((ctx) => ctx.db.query("auditEvents").collect());
    const redaction = audits.find((row) => row.event === "pii_redacted")!;
    expect(redaction.piiCounts).toEqual({ email: 2, phone: 1, credit_card: 1, api_key: 1 });
    expect(JSON.stringify(audits)).not.toContain(EMAIL);
  });

  test("redact: stored history from before the policy applies is scrubbed too when the conversation continues", async () => {
    const t = await startGateway(policySeed({ pii: "off" }));
    const first = await postChat(t, { model: "bot", messages: [{ role: "user", content: `I am ${EMAIL}` }] }, { key: POLICY_KEY });
    const conversationId = first.headers.get("x-conversation-id")!;
    await first.json();
    await t.run(async (ctx) => {
      const tenant = (await ctx.db.query("tenants").first())!;
      await ctx.db.patch("tenants", tenant._id, { policy: { ...tenant.policy, pii: "redact" } });
    });
    const tag = marker();
    const second = await postChat(
      t,
      { model: "bot", messages: [{ role: "user", content: `continue ${tag}` }] },
      { key: POLICY_KEY, headers: { "x-conversation-id": conversationId } },
    );
    expect(second.status).toBe(200);
    const [request] = await upstreamRequests(tag);
    expect(JSON.stringify(request!.body)).not.toContain(EMAIL);
    expect(JSON.stringify(request!.body)).toContain("I am [EMAIL]");
  });

  test("block: 403 pii_detected naming the categories, never the values; nothing goes upstream or is stored", async () => {
    const t = await startGateway(policySeed({ pii: "block" }));
    const tag = marker();
    const response = await postChat(t, { model: "bot", messages: transcriptWithPii(tag) }, { key: POLICY_KEY });
    expect(response.status).toBe(403);
    const body = await response.json();
    expect(body.error).toMatchObject({ type: "permission_error", code: "pii_detected" });
    expect(body.error.message).toContain("api_key, credit_card, email, phone");
    for (const value of [EMAIL, PHONE, CARD, SECRET]) expect(JSON.stringify(body)).not.toContain(value);
    expect(await upstreamRequests(tag)).toEqual([]);
    expect(await t.run((ctx) => ctx.db.query("messages").collect())).toEqual([]);
  });

  test("off: text reaches the upstream unchanged", async () => {
    const t = await startGateway(policySeed({ pii: "off" }));
    const tag = marker();
    await (await postChat(t, { model: "bot", messages: [{ role: "user", content: `${tag} ${EMAIL}` }] }, { key: POLICY_KEY })).json();
    const [request] = await upstreamRequests(tag);
    expect(JSON.stringify(request!.body)).toContain(EMAIL);
  });

  for (const mode of ["agent", "client-tool"] as const) {
  test(`output scanning (${mode} mode): PII the model writes is redacted before the client sees it, streamed or not, and in storage`, async () => {
    // Input redaction off, so the reply really holds the values and only output scanning can remove them.
    const t = await startGateway(policySeed({ pii: "off", scanOutput: true }));
    const prompt = "[[reply:Write to ops.lead@example.com or call +1 415 555 0134 today, thanks a lot for waiting.]]";
    // Client-tool mode is chosen by sending tools; the model answers in text all the same.
    const tools = mode === "client-tool" ? { tools: [{ type: "function", function: { name: "noop", parameters: { type: "object" } } }] } : {};
    const plain = await postChat(t, { model: "bot", ...tools, messages: [{ role: "user", content: prompt }] }, { key: POLICY_KEY });
    expect((await plain.json()).choices[0].message.content).toBe("Write to [EMAIL] or call [PHONE] today, thanks a lot for waiting.");
    const streamed = await postChat(t, { model: "bot", ...tools, stream: true, messages: [{ role: "user", content: prompt }] }, { key: POLICY_KEY });
    const { events } = await readSse(streamed);
    const text = (events.slice(0, -1) as Array<{ choices: Array<{ delta: { content?: string } }> }>)
      .map((chunk) => chunk.choices[0]?.delta.content ?? "")
      .join("");
    expect(text).toBe("Write to [EMAIL] or call [PHONE] today, thanks a lot for waiting.");
    const replies = (await t.run((ctx) => ctx.db.query("messages").collect())).filter((row) => row.message.role === "assistant");
    expect(replies).toHaveLength(2);
    expect(JSON.stringify(replies)).not.toContain("ops.lead@example.com");
  });
  }
});
