// Step 4 of admission: the conversation a request continues (X-Conversation-Id), if any. Unknown ids
// and other tenants' ids get the same 404; a conversation with a generation still running gets 409.
// Returns the stored turns that go upstream before the request's own messages.
import type { Doc, Id } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";
import type { GatewayError } from "../../openai/errors";
import { busyError, findConversation, loadHistory, type StoredTurn } from "../conversations";

export type LoadedConversation =
  | { ok: true; conversation: Doc<"conversations"> | null; stored: StoredTurn[] }
  | { ok: false; error: GatewayError };

export async function loadConversation(
  ctx: QueryCtx,
  tenantId: Id<"tenants">,
  conversationId: string | null,
  now: number,
): Promise<LoadedConversation> {
  if (conversationId === null) return { ok: true, conversation: null, stored: [] };
  const found = await findConversation(ctx, tenantId, conversationId);
  if (!found.ok) return found;
  const busy = busyError(found.conversation, now);
  if (busy) return { ok: false, error: busy };
  return { ok: true, conversation: found.conversation, stored: await loadHistory(ctx, found.conversation._id) };
}
