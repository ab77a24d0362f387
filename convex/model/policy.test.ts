// The tenant's governance policy through the HTTP API: blocked terms, the output cap, the passthrough
// allowlist and the tenant system prompt; each checked before any upstream call.
import { describe, expect, test } from "vitest";
import { marker, postChat, startGateway } from "../testing/harness.testing";
import { POLICY_KEY, policySeed } from "../testing/seed.testing";
import { upstreamRequests } from "../testing/upstream.testing";

describe("governance policy", () => {
  test("a blocked term, whole word and any case, anywhere in the transcript: 403 content_policy_violation before any upstream call", async () => {
    const t = await startGateway(policySeed({ blockedTerms: ["Project Falcon", "ban"] }));
    for (const text of ["Tell me about PROJECT   falcon.", "ban this", "(Ban)"]) {
      const tag = marker();
      const response = await postChat(
        t,
        { model: "bot", messages: [{ role: "assistant", content: text }, { role: "user", content: tag }] },
        { key: POLICY_KEY },
      );
      expect(response.status).toBe(403);
      expect((await response.json()).error).toMatchObject({ type: "permission_error", code: "content_policy_violation" });
      expect(await upstreamRequests(tag)).toEqual([]);
    }
    expect(await t.run((ctx) => ctx.db.query("conversations").collect())).toEqual([]);
  });

  test("a blocked term disguised with Unicode tricks or JSON escapes, in any message or tool call: 403 before any upstream call", async () => {
    const t = await startGateway(policySeed({ blockedTerms: ["forbidden", "Project Falcon"] }));
    const call = (argumentsText: string) => [
      { role: "assistant", content: null, tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: argumentsText } }] },
      { role: "tool", tool_call_id: "c", content: "ok" },
    ];
    const disguises: unknown[][] = [
      [{ role: "user", content: "ｆｏｒｂｉｄｄｅｎ" }],
      [{ role: "user", content: "for\u200Bbidden" }],
      [{ role: "user", content: "FORBİDDEN" }],
      [{ role: "user", content: "fоrbіddеn" }],
      [{ role: "user", content: "fôrbidden" }],
      [{ role: "user", content: "project\u00A0falcon" }],
      [{ role: "user", content: "x" }, ...call('{"q":"\\u0066orbidden"}')],
      [{ role: "user", content: "x" }, ...call('{"q":"say\\nforbidden"}')],
      [{ role: "user", content: [{ type: "text", text: "f\u00ADorbidden" }] }],
      [{ role: "user", name: "forbidden", content: "x" }],
    ];
    for (const messages of disguises) {
      const tag = marker();
      const response = await postChat(t, { model: "bot", messages: [...messages, { role: "user", content: tag }] }, { key: POLICY_KEY });
      expect(response.status, JSON.stringify(messages)).toBe(403);
      expect((await response.json()).error).toMatchObject({ code: "content_policy_violation" });
      expect(await upstreamRequests(tag)).toEqual([]);
    }
  });

  test("the denial's audit names the term as the policy spells it, never the request's spelling of it", async () => {
    const t = await startGateway(policySeed({ blockedTerms: ["Project Falcon"] }));
    const spellings = ["ＰＲＯＪＥＣＴ   ｆａｌｃｏｎ", "pRoJeCt-FALCON", "proj\u200Bect falcon"];
    for (const spelling of spellings) {
      expect((await postChat(t, { model: "bot", messages: [{ role: "user", content: `about ${spelling} now` }] }, { key: POLICY_KEY })).status).toBe(403);
    }
    const audits = await t.run((ctx) => ctx.db.query("auditEvents").collect());
    const denials = audits.filter((row) => row.code === "content_policy_violation");
    expect(denials.map((row) => row.detail)).toEqual(spellings.map(() => "blocked term: Project Falcon"));
    for (const spelling of spellings) expect(JSON.stringify(audits)).not.toContain(JSON.stringify(spelling).slice(1, -1));
    expect(JSON.stringify(audits)).not.toMatch(/ＰＲＯＪＥＣＴ|pRoJeCt|proj\u200Bect/);
  });

  test("blocked terms do not match inside other words", async () => {
    const t = await startGateway(policySeed({ blockedTerms: ["ban"] }));
    const response = await postChat(t, { model: "bot", messages: [{ role: "user", content: "banana urbanité bandit ｂａｎａｎａ ban\u200Bana ban_list" }] }, { key: POLICY_KEY });
    expect(response.status).toBe(200);
  });

  test("the policy's output cap wins over a larger max_tokens, and reaches the upstream", async () => {
    const t = await startGateway(policySeed({ maxOutputTokens: 5 }));
    const tag = marker();
    const response = await postChat(t, { model: "bot", max_tokens: 500, messages: [{ role: "user", content: `[[words:50]] ${tag}` }] }, { key: POLICY_KEY });
    const body = await response.json();
    expect(body.choices[0].finish_reason).toBe("length");
    const [request] = await upstreamRequests(tag);
    expect((request!.body as { max_tokens: number }).max_tokens).toBe(5);
  });

  test("the tenant system prompt is always first, before the agent's instructions", async () => {
    const t = await startGateway(policySeed({ systemPrompt: "Never discuss competitors." }));
    const tag = marker();
    await (await postChat(t, { model: "bot", messages: [{ role: "user", content: tag }] }, { key: POLICY_KEY })).json();
    const [request] = await upstreamRequests(tag);
    expect((request!.body as { messages: unknown[] }).messages.slice(0, 2)).toEqual([
      { role: "system", content: "Never discuss competitors." },
      { role: "system", content: "You are a test bot." },
    ]);
  });

  test("passthrough: an allowed upstream model is called directly; any other is 404", async () => {
    const t = await startGateway(policySeed({ allowedModels: ["gpt-4.1-mini"] }));
    const tag = marker();
    const allowed = await postChat(t, { model: "gpt-4.1-mini", messages: [{ role: "user", content: tag }] }, { key: POLICY_KEY });
    expect(allowed.status).toBe(200);
    const [request] = await upstreamRequests(tag);
    expect(request!.body).toMatchObject({ model: "gpt-4.1-mini", messages: [{ role: "user", content: tag }] });
    const other = await postChat(t, { model: "gpt-4o", messages: [{ role: "user", content: "x" }] }, { key: POLICY_KEY });
    expect(other.status).toBe(404);
  });

  test("a key limited to some models gets 403 model_not_allowed for the tenant's others", async () => {
    const t = await startGateway(policySeed({ allowedModels: ["gpt-4.1-mini"] }, { agents: ["gpt-4.1-mini"] }));
    const response = await postChat(t, { model: "bot", messages: [{ role: "user", content: "x" }] }, { key: POLICY_KEY });
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatchObject({ type: "permission_error", code: "model_not_allowed", param: "model" });
    expect((await postChat(t, { model: "gpt-4.1-mini", messages: [{ role: "user", content: "x" }] }, { key: POLICY_KEY })).status).toBe(200);
  });
});
