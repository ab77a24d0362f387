// Tenant isolation, as a matrix over two tenants: whatever one tenant's key asks about the other's
// models and conversations gets exactly what an unknown id gets; and logs never hold keys or PII.
import { afterEach, describe, expect, test, vi } from "vitest";
import { get, postChat, startGateway } from "../testing/harness.testing";
import { ACME_KEY, GLOBEX_KEY, POLICY_KEY, policySeed } from "../testing/seed.testing";

const tenants = [
  { name: "acme", key: ACME_KEY, own: "support", other: "sales" },
  { name: "globex", key: GLOBEX_KEY, own: "sales", other: "support" },
];

/** Error bodies with the requested id masked, so an unknown id and another tenant's can be compared. */
async function maskedError(response: Response, id: string) {
  return { status: response.status, body: JSON.stringify(await response.json()).replaceAll(id, "<id>") };
}

afterEach(() => vi.restoreAllMocks());

/** What a console would print of a value, own properties included at every depth (errors carry request bodies). */
function everything(value: unknown, depth = 0): string {
  if (typeof value !== "object" || value === null) return String(value);
  if (depth > 6) return "…";
  return `{${Object.getOwnPropertyNames(value)
    .map((name) => `${name}: ${everything((value as Record<string, unknown>)[name], depth + 1)}`)
    .join(", ")}}`;
}

describe("tenant isolation", () => {
  for (const tenant of tenants) {
    test(`${tenant.name}: the other tenant's models are absent from the list and 404 like unknown ids`, async () => {
      const t = await startGateway();
      const list = await (await get(t, "/api/v1/models", tenant.key)).json();
      expect(list.data.map((model: { id: string }) => model.id)).not.toContain(tenant.other);
      expect(await maskedError(await get(t, `/api/v1/models/${tenant.other}`, tenant.key), tenant.other)).toEqual(
        await maskedError(await get(t, "/api/v1/models/never-existed", tenant.key), "never-existed"),
      );
    });

    test(`${tenant.name}: chat with the other tenant's agent is 404 like an unknown model`, async () => {
      const t = await startGateway();
      const send = (model: string) => postChat(t, { model, messages: [{ role: "user", content: "hi" }] }, { key: tenant.key });
      expect(await maskedError(await send(tenant.other), tenant.other)).toEqual(await maskedError(await send("never-existed"), "never-existed"));
    });

    test(`${tenant.name}: the other tenant's conversation id is 404 like an unknown one, and the conversation is untouched`, async () => {
      const t = await startGateway();
      const otherKey = tenants.find((entry) => entry !== tenant)!;
      const theirs = await postChat(t, { model: otherKey.own, messages: [{ role: "user", content: "private" }] }, { key: otherKey.key });
      const theirId = theirs.headers.get("x-conversation-id")!;
      await theirs.json();
      const mine = await postChat(t, { model: tenant.own, messages: [{ role: "user", content: "hi" }] }, { key: tenant.key });
      const myId = mine.headers.get("x-conversation-id")!;
      await mine.json();
      // A well-formed id of a conversation that no longer exists.
      await t.run((ctx) => ctx.db.delete("conversations", myId as never));
      const send = (conversationId: string) =>
        postChat(t, { model: tenant.own, messages: [{ role: "user", content: "hi" }] }, { key: tenant.key, headers: { "x-conversation-id": conversationId } });
      const other = await maskedError(await send(theirId), theirId);
      expect(other).toEqual(await maskedError(await send(myId), myId));
      expect(other.status).toBe(404);
      expect(other.body).toContain("conversation_not_found");
      const stored = await t.run((ctx) =>
        ctx.db
          .query("messages")
          .withIndex("by_conversationId_and_position", (q) => q.eq("conversationId", theirId as never))
          .collect(),
      );
      expect(stored).toHaveLength(2);
    });
  }

  test("logs of requests full of PII and keys hold neither, even with PII redaction off and upstream failures", async () => {
    const lines: string[] = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map((arg) => everything(arg)).join(" ")));
    }
    // With redaction off the prompt reaches the upstream as sent, so only the gateway's own care keeps it out of logs.
    const t = await startGateway(policySeed({ pii: "off" }));
    const pii = ["dana.lee@example.com", "+1 415 555 0134", "4111 1111 1111 1111", "123-45-6789"];
    const send = (body: unknown, key = POLICY_KEY) => postChat(t, body, { key }).then((response) => response.text());
    await send({ model: "bot", messages: [{ role: "user", content: `Contact ${pii.join(", ")}` }] });
    await send({ model: "bot", messages: [{ role: "user", content: pii.join(" ") }] }, "sk-wrong-key-0000000000000000000");
    await send("{broken json " + pii.join(" "));
    // Upstream failures in both modes: the AI SDK's errors carry the whole request body.
    await send({ model: "bot", messages: [{ role: "user", content: `[[fault:500]] ${pii.join(" ")}` }] });
    await send({
      model: "bot",
      tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }],
      messages: [{ role: "user", content: `[[fault:500]] ${pii.join(" ")}` }],
    });
    const logged = lines.join("\n");
    for (const value of [...pii, POLICY_KEY, "sk-wrong-key-0000000000000000000"]) expect(logged).not.toContain(value);
  });
});
