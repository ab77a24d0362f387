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

  test("redact: values behind JSON escapes in tool-call arguments, tool results, content parts and names are removed; stored JSON stays valid and the conversation continues", async () => {
    const t = await startGateway(policySeed({ pii: "redact" }));
    const tag = marker();
    // Each value hides behind a different escape, as a client's JSON serialiser may write it.
    const callArguments = '{"note":"contact:\\njohn.doe@example.com","card":"\\n4111 1111 1111 1111","ssn":"\\t123-45-6789","alt":"jane\\u0040example.com","q":"\\"x@example.org\\"","emoji":"\\ud83d\\ude00 +1 415 555 0134\\r"}';
    const toolResult = '{"owner":"ops\\u0040example.com","nested":"{\\"mail\\":\\"a\\\\u0040example.net\\"}"}';
    const messages = [
      { role: "user", name: "pat.doe@example.com", content: [{ type: "text", text: `look up ${tag}` }] },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: callArguments } }] },
      { role: "tool", tool_call_id: "call_1", content: toolResult },
      { role: "user", content: [{ type: "text", text: '{"contact":"kim\\u0040example.com"}' }, { type: "image_url", image_url: { url: "https://example.com/a.png" } }] },
    ];
    const first = await postChat(t, { model: "bot", messages }, { key: POLICY_KEY });
    expect(first.status).toBe(200);
    await first.json();
    const secrets = ["john.doe@example.com", "4111 1111 1111 1111", "123-45-6789", "jane", "x@example.org", "415 555", "ops", "a@example.net", "kim", "pat.doe"];

    const [request] = await upstreamRequests(tag);
    const sent = (request!.body as { messages: Array<{ role: string; content?: unknown; tool_calls?: Array<{ function: { arguments: string } }> }> }).messages;
    const sentArguments = sent.find((message) => message.tool_calls)!.tool_calls![0]!.function.arguments;
    expect(JSON.parse(sentArguments)).toEqual({
      note: "contact:\n[EMAIL]",
      card: "\n[CREDIT_CARD]",
      ssn: "\t[SSN]",
      alt: "[EMAIL]",
      q: '"[EMAIL]"',
      emoji: "\u{1F600} [PHONE]\r",
    });
    expect(JSON.parse(sent.find((message) => message.role === "tool")!.content as string)).toEqual({ owner: "[EMAIL]", nested: '{"mail":"[EMAIL]"}' });
    const decodedSent = JSON.stringify(sent.map((message) => ({ ...message, tool_calls: message.tool_calls?.map((call) => JSON.parse(call.function.arguments) as unknown) })));
    for (const secret of secrets) expect(decodedSent).not.toContain(secret);
    expect(JSON.stringify(request!.body)).not.toMatch(/u0040|4111/);

    const stored = await t.run((ctx) => ctx.db.query("messages").collect());
    for (const row of stored) for (const call of row.message.toolCalls ?? []) expect(() => JSON.parse(call.arguments) as unknown).not.toThrow();
    expect(stored.find((row) => row.message.name !== undefined)!.message.name).toBe("[EMAIL]");
    const storedText = JSON.stringify(stored);
    for (const secret of [...secrets, "u0040"]) expect(storedText).not.toContain(secret);

    // The next turn on the stored conversation works: nothing stored was made invalid.
    const nextTag = marker();
    const second = await postChat(
      t,
      { model: "bot", messages: [{ role: "user", content: `and now ${nextTag}` }] },
      { key: POLICY_KEY, headers: { "x-conversation-id": first.headers.get("x-conversation-id")! } },
    );
    expect(second.status).toBe(200);
    const [next] = await upstreamRequests(nextTag);
    const nextArguments = (next!.body as { messages: Array<{ tool_calls?: Array<{ function: { arguments: string } }> }> }).messages.find((message) => message.tool_calls)!;
    expect(JSON.parse(nextArguments.tool_calls![0]!.function.arguments)).toMatchObject({ note: "contact:\n[EMAIL]" });
  });

  test("block: a value behind a JSON escape is found and blocks the request", async () => {
    const t = await startGateway(policySeed({ pii: "block" }));
    const tag = marker();
    const messages = [
      { role: "user", content: tag },
      { role: "assistant", content: null, tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: '{"to":"jane\\u0040example.com"}' } }] },
      { role: "tool", tool_call_id: "c", content: "ok" },
    ];
    const response = await postChat(t, { model: "bot", messages }, { key: POLICY_KEY });
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatchObject({ code: "pii_detected" });
    expect(await upstreamRequests(tag)).toEqual([]);
  });

  for (const stream of [false, true]) {
    test(`output scanning (${stream ? "streamed" : "JSON"}): the model's tool-call arguments reach the client and the store redacted, as valid JSON`, async () => {
      const t = await startGateway(policySeed({ pii: "off", scanOutput: true }));
      const callArguments = JSON.stringify({ to: "contact:\nops.lead@example.com", card: "4111 1111 1111 1111", note: "ssn\t123-45-6789" });
      const tools = [{ type: "function", function: { name: "send", parameters: { type: "object" } } }];
      const response = await postChat(t, { model: "bot", tools, stream, messages: [{ role: "user", content: `[[call:send ${callArguments}]]` }] }, { key: POLICY_KEY });
      expect(response.status).toBe(200);
      let received: string;
      if (stream) {
        const { events } = await readSse(response);
        const deltas = (events.slice(0, -1) as Array<{ choices: Array<{ delta: { tool_calls?: Array<{ function?: { arguments?: string } }> } }> }>).flatMap(
          (chunk) => chunk.choices[0]?.delta.tool_calls ?? [],
        );
        received = deltas.map((delta) => delta.function?.arguments ?? "").join("");
      } else {
        received = (await response.json()).choices[0].message.tool_calls[0].function.arguments;
      }
      const expected = { to: "contact:\n[EMAIL]", card: "[CREDIT_CARD]", note: "ssn\t[SSN]" };
      expect(JSON.parse(received)).toEqual(expected);
      const stored = (await t.run((ctx) => ctx.db.query("messages").collect())).find((row) => row.message.role === "assistant")!;
      expect(JSON.parse(stored.message.toolCalls![0]!.arguments)).toEqual(expected);
      expect(JSON.stringify(stored)).not.toMatch(/ops\.lead|4111|6789/);
    });
  }

  for (const mode of ["client-tool", "agent"] as const) {
    test(`output scanning (${mode} mode): values behind JSON escapes in the model's text are redacted, streamed or not, and stored so`, async () => {
      const t = await startGateway(policySeed({ pii: "off", scanOutput: true }));
      const reply = 'Saved {"card":"\\n4111 1111 1111 1111","to":"jane.doe\\u0040example.com"} for you, as requested, with nothing else to add.';
      const expected = 'Saved {"card":"\\n[CREDIT_CARD]","to":"[EMAIL]"} for you, as requested, with nothing else to add.';
      const tools = mode === "agent" ? {} : { tools: [{ type: "function", function: { name: "noop", parameters: { type: "object" } } }] };
      const plain = await postChat(t, { model: "bot", ...tools, messages: [{ role: "user", content: `[[reply:${reply}]]` }] }, { key: POLICY_KEY });
      expect((await plain.json()).choices[0].message.content).toBe(expected);
      const streamed = await postChat(t, { model: "bot", ...tools, stream: true, messages: [{ role: "user", content: `[[reply:${reply}]]` }] }, { key: POLICY_KEY });
      const { events } = await readSse(streamed);
      const text = (events.slice(0, -1) as Array<{ choices: Array<{ delta: { content?: string } }> }>).map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
      expect(text).toBe(expected);
      const replies = (await t.run((ctx) => ctx.db.query("messages").collect())).filter((row) => row.message.role === "assistant");
      expect(replies.map((row) => row.message.content)).toEqual([expected, expected]);
    });
  }

  const KEY_LINES = [
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
    "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
    "LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo",
  ];
  const PEM_LAYOUTS: Record<string, string> = {
    "indented inside YAML": `tls:\n  key: |\n    -----BEGIN RSA PRIVATE KEY-----\n${KEY_LINES.map((line) => `    ${line}`).join("\n")}\n    -----END RSA PRIVATE KEY-----\n  cert: none`,
    "encrypted, with Proc-Type and DEK-Info": `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F2D1A0B9C8E7F6A5B4C3D2E1F0A9B8C\n\n${KEY_LINES.join("\n")}\n-----END RSA PRIVATE KEY-----\nKeep it safe.`,
    "as string literals in code": `const key =\n${["-----BEGIN RSA PRIVATE KEY-----", ...KEY_LINES, "-----END RSA PRIVATE KEY-----"].map((line) => `  "${line}\\n" +`).join("\n")}\n  "";`,
  };
  for (const [layout, reply] of Object.entries(PEM_LAYOUTS)) {
    test(`output scanning: a private key ${layout} never reaches a streaming client, in agent and client-tool mode`, async () => {
      const t = await startGateway(policySeed({ pii: "off", scanOutput: true }));
      for (const tools of [{}, { tools: [{ type: "function", function: { name: "noop", parameters: { type: "object" } } }] }]) {
        const streamed = await postChat(t, { model: "bot", ...tools, stream: true, messages: [{ role: "user", content: `[[reply:${reply}]]` }] }, { key: POLICY_KEY });
        const { events } = await readSse(streamed);
        const text = (events.slice(0, -1) as Array<{ choices: Array<{ delta: { content?: string } }> }>).map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
        expect(text).toContain("[API_KEY]");
        for (const secret of [...KEY_LINES, "ENCRYPTED", "AES-128-CBC"]) expect(text).not.toContain(secret);
      }
      // The prompt is stored as sent (input redaction is off); the replies are stored redacted.
      const replies = (await t.run((ctx) => ctx.db.query("messages").collect())).filter((row) => row.message.role === "assistant");
      expect(replies).toHaveLength(2);
      for (const secret of KEY_LINES) expect(JSON.stringify(replies)).not.toContain(secret);
    });
  }
});
