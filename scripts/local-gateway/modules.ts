// Builds the module maps convex-test needs outside vitest (where import.meta.glob is unavailable):
// the app's convex/ functions, and the rate limiter component with its nested batch worker, loaded
// from their built files by path since their package exports do not expose them.
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export type ModuleMap = Record<string, () => Promise<unknown>>;

const convexDir = fileURLToPath(new URL("../../convex/", import.meta.url));

/** Every function module under `dir`, keyed "./path/file.ext" as import.meta.glob would key it. */
function moduleMap(dir: string, prefix: string, extension: RegExp): ModuleMap {
  const modules: ModuleMap = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !extension.test(entry.name) || entry.name.endsWith(".d.ts")) continue;
    // Test files and test support (names with two dots) are not part of the app, as on a real deployment.
    if ((entry.name.match(/\./g) ?? []).length > 1) continue;
    const path = join(entry.parentPath, entry.name);
    modules[`${prefix}${relative(dir, path).split("\\").join("/")}`] = () => import(pathToFileURL(path).href);
  }
  return modules;
}

export function appModules(): ModuleMap {
  return moduleMap(convexDir, "./", /\.(ts|js)$/);
}

export interface ComponentModules {
  name: string;
  schema: () => Promise<unknown>;
  modules: ModuleMap;
}

const require = createRequire(import.meta.url);

function componentDir(packageName: string, from?: string): string {
  const resolver = from ? createRequire(from) : require;
  return join(dirname(resolver.resolve(`${packageName}/package.json`)), "dist", "component");
}

/** The rate limiter and the batch worker it mounts, as registered in convex/convex.config.ts. */
export function componentModules(): ComponentModules[] {
  const rateLimiter = componentDir("@convex-dev/rate-limiter");
  const batchWorker = componentDir("@convex-dev/batch-worker", join(rateLimiter, "..", "..", "package.json"));
  return [
    { name: "rateLimiter", dir: rateLimiter },
    { name: "rateLimiter/batchWorker", dir: batchWorker },
  ].map(({ name, dir }) => ({
    name,
    schema: () => import(pathToFileURL(join(dir, "schema.js")).href),
    modules: moduleMap(dir, "./component/", /\.js$/),
  }));
}
