// Convex's documented limits, enforced on convex-test, and a meter of every function call.
//
// convex-test runs the real functions but enforces none of the limits a deployment does, and counts
// nothing a deployment bills. `convexTestWithLimits` is `convexTest` with both, for the app and every
// component registered on it:
//
//   const t = convexTestWithLimits(schema, modules, options?);   // same arguments as convexTest
//   t.registerComponent(...);                                     // components are metered too
//   const meter = meterOf(t);                                     // a ConvexMeter
//
// Enforced per transaction (a query or mutation with the component calls it makes; each
// ctx.runQuery/runMutation from an action or HTTP action is its own transaction): documents scanned,
// bytes read, index ranges (db.get and db.query calls), documents and bytes written, functions
// scheduled and the total size of their arguments. Per document written: size, fields per object,
// field name length, nesting depth, array elements. Per call of every kind: argument and return value
// size (for an HTTP action, its response body, counted as it streams), and for queries and mutations
// the 1 s of user time (the stretches in which the function's own code runs, outside syscalls, found
// with an async hook and timed on this machine's clock: other requests' code does not count, but a
// machine short of CPU still stretches it). Each number, with its citation, is in
// limits.testing.ts. A function that passes one fails with a ConvexLimitError whose message names the
// limit and its documented number, as a deployment fails it; the meter lists the violation too.
//
// Options: `{ enforce: false }` only measures (`GATEWAY_CONVEX_LIMITS=0` for the local gateway);
// `{ limits: { userTimeMs: 2000, documentSize: null } }` replaces one number, or (null) only measures it.
//
// The meter (meter.testing.ts) records one FunctionCall per call: component, path, kind (query,
// mutation, action, httpAction), the call that invoked or scheduled it, the request it belongs to (the
// outermost call it descends from, through calls and scheduling), its own documents and bytes read and
// written, and the ids it wrote. For a benchmark: `const mark = meter.mark(); ...; usage(meter.since(mark))`.
// For hot documents: `hotDocuments([...meter.byRequest(meter.since(mark)).values()].map(writeSet))`.
//
// How: two seams only, so nothing in convex/ changes. modules.testing.ts wraps the module maps given to
// convexTest and registerComponent, so each registered function's handler (and each HTTP route's) runs
// as a metered call; syscalls.testing.ts wraps the `Convex` global that convex/server sends every
// syscall through (db reads and writes, scheduling, nested calls), so runtime.testing.ts counts each one
// against the call running it, found with AsyncLocalStorage. The numbers are in limits.testing.ts, the
// per-document rules in values.testing.ts, the meter in meter.testing.ts. It relies on two internal
// interfaces, stable across the pinned versions: registered functions' `_handler` (what convex-test
// calls) and the `Convex` syscall global. (convex-test's opt-in `transactionLimits` counts part of
// the transaction budget, with no per-document, per-call, time or 4 MiB-per-schedule checks and no
// per-call meter; it stays off here. Upstream, runtime.testing.ts would sit behind convex-test's own
// syscall dispatcher and function runner instead of the two seams.)
//
// Not modelled: documents that `.filter` rejects (convex-test filters before the function sees them,
// a deployment counts them as scanned), inline `t.run`/`t.query(handler)` functions (test code, not
// metered), action time limits, write conflicts, and the characters allowed in top-level field names
// of tables without a field validator (convex/values checks nested names, the schema the others).
import { convexTest, type TestConvex } from "convex-test";
import type { GenericSchema, SchemaDefinition } from "convex/server";
import type { ConvexMeter } from "./meter.testing";
import { meteredModules, type ModuleMap } from "./modules.testing";
import { LimitsRuntime, syscallHandlers, type ConvexLimitsOptions } from "./runtime.testing";
import { installSyscallSeam } from "./syscalls.testing";

export { CONVEX_LIMITS, ConvexLimitError, type LimitName, type LimitViolation } from "./limits.testing";
export { ConvexMeter, hotDocuments, usage, writeSet } from "./meter.testing";
export type { FunctionCall, FunctionKind, HotDocument, Usage } from "./meter.testing";
export type { ConvexLimitsOptions } from "./runtime.testing";

const meters = new WeakMap<object, ConvexMeter>();

/** `convexTest(schema, modules)` with Convex's limits enforced and every function call metered. */
export function convexTestWithLimits<Schema extends GenericSchema>(
  schema: SchemaDefinition<Schema, boolean>,
  modules: ModuleMap,
  options: ConvexLimitsOptions = {},
): TestConvex<SchemaDefinition<Schema, boolean>> {
  const runtime = new LimitsRuntime(options);
  const t = convexTest(schema, meteredModules(modules, "", runtime));
  installSyscallSeam(syscallHandlers);
  const registerComponent = t.registerComponent;
  t.registerComponent = (path, componentSchema, componentModules) =>
    registerComponent(path, componentSchema, meteredModules(componentModules, path, runtime));
  meters.set(t, runtime.meter);
  return t;
}

/** The meter of an instance made by convexTestWithLimits. */
export function meterOf(t: object): ConvexMeter {
  const meter = meters.get(t);
  if (!meter) throw new Error("meterOf: this convex-test instance was not made by convexTestWithLimits");
  return meter;
}
