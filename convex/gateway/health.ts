// GET /api/v1/health: liveness, no authentication, no database read.
import { gatewayAction } from "./gatewayAction";

export const health = gatewayAction(async (_ctx, _request, responder) => responder.json(200, { status: "ok" }));

/** Any other path under /api/v1: OpenAI's 404 shape rather than the platform's plain-text one. */
export const unknownRoute = gatewayAction(async (_ctx, request, responder) =>
  responder.error({ code: "not_found", message: `Unknown request URL: ${request.method} ${new URL(request.url).pathname}.` }),
);
