// The key check for requests whose body is invalid: authentication comes first, so a bad key gets 401
// whatever the body says. Valid requests never call it (`begin` authenticates them in its one
// transaction); an invalid body costs this one small mutation. A mutation, not a query, so a bad key is
// throttled and audited exactly as in `begin`: invalid bodies are no way around either to probe keys.
import { v } from "convex/values";
import { internalMutation } from "../_generated/server";
import { gatewayError } from "./requestDecision";
import { authenticate } from "./keys";
import { auditDenial } from "./audit";

/** The 401 (or unknown-key 429) for a key that may not call the API; null for a usable one. */
export const check = internalMutation({
  args: { keyHash: v.string(), requestId: v.string() },
  returns: v.union(gatewayError, v.null()),
  handler: async (ctx, { keyHash, requestId }) => {
    const now = Date.now();
    const auth = await authenticate(ctx, keyHash, now);
    if (auth.ok) return null;
    const detail = auth.key === null ? "unknown key" : auth.key.disabled ? "key disabled" : "key expired";
    await auditDenial(ctx, { key: auth.key, requestId, error: auth.error, detail }, now);
    return auth.error;
  },
});
