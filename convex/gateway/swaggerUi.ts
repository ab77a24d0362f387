// The Swagger UI page at /docs: its HTML, and the swagger-ui-dist assets it loads, which the gateway
// serves itself (no CDN) from the package's own files.
import { v, type Infer } from "convex/values";

export const DOCS_PATH = "/docs";

/** The assets the page loads; nothing else is served from the package. */
export const swaggerUiAsset = v.union(v.literal("swagger-ui.css"), v.literal("swagger-ui-bundle.js"));
export type SwaggerUiAsset = Infer<typeof swaggerUiAsset>;

export const ASSET_CONTENT_TYPES: Record<SwaggerUiAsset, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

export function isSwaggerUiAsset(name: string): name is SwaggerUiAsset {
  return Object.hasOwn(ASSET_CONTENT_TYPES, name);
}

/**
 * The page: Swagger UI reading the spec from this site, so "Authorize" and "Try it out" call the
 * gateway that served the page (the spec's server is the relative `/api/v1`).
 */
export function docsPageHtml(specUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>API gateway docs</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: ${JSON.stringify(specUrl)},
      dom_id: "#swagger-ui",
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
    });
  </script>
</body>
</html>
`;
}
