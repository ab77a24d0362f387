// Ids never repeat across restarts: a conversation id from one boot of the local gateway is unknown to
// the next, which hands out different ids, in the form normalizeId accepts.
import { expect, test } from "vitest";
import { ACME_KEY } from "../e2e/harness";
import { TEST_SEED } from "../../convex/testing/seed.testing";
import { randomFirstIdNumber } from "./documentIds";
import { startLocalGateway, type LocalGateway } from "./gateway";

async function chat(gateway: LocalGateway, conversationId?: string): Promise<Response> {
  return fetch(`${gateway.baseUrl}/chat/completions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${ACME_KEY}`,
      "content-type": "application/json",
      ...(conversationId ? { "x-conversation-id": conversationId } : {}),
    },
    body: JSON.stringify({ model: "support", messages: [{ role: "user", content: "hello" }] }),
  });
}

async function boot(): Promise<LocalGateway> {
  return startLocalGateway({ port: 0, seed: JSON.stringify(TEST_SEED) });
}

test("a conversation id from a previous boot is unknown to the next, which hands out other ids", async () => {
  const first = await boot();
  let firstIds: string[];
  let oldConversation: string;
  try {
    const response = await chat(first);
    expect(response.status).toBe(200);
    await response.json();
    oldConversation = response.headers.get("x-conversation-id")!;
    expect(oldConversation).toMatch(/^0*[1-9]\d{15}conversations$/);
    // The old conversation continues on the boot that made it.
    const again = await chat(first, oldConversation);
    expect(again.status).toBe(200);
    await again.json();
    firstIds = await first.convex.run(async (ctx) => (await ctx.db.query("conversations").collect()).map((doc) => doc._id));
  } finally {
    await first.close();
  }

  const second = await boot();
  try {
    const stale = await chat(second, oldConversation);
    expect(stale.status).toBe(404);
    expect((await stale.json()).error.code).toBe("conversation_not_found");

    const fresh = await chat(second);
    expect(fresh.status).toBe(200);
    await fresh.json();
    const newConversation = fresh.headers.get("x-conversation-id")!;
    expect(newConversation).not.toBe(oldConversation);
    // The new id is a real id of this store: it continues, and the stored documents share no id with the first boot's.
    const continued = await chat(second, newConversation);
    expect(continued.status).toBe(200);
    await continued.json();
    const secondIds = await second.convex.run(async (ctx) => (await ctx.db.query("conversations").collect()).map((doc) => doc._id));
    expect(secondIds).toEqual([newConversation]);
    expect(firstIds).toEqual([oldConversation]);
    const tenants = await second.convex.run(async (ctx) => (await ctx.db.query("tenants").collect()).map((doc) => doc._id));
    expect(tenants.every((id) => /^0*[1-9]\d{15}tenants$/.test(id))).toBe(true);
  } finally {
    await second.close();
  }
});

test("first id numbers are 16-digit safe integers that differ from draw to draw", () => {
  const draws = Array.from({ length: 1000 }, randomFirstIdNumber);
  expect(draws.every((value) => Number.isSafeInteger(value) && value >= 1e15 && value < 8e15)).toBe(true);
  expect(new Set(draws).size).toBe(draws.length);
});
