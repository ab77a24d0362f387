// The first seam: the module maps given to convexTest and registerComponent. Each registered
// function's handler, and each HTTP route's, is replaced by one that runs as a metered call; keys (and
// so function paths) are unchanged.
import type { FunctionKind } from "./meter.testing";
import type { Handler, LimitsRuntime } from "./runtime.testing";

export type ModuleMap = Record<string, () => Promise<unknown>>;

interface RegisteredFunction {
  (...args: unknown[]): unknown;
  isQuery?: boolean;
  isMutation?: boolean;
  isAction?: boolean;
  isHttp?: boolean;
  _handler: Handler;
}

interface Router {
  isRouter: true;
  lookup(path: string, method: string): [RegisteredFunction, string, string] | null;
}

/** `modules` with every registered function and HTTP route metered; keys (and so paths) unchanged. */
export function meteredModules(modules: ModuleMap, component: string, runtime: LimitsRuntime): ModuleMap {
  const generated = Object.keys(modules).find((key) => key.includes("_generated"));
  const root = generated?.split("_generated")[0] ?? "";
  const metered: ModuleMap = {};
  for (const [key, load] of Object.entries(modules)) {
    const modulePath = (key.startsWith(root) ? key.slice(root.length) : key).replace(/\.[^./]+$/, "");
    let module: Promise<unknown> | undefined;
    metered[key] = () => (module ??= load().then((loaded) => meteredModule(loaded as Record<string, unknown>, modulePath, component, runtime)));
  }
  return metered;
}

function meteredModule(module: Record<string, unknown>, modulePath: string, component: string, runtime: LimitsRuntime) {
  const metered: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(module)) {
    const path = name === "default" ? modulePath : `${modulePath}:${name}`;
    metered[name] = isRouter(value) ? meteredRouter(value, component, runtime) : meteredFunction(value, component, path, runtime);
  }
  return metered;
}

function isRouter(value: unknown): value is Router {
  return typeof value === "object" && value !== null && (value as Router).isRouter === true && typeof (value as Router).lookup === "function";
}

function meteredFunction(value: unknown, component: string, path: string, runtime: LimitsRuntime): unknown {
  if (typeof value !== "function") return value;
  const func = value as RegisteredFunction;
  const kind: FunctionKind | null = func.isQuery ? "query" : func.isMutation ? "mutation" : func.isAction ? "action" : func.isHttp ? "httpAction" : null;
  if (kind === null || typeof func._handler !== "function") return value;
  const metered = Object.assign((...args: unknown[]) => func(...args), func);
  metered._handler = runtime.metered({ component, path, kind }, func._handler);
  return metered;
}

function meteredRouter(router: Router, component: string, runtime: LimitsRuntime): Router {
  const routes = new Map<string, unknown>();
  const lookup: Router["lookup"] = (path, method) => {
    const found = router.lookup(path, method);
    if (!found) return found;
    const [endpoint, routedMethod, routedPath] = found;
    const route = `${routedMethod} ${routedPath}`;
    if (!routes.has(route)) routes.set(route, meteredFunction(endpoint, component, route, runtime));
    return [routes.get(route) as RegisteredFunction, routedMethod, routedPath];
  };
  return Object.assign(Object.create(router) as Router, { lookup });
}