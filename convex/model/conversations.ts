// Conversations and their stored transcript: loading the bounded history that is replayed upstream,
// recognising turns a client resends, appending turns and replies, and the busy flag that keeps two
// generations off one conversation. The rules are documented in docs/architecture.md ("Conversations").
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import type { GatewayError } from "../openai/errors";
import type { FinishReason } from "../openai/finishReason";
import type { Usage } from "../openai/usage";
import { readableMessage, replayableTranscript, type TranscriptMessage } from "../openai/transcript";
import { sha256Hex } from "./keys";

/** At most this many stored messages are read (and replayed) per turn. */
export const MAX_HISTORY_MESSAGES = 1000;
/**
 * At most this many stored bytes are replayed per turn: 4 MiB, about a million tokens, beyond any
 * model's context. With one partly covered message (at most MAX_MESSAGE_BYTES) and the pinned system
 * messages, a turn reads at most about 5.1 MiB of history, far below Convex's 16 MiB per transaction.
 */
export const MAX_HISTORY_BYTES = 4 * 1024 * 1024;
/** The conversation's leading system/developer messages stay pinned when they lie in its first 64 KiB. */
export const MAX_PINNED_BYTES = 64 * 1024;
const MAX_PINNED_MESSAGES = 8;
/**
 * One stored message's size (UTF-8 bytes of its JSON) may not exceed this, so that each message with
 * its bookkeeping fits one Convex document (1 MiB). Requests with a larger message get a 400.
 */
export const MAX_MESSAGE_BYTES = 1_000_000;
/** A generation still marked running after this long is taken to have died with its request. */
export const BUSY_EXPIRY_MS = 10 * 60 * 1000;
/** How long a client is told to wait before retrying a busy conversation. */
const BUSY_RETRY_AFTER_MS = 1000;

const NOT_FOUND: GatewayError = {
  code: "conversation_not_found",
  param: "X-Conversation-Id",
  message: "No conversation with that id exists, or you do not have access to it.",
};

/**
 * Finds a conversation by the client-supplied id. Another tenant's id, and a conversation bound to
 * another model id than the request names, are reported exactly like an unknown id.
 */
export async function findConversation(
  ctx: QueryCtx,
  tenantId: Id<"tenants">,
  rawId: string,
  modelId: string,
): Promise<{ ok: true; conversation: Doc<"conversations"> } | { ok: false; error: GatewayError }> {
  const id = ctx.db.normalizeId("conversations", rawId);
  const conversation = id === null ? null : await ctx.db.get("conversations", id);
  if (conversation === null || conversation.tenantId !== tenantId || conversation.model !== modelId) return { ok: false, error: NOT_FOUND };
  return { ok: true, conversation };
}

export function conversationNotFound(): GatewayError {
  return NOT_FOUND;
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

/**
 * The history replayed upstream, read within a bound in count and in bytes however long the
 * conversation: its leading system/developer messages (if within its first MAX_PINNED_BYTES), then
 * the newest messages that fit in MAX_HISTORY_BYTES and MAX_HISTORY_MESSAGES, starting at a user or
 * system message when older ones were left out. Failed replies (status error or timeout) stay stored
 * but are never replayed; tool calls a later turn abandoned, and tool results that answer no call in
 * the replayed history, are left out too, so a stored conversation always converts.
 */
export async function loadHistory(ctx: QueryCtx, conversationId: Id<"conversations">): Promise<StoredTurn[]> {
  const conversation = await ctx.db.get("conversations", conversationId);
  if (conversation === null) return [];
  const messages = () => ctx.db.query("messages");

  const head = await messages()
    .withIndex("by_conversationId_and_endOffset", (q) => q.eq("conversationId", conversationId).lte("endOffset", MAX_PINNED_BYTES))
    .take(MAX_PINNED_MESSAGES);
  const pinned: Doc<"messages">[] = [];
  for (const row of head) {
    if (row.position !== pinned.length || (row.message.role !== "system" && row.message.role !== "developer")) break;
    if (row.status === "complete") pinned.push(row);
  }
  const pinnedEnd = pinned.length > 0 ? pinned[pinned.length - 1]!.endOffset : 0;
  const pinnedBytes = pinned.reduce((sum, row) => sum + row.bytes, 0);
  const windowStart = Math.max(pinnedEnd, conversation.byteCount - (MAX_HISTORY_BYTES - pinnedBytes));

  const newestFirst = await messages()
    .withIndex("by_conversationId_and_endOffset", (q) => q.eq("conversationId", conversationId).gt("endOffset", windowStart))
    .order("desc")
    .take(MAX_HISTORY_MESSAGES - pinned.length);
  // The oldest message read may start before the window: it does not fit, so it is left out.
  const window = newestFirst.reverse().filter((row) => row.endOffset - row.bytes >= windowStart);
  const firstPosition = pinned.length > 0 ? pinned[pinned.length - 1]!.position + 1 : 0;
  let replayed = window.filter((row) => row.status === "complete");
  if (window.length > 0 && window[0]!.position > firstPosition) {
    const start = replayed.findIndex((row) => row.message.role !== "assistant" && row.message.role !== "tool");
    replayed = start === -1 ? [] : replayed.slice(start);
  }
  const rows = [...pinned, ...replayed];
  const replayable = replayableTranscript(rows.map((row) => readableMessage(row.message)), rows.length);
  return replayable.map(({ index, message }) => ({ message, serverStep: rows[index]!.serverStep === true }));
}

/**
 * How many of the incoming messages repeat the stored transcript as the client saw it (without
 * server tool steps or failed replies). OpenAI clients resend the whole history on every turn; those
 * resent turns must be neither stored twice nor sent upstream twice. The largest k such that the
 * first k incoming messages are the whole client-visible transcript (recognised by its hash chain, in
 * one read however long the conversation) or the last k client-visible messages of the loaded history.
 */
export function resentPrefixLength(
  seenByClient: TranscriptMessage[],
  incoming: TranscriptMessage[],
  storedChain: string | null,
): number {
  const fromWindow = matchingSuffixLength(seenByClient, incoming);
  if (storedChain === null || fromWindow === incoming.length) return fromWindow;
  let chain = EMPTY_CHAIN;
  let fromChain = chain === storedChain ? 0 : -1;
  for (let k = 1; k <= incoming.length; k++) {
    chain = extendChain(chain, incoming[k - 1]!);
    if (chain === storedChain) fromChain = k;
  }
  return Math.max(fromWindow, fromChain);
}

/** The largest k such that the first k incoming messages equal the last k stored ones. */
function matchingSuffixLength(stored: TranscriptMessage[], incoming: TranscriptMessage[]): number {
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

/** The chain of an empty transcript. */
const EMPTY_CHAIN = "";

function extendChain(chain: string, message: TranscriptMessage): string {
  return sha256Hex(`${chain}\n${messageKey(message)}`);
}

/** A message's stored size: the UTF-8 bytes of its JSON. */
export function messageBytes(message: TranscriptMessage): number {
  return new TextEncoder().encode(JSON.stringify(message)).byteLength;
}

export async function createConversation(
  ctx: MutationCtx,
  tenantId: Id<"tenants">,
  apiKeyId: Id<"apiKeys">,
  model: string,
  now: number,
): Promise<Doc<"conversations">> {
  const id = await ctx.db.insert("conversations", {
    tenantId,
    apiKeyId,
    model,
    messageCount: 0,
    busySince: now,
    updatedAt: now,
    byteCount: 0,
    visibleChain: EMPTY_CHAIN,
  });
  return (await ctx.db.get("conversations", id))!;
}

/** Stores the request's new turns (or an agent run's server steps) and marks the conversation busy until the reply. */
export async function appendMessages(
  ctx: MutationCtx,
  conversation: Doc<"conversations">,
  requestId: string,
  messages: TranscriptMessage[],
  now: number,
  options: { serverStep?: boolean } = {},
): Promise<void> {
  let tail = { messageCount: conversation.messageCount, byteCount: conversation.byteCount, visibleChain: conversation.visibleChain };
  for (const message of messages) {
    tail = await insertMessage(ctx, conversation._id, tail, {
      message,
      requestId,
      status: "complete",
      ...(options.serverStep ? { serverStep: true } : {}),
    });
  }
  await ctx.db.patch("conversations", conversation._id, { ...tail, busySince: now, updatedAt: now });
}

export interface ReplyRecord {
  message: TranscriptMessage;
  requestId: string;
  status: "complete" | "error" | "timeout";
  finishReason?: FinishReason;
  usage?: Usage;
  error?: string;
  /** `provider/model-id` of the target that produced a reply. */
  upstream?: string;
}

/** Stores the assistant's reply (or its failure) and releases the conversation. */
export async function appendReply(ctx: MutationCtx, conversation: Doc<"conversations">, reply: ReplyRecord, now: number): Promise<void> {
  const tail = await insertMessage(ctx, conversation._id, conversation, reply);
  await ctx.db.patch("conversations", conversation._id, { ...tail, busySince: null, updatedAt: now });
}

/**
 * What is stored of a generated message (a reply or a server tool step) too large for one document:
 * a tool result keeps a note in place of its content, so its call stays answered; anything else is
 * stored without content, as failed, and so never replayed. Client turns never get here: the request
 * is refused first (admission/govern.ts).
 */
function fitted(record: ReplyRecord & { serverStep?: boolean }): ReplyRecord & { serverStep?: boolean } {
  const bytes = messageBytes(record.message);
  if (bytes <= MAX_MESSAGE_BYTES) return record;
  const note = `[omitted: ${bytes} bytes exceed the stored-message limit of ${MAX_MESSAGE_BYTES} bytes]`;
  if (record.message.role === "tool") return { ...record, message: { ...record.message, content: note } };
  return { ...record, message: { role: record.message.role, content: null }, status: "error", error: note };
}

interface Tail {
  messageCount: number;
  byteCount: number;
  visibleChain: string;
}

/** Inserts one message after the tail and returns the new tail; only complete client-visible messages extend the chain. */
async function insertMessage(
  ctx: MutationCtx,
  conversationId: Id<"conversations">,
  tail: Tail,
  generated: ReplyRecord & { serverStep?: boolean },
): Promise<Tail> {
  const record = fitted(generated);
  const bytes = messageBytes(record.message);
  const endOffset = tail.byteCount + bytes;
  await ctx.db.insert("messages", { conversationId, position: tail.messageCount, bytes, endOffset, ...record });
  const visible = record.status === "complete" && record.serverStep !== true;
  return {
    messageCount: tail.messageCount + 1,
    byteCount: endOffset,
    visibleChain: visible ? extendChain(tail.visibleChain, record.message) : tail.visibleChain,
  };
}
