// Step 6 of admission, run once every check has passed: the request is recorded. The conversation is
// created (or continued) and marked busy, the new turns are appended, and redactions are audited
// (categories and counts, never values). The request enters the usage ledger when its turn settles.
import type { Doc } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import type { TranscriptMessage } from "../../openai/transcript";
import type { PiiCounts } from "../../pii";
import { appendMessages, createConversation } from "../conversations";
import { hasCounts } from "../transcriptPii";
import { audit } from "../audit";

export interface Turn {
  tenant: Doc<"tenants">;
  key: Doc<"apiKeys">;
  requestId: string;
  modelId: string;
  /** The conversation continued, or null to start one. */
  conversation: Doc<"conversations"> | null;
  newTurns: TranscriptMessage[];
  piiCounts: PiiCounts;
}

export async function storeTurn(ctx: MutationCtx, turn: Turn, now: number): Promise<Doc<"conversations">> {
  const { tenant, key, requestId } = turn;
  const conversation = turn.conversation ?? (await createConversation(ctx, tenant._id, key._id, turn.modelId, now));
  await appendMessages(ctx, conversation, requestId, turn.newTurns, now);
  if (hasCounts(turn.piiCounts)) {
    await audit(ctx, { tenantId: tenant._id, event: "pii_redacted", apiKeyId: key._id, requestId, piiCounts: turn.piiCounts }, now);
  }
  return conversation;
}
