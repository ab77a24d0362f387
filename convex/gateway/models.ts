// GET /api/v1/models and GET /api/v1/models/{id}: the key's models in OpenAI's shapes.
import { internal } from "../_generated/api";
import { modelList, modelObject } from "../openai/models";
import { modelNotFound } from "../model/models";
import { gatewayAction } from "./gatewayAction";
import { bearerKeyHash } from "./requestInput";

export const MODELS_PATH = "/api/v1/models";

export const listModels = gatewayAction(async (ctx, request, responder) => {
  const keyHash = bearerKeyHash(request);
  const result = await responder.timing.measure("auth", () =>
    ctx.runMutation(internal.model.catalog.list, { keyHash, requestId: responder.requestId }),
  );
  responder.setRateLimits(result.rateLimits);
  if (!result.ok) return responder.error(result.error);
  return responder.json(200, modelList(result.models));
});

export const retrieveModel = gatewayAction(async (ctx, request, responder) => {
  const keyHash = bearerKeyHash(request);
  // Model ids may contain '/', so the id is everything after the prefix.
  const encoded = new URL(request.url).pathname.slice(`${MODELS_PATH}/`.length);
  const modelId = safeDecode(encoded);
  if (modelId === null) return responder.error(modelNotFound(encoded));
  const result = await responder.timing.measure("auth", () =>
    ctx.runMutation(internal.model.catalog.retrieve, { keyHash, requestId: responder.requestId, modelId }),
  );
  responder.setRateLimits(result.rateLimits);
  if (!result.ok) return responder.error(result.error);
  return responder.json(200, modelObject(result.model));
});

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
