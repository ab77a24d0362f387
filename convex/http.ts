// The routing table: every route of the gateway and nothing else. CORS (preflight and headers) is
// added to every route by convex-helpers' corsRouter.
import { httpRouter } from "convex/server";
import { corsRouter } from "convex-helpers/server/cors";
import { chatCompletions } from "./gateway/chatCompletions";
import { health, unknownRoute } from "./gateway/health";
import { listModels, MODELS_PATH, retrieveModel } from "./gateway/models";
import { CORS } from "./gateway/cors";
import { docsAsset, docsPage, openApi, OPENAPI_PATH } from "./gateway/docs";
import { DOCS_PATH } from "./gateway/swaggerUi";
import { ADMIN_API_PATH, adminApi } from "./gateway/adminApi";
import { ADMIN_PAGE_PATH, adminAsset, adminPage } from "./gateway/adminPage";

const http = httpRouter();
const cors = corsRouter(http, CORS);

cors.route({ path: "/api/v1/chat/completions", method: "POST", handler: chatCompletions });
cors.route({ path: MODELS_PATH, method: "GET", handler: listModels });
cors.route({ pathPrefix: `${MODELS_PATH}/`, method: "GET", handler: retrieveModel });
cors.route({ path: "/api/v1/health", method: "GET", handler: health });
cors.route({ path: OPENAPI_PATH, method: "GET", handler: openApi });
cors.route({ path: DOCS_PATH, method: "GET", handler: docsPage });
cors.route({ pathPrefix: `${DOCS_PATH}/`, method: "GET", handler: docsAsset });
cors.route({ path: ADMIN_PAGE_PATH, method: "GET", handler: adminPage });
cors.route({ pathPrefix: `${ADMIN_PAGE_PATH}/`, method: "GET", handler: adminAsset });
for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
  cors.route({ pathPrefix: "/api/v1/", method, handler: unknownRoute });
  cors.route({ pathPrefix: `${ADMIN_API_PATH}/`, method, handler: adminApi(method) });
}

export default http;
