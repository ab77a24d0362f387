// Admission step: the conversation a request continues (X-Conversation-Id), if any, checked before the
// model is resolved. A conversation belongs to the model id it was created with: an unknown id,
// another tenant's, one created with another model id, or one whose model the key may not call all get
// the same 404 (never the key id: a rotated key keeps its conversations). A conversation with a
// generation still running gets 409. Returns the bounded stored history that goes upstream first, and
// the hash chain of its client-visible transcript (for recognising a full resend).
import type { Doc } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";
import type { GatewayError } from "../../openai/errors";
import { busyError, conversationNotFound, findConversation, loadHistory, type StoredTurn } from "../conversations";
import { keyAllowsModel } from "../keys";

export type LoadedConversation =
  | { ok: true; conversation: Doc<"conversations"> | null; stored: StoredTurn[]; storedChain: string | null }
  | { ok: false; error: GatewayError };

export async function loadConversation(
  ctx: QueryCtx,
  key: Doc<"apiKeys">,
  modelId: string,
  conversationId: string | null,
  now: number,
): Promise<LoadedConversation> {
  if (conversationId === null) return { ok: true, conversation: null, stored: [], storedChain: null };
  const found = await findConversation(ctx, key.tenantId, conversationId, modelId);
  if (!found.ok) return found;
  if (!keyAllowsModel(key, found.conversation.model)) return { ok: false, error: conversationNotFound() };
  const busy = busyError(found.conversation, now);
  if (busy) return { ok: false, error: busy };
  return {
    ok: true,
    conversation: found.conversation,
    stored: await loadHistory(ctx, found.conversation._id),
    storedChain: found.conversation.visibleChain,
  };
}
