// Webhook tools: the gateway POSTs the model's arguments to the tenant's URL, signed with the tool's
// secret, and the JSON reply is the tool result. Timeouts, HTTP errors and non-JSON replies become
// `{ error }` results for the model.
import { internal } from "../../_generated/api";
import type { ActionCtx } from "../../_generated/server";
import { SIGNATURE_HEADER, signatureHeader } from "./webhookSignature";
import type { ToolScope } from "./serverTools";

export const WEBHOOK_TIMEOUT_MS = 10_000;

export async function callWebhook(ctx: ActionCtx, scope: ToolScope, name: string, input: unknown): Promise<unknown> {
  const target = await ctx.runQuery(internal.agent.knowledge.webhookTarget, { tenantId: scope.tenantId, name });
  if (target === null) return { error: `The tool '${name}' is no longer configured.` };
  const body = JSON.stringify({ tool: name, arguments: input, requestId: scope.requestId });
  try {
    const response = await fetch(target.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        [SIGNATURE_HEADER]: await signatureHeader(target.secret, body, Math.floor(Date.now() / 1000)),
      },
      body,
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    if (!response.ok) return { error: `The tool's endpoint answered HTTP ${response.status}.` };
    try {
      return await response.json();
    } catch {
      return { error: "The tool's endpoint did not answer with JSON." };
    }
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return { error: timedOut ? `The tool's endpoint did not answer within ${WEBHOOK_TIMEOUT_MS / 1000} s.` : "The tool's endpoint could not be reached." };
  }
}
