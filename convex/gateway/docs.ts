// The documentation routes: GET /api/v1/openapi.json (the OpenAPI document built from the same zod
// schemas that validate requests), and the Swagger UI page at /docs with the assets it loads.
import { internal } from "../_generated/api";
import { API_BASE_PATH, openApiDocument } from "../openai/openapi";
import { gatewayAction } from "./gatewayAction";
import type { Responder } from "./responses";
import { ASSET_CONTENT_TYPES, DOCS_PATH, docsPageHtml, isSwaggerUiAsset } from "./swaggerUi";

export const OPENAPI_PATH = `${API_BASE_PATH}/openapi.json`;

export const openApi = gatewayAction(async (_ctx, _request, responder) => responder.json(200, openApiDocument()));

export const docsPage = gatewayAction(async (_ctx, _request, responder) => pageResponse(responder));

function pageResponse(responder: Responder): Response {
  return new Response(docsPageHtml(OPENAPI_PATH), {
    status: 200,
    headers: responder.finalHeaders({ "content-type": "text/html; charset=utf-8" }),
  });
}

/** /docs/<asset>; `/docs/` itself is the page. */
export const docsAsset = gatewayAction(async (ctx, request, responder) => {
  const pathname = new URL(request.url).pathname;
  const name = pathname.slice(`${DOCS_PATH}/`.length);
  if (name === "") return pageResponse(responder);
  if (!isSwaggerUiAsset(name)) return responder.error({ code: "not_found", message: `Unknown request URL: GET ${pathname}.` });
  const text = await ctx.runAction(internal.gateway.swaggerUiFiles.read, { name });
  return new Response(text, {
    status: 200,
    // The assets change only with the swagger-ui-dist version, so browsers may keep them for a day.
    headers: responder.finalHeaders({ "content-type": ASSET_CONTENT_TYPES[name], "cache-control": "public, max-age=86400" }),
  });
});
