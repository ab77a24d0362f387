// Files the local gateway serves itself: the Swagger UI page and its assets under /docs.
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const publicDir = fileURLToPath(new URL("../../public/", import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
};

export async function serveStatic(pathname: string): Promise<{ body: Buffer; contentType: string } | null> {
  if (pathname !== "/docs" && !pathname.startsWith("/docs/")) return null;
  const relativePath = pathname === "/docs" || pathname === "/docs/" ? "docs/index.html" : pathname.slice(1);
  const path = normalize(join(publicDir, relativePath));
  if (!path.startsWith(publicDir)) return null;
  try {
    return { body: await readFile(path), contentType: CONTENT_TYPES[extname(path)] ?? "application/octet-stream" };
  } catch {
    return null;
  }
}
