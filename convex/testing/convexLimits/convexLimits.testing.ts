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
// size, and for queries and mutations the 1 s of user time (handler time minus time inside syscalls,
// measured on this machine's clock: a busy machine inflates it). Each number, with its citation, is in
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
// How: two seams only. The modules maps given to convexTest and registerComponent are wrapped so each
// registered function's handler (and each HTTP route's) runs inside a metered call. The `Convex` global
// that convex/server sends every syscall through (db reads and writes, scheduling, nested calls) is
// wrapped once, so each syscall is counted against the call running it, found with AsyncLocalStorage.
// Not modelled: documents that `.filter` rejects (convex-test filters before the function sees them,
// a deployment counts them as scanned), inline `t.run`/`t.query(handler)` functions (test code, not
// metered), the 20 MiB HTTP response size, action time limits, and write conflicts.
import { AsyncLocalStorage } from "node:async_hooks";
import { convexTest, type TestConvex } from "convex-test";
import type { GenericSchema, SchemaDefinition } from "convex/server";
import { getConvexSize, getDocumentSize, jsonToConvex, type JSONValue, type Value } from "convex/values";
import { CONVEX_LIMITS, ConvexLimitError, type LimitName } from "./limits.testing";
import { ConvexMeter, type FunctionCall, type FunctionKind } from "./meter.testing";
import { documentBreach, type EffectiveLimits } from "./values.testing";

export { CONVEX_LIMITS, ConvexLimitError, type LimitName, type LimitViolation } from "./limits.testing";
export { ConvexMeter, hotDocuments, usage, writeSet } from "./meter.testing";
export type { FunctionCall, FunctionKind, HotDocument, Usage } from "./meter.testing";

export interface ConvexLimitsOptions {
  /** false: measure and meter, enforce nothing. Default true. */
  enforce?: boolean;
  /** Per limit: a number replaces the documented one; null measures it without enforcing it. */
  limits?: Partial<Record<LimitName, number | null>>;
  /** How many calls the meter keeps (default 50,000; older ones are dropped). */
  maxCalls?: number;
}

type ModuleMap = Record<string, () => Promise<unknown>>;

const meters = new WeakMap<object, ConvexMeter>();

/** `convexTest(schema, modules)` with Convex's limits enforced and every function call metered. */
export function convexTestWithLimits<Schema extends GenericSchema>(
  schema: SchemaDefinition<Schema, boolean>,
  modules: ModuleMap,
  options: ConvexLimitsOptions = {},
): TestConvex<SchemaDefinition<Schema, boolean>> {
  const runtime = new LimitsRuntime(options);
  const t = convexTest(schema, meteredModules(modules, "", runtime));
  installSyscallSeam();
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

// ---- The running call, found from any syscall ----

interface Transaction {
  documentsScanned: number;
  bytesRead: number;
  indexRanges: number;
  documentsWritten: number;
  bytesWritten: number;
  scheduled: number;
  scheduledArgumentsBytes: number;
}

interface CallState {
  record: FunctionCall;
  runtime: LimitsRuntime;
  transaction: Transaction | null;
  running: boolean;
  startedAt: number;
  /** Time spent inside syscalls so far, counting overlapping syscalls once. */
  syscallMs: number;
  syscallsInFlight: number;
  syscallSince: number;
}

/** "call": code of `call` is running. "schedule": `call` is scheduling a function; what starts from here was scheduled. */
interface Frame {
  call: CallState;
  via: "call" | "schedule";
}

const frames = new AsyncLocalStorage<Frame>();
// Captured before any test installs fake timers.
const now = performance.now.bind(performance);

interface Identity {
  component: string;
  path: string;
  kind: FunctionKind;
}

type Handler = (ctx: unknown, args: unknown) => unknown;

class LimitsRuntime {
  readonly meter: ConvexMeter;
  readonly limits: EffectiveLimits;
  /** Scheduled job id -> the call that scheduled it, until the job starts (bounded). */
  private readonly jobs = new Map<string, CallState>();

  constructor(options: ConvexLimitsOptions) {
    this.meter = new ConvexMeter(options.maxCalls);
    const enforce = options.enforce ?? true;
    const limits = {} as Record<LimitName, number | null>;
    for (const name of Object.keys(CONVEX_LIMITS) as LimitName[]) {
      const override = options.limits?.[name];
      limits[name] = !enforce ? null : override === undefined ? CONVEX_LIMITS[name] : override;
    }
    this.limits = limits;
  }

  /** `handler`, run as a metered call. */
  metered(identity: Identity, handler: Handler): Handler {
    return async (ctx, args) => {
      const call = await this.begin(identity, args);
      return frames.run({ call, via: "call" }, async () => {
        call.startedAt = now();
        let result: unknown;
        try {
          result = await handler(ctx, args);
        } catch (error) {
          this.end(call);
          throw error;
        }
        this.end(call, result);
        return result;
      });
    };
  }

  private async begin(identity: Identity, args: unknown): Promise<CallState> {
    const frame = frames.getStore();
    const id = this.meter.newId();
    const caller = frame?.via === "call" && frame.call.runtime === this ? frame.call : null;
    let scheduler = frame?.via === "schedule" && frame.call.runtime === this ? frame.call : null;
    if (!frame && (identity.kind === "mutation" || identity.kind === "action")) {
      // Fake timers run scheduled functions outside the context that scheduled them: find the job instead.
      scheduler = this.takeJob(await scheduledFunctionId());
    }
    const isTransaction = identity.kind === "query" || identity.kind === "mutation";
    const sharesTransaction = isTransaction && caller?.transaction && caller.running;
    const record: FunctionCall = {
      id,
      ...identity,
      parent: caller?.record.id ?? null,
      scheduledBy: scheduler?.record.id ?? null,
      request: (caller ?? scheduler)?.record.request ?? id,
      transaction: !isTransaction ? null : sharesTransaction ? caller.record.transaction : id,
      durationMs: null,
      userTimeMs: null,
      argumentsBytes: sizeOf(args),
      returnBytes: null,
      documentsRead: 0,
      bytesRead: 0,
      indexRanges: 0,
      documentsWritten: 0,
      bytesWritten: 0,
      writes: new Set(),
      scheduled: 0,
      scheduledArgumentsBytes: 0,
      outcome: "running",
      limitExceeded: null,
    };
    const call: CallState = {
      record,
      runtime: this,
      transaction: !isTransaction ? null : sharesTransaction ? caller.transaction : newTransaction(),
      running: true,
      startedAt: now(),
      syscallMs: 0,
      syscallsInFlight: 0,
      syscallSince: 0,
    };
    this.meter.record(record);
    try {
      this.check(call, "argumentsSize", record.argumentsBytes, "");
    } catch (error) {
      this.end(call);
      throw error;
    }
    return call;
  }

  /** Ends `call`; with a result (it returned), checks its time and return value first. */
  private end(call: CallState, ...returned: [unknown?]): void {
    const { record } = call;
    call.running = false;
    record.outcome = "threw";
    record.durationMs = now() - call.startedAt;
    if (call.transaction) record.userTimeMs = this.userTime(call);
    if (returned.length === 0) return;
    if (record.userTimeMs !== null) this.check(call, "userTimeMs", Math.round(record.userTimeMs), "");
    if (record.kind !== "httpAction") {
      record.returnBytes = sizeOf(returned[0]);
      this.check(call, "returnValueSize", record.returnBytes, "");
    }
    record.outcome = "returned";
  }

  private userTime(call: CallState): number {
    const inSyscall = call.syscallsInFlight > 0 ? now() - call.syscallSince : 0;
    return now() - call.startedAt - call.syscallMs - inSyscall;
  }

  /** Throws a ConvexLimitError when `actual` is over the limit in force. */
  check(call: CallState | null, limit: LimitName, actual: number, detail: string): void {
    const maximum = this.limits[limit];
    if (maximum === null || actual <= maximum) return;
    const violation = { limit, maximum, actual, path: call ? describe(call.record) : "", detail };
    this.meter.recordViolation(violation);
    if (call) call.record.limitExceeded ??= limit;
    throw new ConvexLimitError(violation);
  }

  // ---- Syscalls of a running call ----

  syscall(call: CallState, run: SyncSyscall, op: string, json: string): string {
    this.checkTime(call);
    if (op === "1.0/queryStream") this.indexRange(call);
    this.enterSyscall(call);
    try {
      return run(op, json);
    } finally {
      this.leaveSyscall(call);
    }
  }

  async asyncSyscall(call: CallState, run: AsyncSyscall, op: string, json: string): Promise<string> {
    this.checkTime(call);
    switch (op) {
      case "1.0/get": {
        this.indexRange(call);
        const result = await this.timed(call, () => run(op, json));
        this.readDocument(call, JSON.parse(result) as JSONValue);
        return result;
      }
      case "1.0/queryStreamNext": {
        const result = await this.timed(call, () => run(op, json));
        this.readDocument(call, (JSON.parse(result) as { value: JSONValue }).value);
        return result;
      }
      case "1.0/queryPage": {
        this.indexRange(call);
        const result = await this.timed(call, () => run(op, json));
        for (const document of (JSON.parse(result) as { page: JSONValue[] }).page) this.readDocument(call, document);
        return result;
      }
      case "1.0/insert": {
        const { table, value } = JSON.parse(json) as { table: string; value: JSONValue };
        const document = jsonToConvex(value) as DocumentValue;
        this.checkDocument(call, table, document);
        const result = await this.timed(call, () => run(op, json));
        this.wrote(call, (JSON.parse(result) as { _id: string })._id, getDocumentSize(document));
        return result;
      }
      case "1.0/shallowMerge":
      case "1.0/replace":
      case "1.0/remove": {
        const { table, id, value } = JSON.parse(json) as { table?: string; id: string; value?: Record<string, JSONValue> };
        const current = await this.timed(call, () => run("1.0/get", JSON.stringify({ table, id })));
        const existing = JSON.parse(current) as Record<string, JSONValue> | null;
        if (existing === null) return await this.timed(call, () => run(op, json)); // convex-test reports it
        this.readDocument(call, existing);
        let bytes = 0;
        if (op !== "1.0/remove") {
          const document = op === "1.0/replace" ? fields(value ?? {}) : merge(fields(existing), value ?? {});
          this.checkDocument(call, table ?? "", document);
          bytes = getDocumentSize({ ...document, _id: existing._id as string, _creationTime: existing._creationTime as number });
        }
        const result = await this.timed(call, () => run(op, json));
        this.wrote(call, id, bytes);
        return result;
      }
      case "1.0/schedule":
      case "1.0/actions/schedule": {
        this.scheduling(call, (JSON.parse(json) as { args: JSONValue }).args);
        // What starts from the timer convex-test sets here was scheduled by `call`, not called by it.
        const result = await frames.run({ call, via: "schedule" }, () => this.timed(call, () => run(op, json)));
        this.rememberJob(JSON.parse(result) as string, call);
        return result;
      }
      default:
        return await this.timed(call, () => run(op, json));
    }
  }

  private async timed(call: CallState, run: () => Promise<string>): Promise<string> {
    this.enterSyscall(call);
    try {
      return await run();
    } finally {
      this.leaveSyscall(call);
    }
  }

  private enterSyscall(call: CallState): void {
    if (call.syscallsInFlight++ === 0) call.syscallSince = now();
  }

  private leaveSyscall(call: CallState): void {
    if (--call.syscallsInFlight === 0) call.syscallMs += now() - call.syscallSince;
  }

  /** A deployment stops a query or mutation once its user time passes the limit; here, at its next syscall. */
  private checkTime(call: CallState): void {
    if (call.transaction && call.running) this.check(call, "userTimeMs", Math.round(this.userTime(call)), "");
  }

  private indexRange(call: CallState): void {
    call.record.indexRanges += 1;
    if (!call.transaction) return;
    call.transaction.indexRanges += 1;
    this.check(call, "indexRanges", call.transaction.indexRanges, "");
  }

  private readDocument(call: CallState, document: JSONValue): void {
    if (document === null) return;
    const bytes = getDocumentSize(jsonToConvex(document) as DocumentValue);
    call.record.documentsRead += 1;
    call.record.bytesRead += bytes;
    if (!call.transaction) return;
    call.transaction.documentsScanned += 1;
    call.transaction.bytesRead += bytes;
    this.check(call, "documentsScanned", call.transaction.documentsScanned, "");
    this.check(call, "bytesRead", call.transaction.bytesRead, "");
  }

  private checkDocument(call: CallState, table: string, document: DocumentValue): void {
    const breach = documentBreach(document, this.limits);
    if (breach) this.check(call, breach.limit, breach.actual, `table "${table}", ${breach.detail}`);
  }

  private wrote(call: CallState, id: string, bytes: number): void {
    call.record.documentsWritten += 1;
    call.record.bytesWritten += bytes;
    call.record.writes.add(id);
    if (!call.transaction) return;
    call.transaction.documentsWritten += 1;
    call.transaction.bytesWritten += bytes;
    this.check(call, "documentsWritten", call.transaction.documentsWritten, "");
    this.check(call, "bytesWritten", call.transaction.bytesWritten, "");
  }

  private scheduling(call: CallState, args: JSONValue): void {
    const bytes = sizeOf(jsonToConvex(args));
    call.record.scheduled += 1;
    call.record.scheduledArgumentsBytes += bytes;
    this.check(call, "scheduledArgumentsSize", bytes, "one scheduled call");
    // The count and total apply to mutations only ("a single mutation can schedule").
    if (!call.transaction) return;
    call.transaction.scheduled += 1;
    call.transaction.scheduledArgumentsBytes += bytes;
    this.check(call, "scheduledFunctions", call.transaction.scheduled, "");
    this.check(call, "scheduledArgumentsTotal", call.transaction.scheduledArgumentsBytes, "bytes");
  }

  private rememberJob(jobId: string, call: CallState): void {
    this.jobs.set(jobId, call);
    if (this.jobs.size > 10_000) this.jobs.delete(this.jobs.keys().next().value as string);
  }

  /** The call that scheduled `jobId`, forgotten once its job has started. */
  private takeJob(jobId: string | null): CallState | null {
    const call = jobId === null ? undefined : this.jobs.get(jobId);
    if (jobId !== null) this.jobs.delete(jobId);
    return call ?? null;
  }
}

function newTransaction(): Transaction {
  return {
    documentsScanned: 0,
    bytesRead: 0,
    indexRanges: 0,
    documentsWritten: 0,
    bytesWritten: 0,
    scheduled: 0,
    scheduledArgumentsBytes: 0,
  };
}

function describe(record: FunctionCall): string {
  return record.component ? `${record.component}/${record.path}` : record.path;
}

/** The Convex size of a value; 0 for what is not a Convex value (convex-test rejects it itself). */
function sizeOf(value: unknown): number {
  try {
    return getConvexSize(value as Value);
  } catch {
    return 0;
  }
}

type DocumentValue = Record<string, Value>;

/** A stored document's own fields, without _id and _creationTime. */
function fields(json: Record<string, JSONValue>): DocumentValue {
  const document: DocumentValue = {};
  for (const [key, value] of Object.entries(json)) {
    if (key !== "_id" && key !== "_creationTime") document[key] = jsonToConvex(value);
  }
  return document;
}

/** A patch applied to a document; `{ $undefined: null }` removes a field, as in convex/server. */
function merge(document: DocumentValue, patch: Record<string, JSONValue>): DocumentValue {
  const merged = { ...document };
  for (const [key, value] of Object.entries(patch)) {
    if (key === "_id" || key === "_creationTime") continue;
    const removes = typeof value === "object" && value !== null && !Array.isArray(value) && "$undefined" in value;
    if (removes) delete merged[key];
    else merged[key] = jsonToConvex(value);
  }
  return merged;
}

// ---- Seam 1: the modules maps ----

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
function meteredModules(modules: ModuleMap, component: string, runtime: LimitsRuntime): ModuleMap {
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

// ---- Seam 2: the Convex global every syscall goes through ----

type SyncSyscall = (op: string, json: string) => string;
type AsyncSyscall = (op: string, json: string) => Promise<string>;

interface ConvexGlobal {
  readonly syscall: SyncSyscall;
  readonly asyncSyscall: AsyncSyscall;
  readonly jsSyscall: unknown;
}

const ORIGINAL = Symbol.for("convexLimits.originalConvexGlobal");

type Host = { Convex?: ConvexGlobal & { [ORIGINAL]?: ConvexGlobal } };

/** Wraps the `Convex` global convex-test installs (once per global; again if convex-test replaces it). */
function installSyscallSeam(): void {
  const host = globalThis as unknown as Host;
  const original = host.Convex;
  if (!original) throw new Error("convexTestWithLimits: convex-test did not install the Convex global");
  if (original[ORIGINAL]) return;
  host.Convex = {
    [ORIGINAL]: original,
    get syscall(): SyncSyscall {
      const run = original.syscall;
      return (op, json) => {
        const call = runningCall();
        return call ? call.runtime.syscall(call, run, op, json) : run(op, json);
      };
    },
    get asyncSyscall(): AsyncSyscall {
      const run = original.asyncSyscall;
      return (op, json) => {
        const call = runningCall();
        return call ? call.runtime.asyncSyscall(call, run, op, json) : run(op, json);
      };
    },
    get jsSyscall() {
      return original.jsSyscall;
    },
  };
}

function runningCall(): CallState | null {
  const frame = frames.getStore();
  return frame?.via === "call" ? frame.call : null;
}

/** The scheduled job the current function runs as, from convex-test's request metadata (mutations and actions). */
async function scheduledFunctionId(): Promise<string | null> {
  const original = (globalThis as unknown as Host).Convex?.[ORIGINAL];
  if (!original) return null;
  const metadata = JSON.parse(await original.asyncSyscall("1.0/getRequestMetadata", "{}")) as { scheduledFunctionId: string | null };
  return metadata.scheduledFunctionId;
}
