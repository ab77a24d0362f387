// The chat request's transactions. `begin` makes every decision before the upstream is called, in
// one mutation: key, rate limits, model, conversation, governance policy and PII, token budget, and
// the stored user turn. It returns denials instead of throwing, so what it records for a denial (the
// audit row, the consumed rate-limit unit) is kept. `finish` stores the reply and settles usage.
import { v } from "convex/values";
import { internalMutation } from "../_generated/server";
import type { Doc } from "../_generated/dataModel";
import type { GatewayError } from "../openai/errors";
import { transcriptMessage, unansweredToolResult, type TranscriptMessage } from "../openai/transcript";
import { decision, type RateLimits, type ResolvedTarget } from "./requestDecision";
import { authenticate } from "./keys";
import { touchKey } from "./keyUsage";
import { resolveModel, type ResolvedModel } from "./models";
import {
  appendMessages,
  busyError,
  createConversation,
  findConversation,
  loadHistory,
  resentPrefixLength,
  type StoredTurn,
} from "./conversations";
import { estimateTokens, reserveTokens, takeRequest } from "./limits";
import { budgetExceeded, recordRequest } from "./usage";
import { replyOutcomeValidator, storeReply } from "./replies";
import { findBlockedTerm } from "./blockedTerms";
import { hasCounts, redactTranscript } from "./transcriptPii";
import { audit, auditDenial } from "./audit";
import { startAgentRun } from "../agent/stream";

export const begin = internalMutation({
  args: {
    keyHash: v.string(),
    requestId: v.string(),
    model: v.string(),
    conversationId: v.union(v.string(), v.null()),
    messages: v.array(transcriptMessage),
    /** The client's max_tokens / max_completion_tokens, for the token estimate. */
    requestedMaxTokens: v.union(v.number(), v.null()),
    /**
     * Agent mode (no client tools): the validated request as JSON, for the agent action to run with.
     * Null in client-tool mode, where the HTTP action calls the upstream itself.
     */
    agentRequest: v.union(v.string(), v.null()),
  },
  returns: decision,
  handler: async (ctx, args) => {
    const now = Date.now();
    const rateLimits: RateLimits = {};
    const auth = await authenticate(ctx, args.keyHash, now);
    const deny = async (error: GatewayError, key: Doc<"apiKeys"> | null, detail?: string) => {
      await auditDenial(ctx, { key, requestId: args.requestId, error, ...(detail ? { detail } : {}) }, now);
      return { ok: false as const, error, rateLimits };
    };
    if (!auth.ok) return deny(auth.error, auth.key, auth.key ? (auth.key.disabled ? "key disabled" : "key expired") : "unknown key");
    const { key, tenant } = auth;
    await touchKey(ctx, key, now);

    const requests = await takeRequest(ctx, key, tenant, now);
    rateLimits.requests = requests.status;
    if (!requests.ok) return deny(requests.error, key);

    const resolved = await resolveModel(ctx, tenant, key, args.model);
    if (!resolved.ok) return deny(resolved.error, key);

    let existing: Doc<"conversations"> | null = null;
    let stored: StoredTurn[] = [];
    if (args.conversationId !== null) {
      const found = await findConversation(ctx, tenant._id, args.conversationId);
      if (!found.ok) return deny(found.error, key);
      const busy = busyError(found.conversation, now);
      if (busy) return deny(busy, key);
      existing = found.conversation;
      stored = await loadHistory(ctx, existing._id);
    }
    const history = stored.map((turn) => turn.message);

    // Governance runs on everything that would go upstream, before anything is stored or sent.
    const blockedTerm = findBlockedTerm(tenant.policy.blockedTerms, [...history, ...args.messages]);
    if (blockedTerm !== null) {
      return deny(
        { code: "content_policy_violation", param: "messages", message: "Your request contains a term your organization's policy blocks." },
        key,
        `blocked term: ${blockedTerm}`,
      );
    }
    const scrubbed = scrub(tenant, history, args.messages);
    if (!scrubbed.ok) return deny(scrubbed.error, key);

    const budget = await budgetExceeded(ctx, tenant, now);
    if (budget) return deny(budget, key);

    const seenByClient = scrubbed.history.filter((_, index) => !stored[index]!.serverStep);
    const newTurns = scrubbed.incoming.slice(resentPrefixLength(seenByClient, scrubbed.incoming));
    const transcript = [...scrubbed.history, ...newTurns];
    const unanswered = unansweredToolResult(transcript);
    if (unanswered) return deny(unanswered, key);

    const target = describeTarget(resolved.model, tenant);
    const prompts = systemPrompts(resolved.model, tenant);
    const outputCap = [args.requestedMaxTokens, target.maxOutputTokens].filter((cap): cap is number => cap !== null);
    const tokenEstimate = estimateTokens(promptCharacters(prompts, transcript), outputCap.length > 0 ? Math.min(...outputCap) : null);
    const tokens = await reserveTokens(ctx, tenant, tokenEstimate, now);
    rateLimits.tokens = tokens.status;
    if (!tokens.ok) return deny(tokens.error, key);

    // Every check has passed: from here on the request is recorded.
    const conversation = existing ?? (await createConversation(ctx, tenant._id, key._id, args.model, now));
    await appendMessages(ctx, conversation, args.requestId, newTurns, now);
    await recordRequest(ctx, tenant._id, key._id, now);
    if (hasCounts(scrubbed.counts)) {
      await audit(ctx, { tenantId: tenant._id, event: "pii_redacted", apiKeyId: key._id, requestId: args.requestId, piiCounts: scrubbed.counts }, now);
    }
    const streamId =
      args.agentRequest === null
        ? null
        : await startAgentRun(ctx, {
            conversationId: conversation._id,
            requestId: args.requestId,
            apiKeyId: key._id,
            tenantId: tenant._id,
            tokenEstimate,
            scanOutput: tenant.policy.scanOutput,
            target,
            systemPrompts: prompts,
            transcript,
            request: args.agentRequest,
          });

    return {
      ok: true as const,
      conversationId: conversation._id,
      streamId,
      apiKeyId: key._id,
      target,
      systemPrompts: prompts,
      transcript,
      tokenEstimate,
      scanOutput: tenant.policy.scanOutput,
      rateLimits: { requests: requests.status, tokens: tokens.status },
    };
  },
});

export const finish = internalMutation({
  args: replyOutcomeValidator,
  returns: v.null(),
  handler: async (ctx, outcome) => {
    await storeReply(ctx, outcome);
    return null;
  },
});

type Scrubbed =
  | { ok: true; history: TranscriptMessage[]; incoming: TranscriptMessage[]; counts: Record<string, number> }
  | { ok: false; error: GatewayError };

/** Applies the tenant's PII mode to the stored history and the request's messages alike. */
function scrub(tenant: Doc<"tenants">, history: TranscriptMessage[], incoming: TranscriptMessage[]): Scrubbed {
  if (tenant.policy.pii === "off") return { ok: true, history, incoming, counts: {} };
  const redactedHistory = redactTranscript(history);
  const redactedIncoming = redactTranscript(incoming);
  if (tenant.policy.pii === "block") {
    const categories = [...new Set([...Object.keys(redactedHistory.counts), ...Object.keys(redactedIncoming.counts)])].sort();
    if (categories.length > 0) {
      return {
        ok: false,
        error: {
          code: "pii_detected",
          param: "messages",
          message: `Your request contains personal data your organization's policy blocks: ${categories.join(", ")}.`,
        },
      };
    }
  }
  // Only the request's own values count as redactions of this request; stored history was counted when stored.
  return { ok: true, history: redactedHistory.messages, incoming: redactedIncoming.messages, counts: redactedIncoming.counts };
}

function promptCharacters(prompts: string[], transcript: TranscriptMessage[]): number {
  let characters = prompts.reduce((sum, prompt) => sum + prompt.length, 0);
  for (const message of transcript) {
    characters += (message.content?.length ?? 0) + (message.toolCalls ?? []).reduce((sum, call) => sum + call.arguments.length, 0);
  }
  return characters;
}

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
