// The chat request's transactions. `begin` makes every decision before the upstream is called, in
// one mutation, as named steps (each in admission/ or beside it, with its own tests): authenticate the
// key, admit it under the request rate limits, load the conversation, resolve the target model, govern
// the transcript (blocked terms, PII, resent turns), admit the tokens (monthly budget and per-minute
// limit), and store the turn. It returns denials instead of throwing, so what it records for a denial
// (the audit row, the consumed rate-limit unit) is kept. `finish` stores the reply and settles usage.
import { v } from "convex/values";
import { internalMutation } from "../_generated/server";
import type { Doc } from "../_generated/dataModel";
import type { GatewayError } from "../openai/errors";
import { transcriptMessage } from "../openai/transcript";
import { decision, type RateLimits } from "./requestDecision";
import { authenticate } from "./keys";
import { touchKey } from "./keyUsage";
import { reserveTokens, takeRequest } from "./limits";
import { estimatePromptTokens, estimateRequestTokens } from "./tokenEstimate";
import { openReservation } from "./reservations";
import { replyOutcomeValidator, storeReply } from "./replies";
import { auditDenial } from "./audit";
import { logDenial } from "./requestLog";
import { resolveTarget, smallest } from "./admission/target";
import { loadConversation } from "./admission/conversation";
import { govern } from "./admission/govern";
import { storeTurn } from "./admission/store";
import { startAgentRun } from "./agentRuns";
import { failoverTargets } from "../upstream/targets";
import { targetLabel } from "../upstream/providerConfig";
import { MAX_REQUEST_FACTS } from "../upstream/parameterSupport";

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
     * Agent mode (no client tools): the validated request as JSON without its messages (they travel
     * once, in `messages`): the generation settings the agent action runs with. Null in client-tool
     * mode, where the HTTP action calls the upstream itself.
     */
    agentRequest: v.union(v.string(), v.null()),
    /** The request's settings some provider kind cannot honour (upstream/parameterSupport.ts, at most 10). */
    parameters: v.optional(v.array(v.string())),
  },
  returns: decision,
  handler: async (ctx, args) => {
    const now = Date.now();
    const rateLimits: RateLimits = {};
    const deny = async (error: GatewayError, key: Doc<"apiKeys"> | null, detail?: string) => {
      await auditDenial(ctx, { key, requestId: args.requestId, error, ...(detail ? { detail } : {}) }, now);
      await logDenial(ctx, { key, requestId: args.requestId, error, model: args.model, mode: args.agentRequest === null ? "client_tools" : "agent" }, now);
      return { ok: false as const, error, rateLimits };
    };

    const auth = await authenticate(ctx, args.keyHash, now);
    if (!auth.ok) return deny(auth.error, auth.key, auth.reason);
    const { key, tenant } = auth;
    await touchKey(ctx, key, now);

    const requests = await takeRequest(ctx, key, tenant, now);
    rateLimits.requests = requests.status;
    if (!requests.ok) return deny(requests.error, key);

    const loaded = await loadConversation(ctx, key, args.model, args.conversationId, now);
    if (!loaded.ok) return deny(loaded.error, key);

    const resolved = await resolveTarget(ctx, tenant, key, args.model, (args.parameters ?? []).slice(0, MAX_REQUEST_FACTS));
    if (!resolved.ok) return deny(resolved.error, key);
    const { target, systemPrompts } = resolved;

    const governed = govern(tenant.policy, loaded.stored, args.messages, loaded.storedChain);
    if (!governed.ok) return deny(governed.error, key, governed.detail);
    const { transcript } = governed;

    const tokenEstimate = estimateRequestTokens(systemPrompts, transcript, smallest([args.requestedMaxTokens, target.maxOutputTokens]));
    const tokens = await reserveTokens(ctx, tenant, tokenEstimate, now);
    rateLimits.tokens = tokens.status;
    if (!tokens.ok) return deny(tokens.error, key);

    // Every check has passed: from here on the request is recorded.
    const conversation = await storeTurn(
      ctx,
      { tenant, key, requestId: args.requestId, modelId: args.model, conversation: loaded.conversation, newTurns: governed.newTurns, piiCounts: governed.counts },
      now,
    );
    await openReservation(
      ctx,
      {
        requestId: args.requestId,
        tenantId: tenant._id,
        apiKeyId: key._id,
        conversationId: conversation._id,
        promptTokens: estimatePromptTokens(systemPrompts, transcript),
        estimate: tokenEstimate,
        reservation: tokens.reservation,
        leased: args.agentRequest === null,
        model: args.model,
        upstream: targetLabel(failoverTargets(target)[0]!),
        keyPrefix: key.prefix,
      },
      now,
    );
    const streamId =
      args.agentRequest === null
        ? null
        : await startAgentRun(ctx, {
            conversationId: conversation._id,
            requestId: args.requestId,
            tenantId: tenant._id,
            scanOutput: tenant.policy.scanOutput,
            target,
            systemPrompts,
            settings: args.agentRequest,
          });

    return {
      ok: true as const,
      tenantId: tenant._id,
      conversationId: conversation._id,
      streamId,
      target,
      systemPrompts,
      transcript,
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
