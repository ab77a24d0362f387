// The chat request's transactions: `begin` makes every decision before the upstream is called (key,
// tenant, model, conversation, the stored user turn) in one mutation; `finish` stores the reply.
import { v } from "convex/values";
import { internalMutation } from "../_generated/server";
import type { Doc } from "../_generated/dataModel";
import { transcriptMessage, unansweredToolResult } from "../openai/transcript";
import { finishReason } from "../openai/finishReason";
import { usage } from "../openai/usage";
import { messageStatus } from "./validators";
import { decision, type ResolvedTarget } from "./requestDecision";
import { authenticate } from "./keys";
import { resolveModel, type ResolvedModel } from "./models";
import {
  appendMessages,
  busyError,
  createConversation,
  findConversation,
  loadHistory,
  resentPrefixLength,
} from "./conversations";
import { touchKey } from "./keyUsage";

export const begin = internalMutation({
  args: {
    keyHash: v.string(),
    requestId: v.string(),
    model: v.string(),
    conversationId: v.union(v.string(), v.null()),
    messages: v.array(transcriptMessage),
  },
  returns: decision,
  handler: async (ctx, args) => {
    const now = Date.now();
    const auth = await authenticate(ctx, args.keyHash, now);
    if (!auth.ok) return auth;
    const { key, tenant } = auth;
    await touchKey(ctx, key, now);

    const resolved = await resolveModel(ctx, tenant, key, args.model);
    if (!resolved.ok) return resolved;

    let existing: Doc<"conversations"> | null = null;
    let history: typeof args.messages = [];
    if (args.conversationId !== null) {
      const found = await findConversation(ctx, tenant._id, args.conversationId);
      if (!found.ok) return found;
      const busy = busyError(found.conversation, now);
      if (busy) return { ok: false as const, error: busy };
      existing = found.conversation;
      history = await loadHistory(ctx, existing._id);
    }
    const newTurns = args.messages.slice(resentPrefixLength(history, args.messages));
    const transcript = [...history, ...newTurns];
    const unanswered = unansweredToolResult(transcript);
    if (unanswered) return { ok: false as const, error: unanswered };

    // Every check has passed: from here on the request is recorded.
    const conversation = existing ?? (await createConversation(ctx, tenant._id, key._id, args.model, now));
    await appendMessages(ctx, conversation, args.requestId, newTurns, now);

    return {
      ok: true as const,
      conversationId: conversation._id,
      target: describeTarget(resolved.model, tenant),
      systemPrompts: systemPrompts(resolved.model, tenant),
      transcript,
    };
  },
});

export const finish = internalMutation({
  args: {
    conversationId: v.id("conversations"),
    requestId: v.string(),
    message: transcriptMessage,
    status: messageStatus,
    finishReason: v.optional(finishReason),
    usage: v.optional(usage),
    error: v.optional(v.string()),
  },
  returns: v.null(),
  handler: async (ctx, { conversationId, requestId, message, ...outcome }) => {
    const conversation = await ctx.db.get("conversations", conversationId);
    if (conversation === null) return null;
    await ctx.db.insert("messages", { conversationId, position: conversation.messageCount, message, requestId, ...outcome });
    await ctx.db.patch("conversations", conversationId, { messageCount: conversation.messageCount + 1, busySince: null, updatedAt: Date.now() });
    return null;
  },
});

function describeTarget(model: ResolvedModel, tenant: Doc<"tenants">): ResolvedTarget {
  const policyCap = tenant.policy.maxOutputTokens;
  if (model.kind === "passthrough") {
    return { kind: "passthrough", id: model.id, upstreamModel: model.id, temperature: null, maxOutputTokens: policyCap, serverTools: [] };
  }
  const { agent } = model;
  const caps = [agent.maxOutputTokens, policyCap].filter((cap): cap is number => cap !== null);
  return {
    kind: "agent",
    id: model.id,
    upstreamModel: agent.model,
    temperature: agent.temperature,
    maxOutputTokens: caps.length > 0 ? Math.min(...caps) : null,
    serverTools: agent.tools,
  };
}

function systemPrompts(model: ResolvedModel, tenant: Doc<"tenants">): string[] {
  const prompts: string[] = [];
  if (tenant.policy.systemPrompt) prompts.push(tenant.policy.systemPrompt);
  if (model.kind === "agent" && model.agent.instructions) prompts.push(model.agent.instructions);
  return prompts;
}
