// Conversations and their stored transcript: loading the history, recognising turns a client resends,
// appending new turns, and the busy flag that keeps two generations off one conversation.
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import type { GatewayError } from "../openai/errors";
import type { TranscriptMessage } from "../openai/transcript";

/** The most recent stored messages sent upstream; older ones stay stored but are not replayed. */
export const MAX_HISTORY_MESSAGES = 1000;
/** A generation still marked running after this long is taken to have died with its request. */
export const BUSY_EXPIRY_MS = 10 * 60 * 1000;
/** How long a client is told to wait before retrying a busy conversation. */
const BUSY_RETRY_AFTER_MS = 1000;

const NOT_FOUND: GatewayError = {
  code: "conversation_not_found",
  param: "X-Conversation-Id",
  message: "No conversation with that id exists, or you do not have access to it.",
};

/** Finds a conversation by the client-supplied id; another tenant's id is reported exactly like an unknown one. */
export async function findConversation(
  ctx: QueryCtx,
  tenantId: Id<"tenants">,
  rawId: string,
): Promise<{ ok: true; conversation: Doc<"conversations"> } | { ok: false; error: GatewayError }> {
  const id = ctx.db.normalizeId("conversations", rawId);
  const conversation = id === null ? null : await ctx.db.get("conversations", id);
  if (conversation === null || conversation.tenantId !== tenantId) return { ok: false, error: NOT_FOUND };
  return { ok: true, conversation };
}

export function busyError(conversation: Doc<"conversations">, now: number): GatewayError | null {
  if (conversation.busySince === null || now - conversation.busySince >= BUSY_EXPIRY_MS) return null;
  return {
    code: "conversation_busy",
    param: "X-Conversation-Id",
    message: "A response is still being generated on this conversation. Retry when it has finished.",
    retryAfterMs: BUSY_RETRY_AFTER_MS,
  };
}

/** A stored message, and whether it is a server-side tool step the client never saw. */
export interface StoredTurn {
  message: TranscriptMessage;
  serverStep: boolean;
}

export async function loadHistory(ctx: QueryCtx, conversationId: Id<"conversations">): Promise<StoredTurn[]> {
  const newestFirst = await ctx.db
    .query("messages")
    .withIndex("by_conversationId_and_position", (q) => q.eq("conversationId", conversationId))
    .order("desc")
    .take(MAX_HISTORY_MESSAGES);
  return newestFirst.reverse().map((row) => ({ message: row.message, serverStep: row.serverStep === true }));
}

/**
 * How many of the incoming messages repeat the end of the stored transcript as the client saw it
 * (without server tool steps). OpenAI clients resend the whole history on every turn; those resent
 * turns must be neither stored twice nor sent upstream twice. Returns the largest k such that the
 * first k incoming messages equal the last k client-visible stored ones.
 */
export function resentPrefixLength(stored: TranscriptMessage[], incoming: TranscriptMessage[]): number {
  const storedKeys = stored.map(messageKey);
  const incomingKeys = incoming.map(messageKey);
  for (let k = Math.min(storedKeys.length, incomingKeys.length); k > 0; k--) {
    const offset = storedKeys.length - k;
    let matches = true;
    for (let i = 0; i < k && matches; i++) matches = storedKeys[offset + i] === incomingKeys[i];
    if (matches) return k;
  }
  return 0;
}

/** Equality for resent turns: what the model sees of a message, not incidental fields. */
function messageKey(message: TranscriptMessage): string {
  return JSON.stringify([
    message.role === "developer" ? "system" : message.role,
    message.content ?? "",
    message.parts ?? null,
    (message.toolCalls ?? []).map((call) => [call.id, call.name, call.arguments]),
    message.toolCallId ?? null,
  ]);
}

export async function createConversation(
  ctx: MutationCtx,
  tenantId: Id<"tenants">,
  apiKeyId: Id<"apiKeys">,
  model: string,
  now: number,
): Promise<Doc<"conversations">> {
  const id = await ctx.db.insert("conversations", { tenantId, apiKeyId, model, messageCount: 0, busySince: now, updatedAt: now });
  return (await ctx.db.get("conversations", id))!;
}

/** Stores the request's new turns and marks the conversation busy until `finish`. */
export async function appendMessages(
  ctx: MutationCtx,
  conversation: Doc<"conversations">,
  requestId: string,
  messages: TranscriptMessage[],
  now: number,
  options: { serverStep?: boolean } = {},
): Promise<void> {
  let position = conversation.messageCount;
  for (const message of messages) {
    await ctx.db.insert("messages", {
      conversationId: conversation._id,
      position: position++,
      message,
      requestId,
      status: "complete",
      ...(options.serverStep ? { serverStep: true } : {}),
    });
  }
  await ctx.db.patch("conversations", conversation._id, { messageCount: position, busySince: now, updatedAt: now });
}
