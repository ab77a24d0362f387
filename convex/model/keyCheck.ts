// The key check for requests whose body is invalid: authentication comes first, so a bad key gets 401
// whatever the body says. Valid requests never call it (`begin` authenticates them in its one
// transaction); an invalid body costs this one small mutation. A mutation, not a query, so unknown
// keys count against the same deployment-wide throttle as in `begin`: invalid bodies are no way
// around it to probe keys.
import { v } from "convex/values";
import { internalMutation } from "../_generated/server";
import { gatewayError } from "./requestDecision";
import { authenticate } from "./keys";

/** The 401 (or unknown-key 429) for a key that may not call the API; null for a usable one. */
export const check = internalMutation({
  args: { keyHash: v.string() },
  returns: v.union(gatewayError, v.null()),
  handler: async (ctx, { keyHash }) => {
    const auth = await authenticate(ctx, keyHash, Date.now());
    return auth.ok ? null : auth.error;
  },
});
