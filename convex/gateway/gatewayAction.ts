// Wraps every route's handler: a fresh request id and timing, a context that counts its Convex function
// calls, GatewayFailure turned into its OpenAI error, and anything unexpected logged (without request
// content) and answered in OpenAI's shape.
import { httpAction, type ActionCtx } from "../_generated/server";
import { GatewayFailure } from "../openai/errors";
import { newRequestId, Responder } from "./responses";

export type GatewayHandler = (ctx: ActionCtx, request: Request, responder: Responder) => Promise<Response>;

export function gatewayAction(handler: GatewayHandler) {
  return httpAction(async (ctx, request) => {
    const responder = new Responder(newRequestId());
    try {
      return await handler(responder.functionCalls.wrap(ctx), request, responder);
    } catch (failure) {
      if (failure instanceof GatewayFailure) return responder.error(failure.error);
      console.error(`request ${responder.requestId} failed:`, failure instanceof Error ? failure.name : "unknown error");
      return responder.error({
        code: "internal_error",
        message: `The gateway failed to process the request. Quote request id ${responder.requestId} when reporting it.`,
      });
    }
  });
}
