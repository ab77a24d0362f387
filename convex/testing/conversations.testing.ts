// Test support: waiting for a conversation's turn to settle and reading what it stored.
// (Files with two dots are never deployed by Convex.)
import { expect } from "vitest";
import type { Doc, Id } from "../_generated/dataModel";
import type { Gateway } from "./harness.testing";

/** Waits until the turn has settled and the conversation is released (agent runs end on their own), then returns its stored rows. */
export async function settledRows(t: Gateway, conversationId: string): Promise<Doc<"messages">[]> {
  const id = conversationId as Id<"conversations">;
  for (let attempt = 0; attempt < 400; attempt++) {
    const conversation = await t.run((ctx) => ctx.db.get("conversations", id));
    if (conversation?.busySince === null) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect((await t.run((ctx) => ctx.db.get("conversations", id)))?.busySince, "the conversation is released").toBeNull();
  return t.run((ctx) =>
    ctx.db
      .query("messages")
      .withIndex("by_conversationId_and_position", (q) => q.eq("conversationId", id))
      .collect(),
  );
}
