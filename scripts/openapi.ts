// `npm run openapi`: writes the OpenAPI document the gateway serves to public/openapi.json, so it can
// be read without a running gateway; CI fails when the committed file differs from what the code builds.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { openApiDocument } from "../convex/openai/openapi";

const OPENAPI_FILE = fileURLToPath(new URL("../public/openapi.json", import.meta.url));

writeFileSync(OPENAPI_FILE, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`Wrote ${OPENAPI_FILE}`);
