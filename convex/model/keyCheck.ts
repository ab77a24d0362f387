// The key check for requests whose body is invalid: authentication comes first, so a bad key gets 401
// whatever the body says. Valid requests never call it (`begin` authenticates them in its one
// transaction); an invalid body costs this one small mutation. A mutation, not a query, so a bad key is
// throttled and audited exactly as in `begin`: invalid bodies are no way around either to probe keys.
// A usable key's refused body is logged in the request log (model/requestLog.ts) with its error code.
import { v } from "convex/values";
import { internalMutation } from "../_generated/server";
import { gatewayError } from "./requestDecision";
import { authenticate } from "./keys";
import { auditDenial } from "./audit";
import { logDenial } from "./requestLog";

/** The 401 (or unknown-key 429) for a key that may not call the API; null for a usable one. */
export const check = internalMutation({
  args: { keyHash: v.string(), requestId: v.string(), bodyError: v.optional(gatewayError) },
  returns: v.union(gatewayError, v.null()),
  handler: async (ctx, { keyHash, requestId, bodyError }) => {
    const now = Date.now();
    const auth = await authenticate(ctx, keyHash, now);
    if (auth.ok) {
      if (bodyError) await logDenial(ctx, { key: auth.key, requestId, error: bodyError, model: null, mode: null }, now);
      return null;
    }
    await auditDenial(ctx, { key: auth.key, requestId, error: auth.error, detail: auth.reason }, now);
    return auth.error;
  },
});
