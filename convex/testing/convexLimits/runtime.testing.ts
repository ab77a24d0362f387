// The metered call: what each function call read, wrote, scheduled and took, counted against its
// transaction's budget and checked against Convex's limits. Both seams (modules.testing.ts,
// syscalls.testing.ts) hand their work to the LimitsRuntime of the convex-test instance.
import { AsyncLocalStorage, createHook } from "node:async_hooks";
import { getConvexSize, getDocumentSize, jsonToConvex, type JSONValue, type Value } from "convex/values";
import { CONVEX_LIMITS, ConvexLimitError, type LimitName } from "./limits.testing";
import { ConvexMeter, type FunctionCall, type FunctionKind } from "./meter.testing";
import { originalAsyncSyscall, type AsyncSyscall, type SyncSyscall, type SyscallHandlers } from "./syscalls.testing";
import { documentBreach, type EffectiveLimits } from "./values.testing";

export interface ConvexLimitsOptions {
  /** false: measure and meter, enforce nothing. Default true. */
  enforce?: boolean;
  /** Per limit: a number replaces the documented one; null measures it without enforcing it. */
  limits?: Partial<Record<LimitName, number | null>>;
  /** How many calls the meter keeps (default 50,000; older ones are dropped). */
  maxCalls?: number;
}

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
  /** Time its own code ran so far, outside syscalls (see `segments`). */
  userMs: number;
  syscallsInFlight: number;
}

/** "call": code of `call` is running. "schedule": `call` is scheduling a function; what starts from here was scheduled. */
interface Frame {
  call: CallState;
  via: "call" | "schedule";
}

const frames = new AsyncLocalStorage<Frame>();
// Captured before any test installs fake timers.
const now = performance.now.bind(performance);

// User time, as a deployment counts it: only the stretches in which a query's or mutation's own code
// runs. An async hook marks each continuation (the code between two awaits); one that runs in a call's
// context while none of its syscalls is pending is that call's, timed until it ends or makes a syscall.
// Code of other requests that runs while the call awaits (a hash, another action) is not counted.
let segmentCall: CallState | null = null;
let segmentSince = 0;
/** The call whose segment a synchronous syscall interrupted, resumed when the syscall returns. */
let pausedCall: CallState | null = null;
let depth = 0;
/** Queries and mutations running now, in any instance: the hook is on only while there are some. */
let transactionCalls = 0;
const segments = createHook({
  before() {
    if (depth++ > 0) return;
    const frame = frames.getStore();
    const call = frame?.via === "call" ? frame.call : null;
    segmentCall = call && call.transaction && call.running && call.syscallsInFlight === 0 ? call : null;
    segmentSince = segmentCall ? now() : 0;
    pausedCall = null;
  },
  after() {
    if (depth === 0) return; // the continuation that turned the hook on
    if (--depth > 0) return;
    if (segmentCall) segmentCall.userMs += now() - segmentSince;
    segmentCall = null;
    pausedCall = null;
  },
});

/** Turns the segment hook on for the first running query or mutation and off after the last. */
function transactionCallStarted(): void {
  if (transactionCalls++ > 0) return;
  depth = 0;
  segmentCall = pausedCall = null;
  segments.enable();
}

function transactionCallEnded(): void {
  if (--transactionCalls > 0) return;
  segments.disable();
  depth = 0;
  segmentCall = pausedCall = null;
}

/** Runs the synchronous start of `call`'s handler as one of its segments, inside whatever segment is running. */
function runFirstSegment<T>(call: CallState, start: () => T): T {
  const [outer, outerSince, outerPaused] = [segmentCall, segmentSince, pausedCall];
  if (outer) outer.userMs += now() - outerSince;
  segmentCall = call.transaction ? call : null;
  segmentSince = now();
  pausedCall = null;
  try {
    return start();
  } finally {
    if (segmentCall) segmentCall.userMs += now() - segmentSince;
    [segmentCall, segmentSince, pausedCall] = [outer, now(), outerPaused];
  }
}

export interface Identity {
  component: string;
  path: string;
  kind: FunctionKind;
}

export type Handler = (ctx: unknown, args: unknown) => unknown;

export class LimitsRuntime {
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
          result = await runFirstSegment(call, () => handler(ctx, args));
        } catch (error) {
          this.end(call);
          throw error;
        }
        this.end(call, result);
        return result instanceof Response ? this.meteredResponse(call, result) : result;
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
      userMs: 0,
      syscallsInFlight: 0,
    };
    this.meter.record(record);
    if (call.transaction) transactionCallStarted();
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
    record.outcome = "threw";
    record.durationMs = now() - call.startedAt;
    if (call.transaction) {
      record.userTimeMs = this.userTime(call);
      transactionCallEnded();
    }
    call.running = false;
    if (returned.length === 0) return;
    if (record.userTimeMs !== null) this.check(call, "userTimeMs", Math.round(record.userTimeMs), "");
    if (record.kind !== "httpAction") {
      record.returnBytes = sizeOf(returned[0]);
      this.check(call, "returnValueSize", record.returnBytes, "");
    }
    record.outcome = "returned";
  }

  /** An HTTP action's Response, its body counted as it streams and cut past the response size limit. */
  private meteredResponse(call: CallState, response: Response): Response {
    call.record.returnBytes = 0;
    if (response.body === null) return response;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform: (chunk, controller) => {
        call.record.returnBytes = (call.record.returnBytes ?? 0) + chunk.byteLength;
        this.check(call, "httpResponseSize", call.record.returnBytes, "bytes of response body");
        controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(counter), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }

  private userTime(call: CallState): number {
    return call.userMs + (segmentCall === call ? now() - segmentSince : 0);
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

  // A syscall's whole time, the meter's own bookkeeping included, counts as database time, not user time.

  syscall(call: CallState, run: SyncSyscall, op: string, json: string): string {
    this.checkTime(call);
    this.enterSyscall(call);
    try {
      if (op === "1.0/queryStream") this.indexRange(call);
      return run(op, json);
    } finally {
      this.leaveSyscall(call);
    }
  }

  async asyncSyscall(call: CallState, run: AsyncSyscall, op: string, json: string): Promise<string> {
    this.checkTime(call);
    this.enterSyscall(call);
    try {
      return await this.meteredSyscall(call, run, op, json);
    } finally {
      this.leaveSyscall(call);
    }
  }

  private async meteredSyscall(call: CallState, run: AsyncSyscall, op: string, json: string): Promise<string> {
    switch (op) {
      case "1.0/get": {
        this.indexRange(call);
        const result = await run(op, json);
        this.readDocument(call, JSON.parse(result) as JSONValue);
        return result;
      }
      case "1.0/queryStreamNext": {
        const result = await run(op, json);
        this.readDocument(call, (JSON.parse(result) as { value: JSONValue }).value);
        return result;
      }
      case "1.0/queryPage": {
        this.indexRange(call);
        const result = await run(op, json);
        for (const document of (JSON.parse(result) as { page: JSONValue[] }).page) this.readDocument(call, document);
        return result;
      }
      case "1.0/insert": {
        const { table, value } = JSON.parse(json) as { table: string; value: JSONValue };
        const document = jsonToConvex(value) as DocumentValue;
        this.checkDocument(call, table, document);
        const result = await run(op, json);
        this.wrote(call, (JSON.parse(result) as { _id: string })._id, getDocumentSize(document));
        return result;
      }
      case "1.0/shallowMerge":
      case "1.0/replace":
      case "1.0/remove": {
        const { table, id, value } = JSON.parse(json) as { table?: string; id: string; value?: Record<string, JSONValue> };
        const existing = JSON.parse(await run("1.0/get", JSON.stringify({ table, id }))) as Record<string, JSONValue> | null;
        if (existing === null) return await run(op, json); // convex-test reports it
        this.readDocument(call, existing);
        let bytes = 0;
        if (op !== "1.0/remove") {
          const document = op === "1.0/replace" ? fields(value ?? {}) : merge(fields(existing), value ?? {});
          this.checkDocument(call, table ?? "", document);
          bytes = getDocumentSize({ ...document, _id: existing._id as string, _creationTime: existing._creationTime as number });
        }
        const result = await run(op, json);
        this.wrote(call, id, bytes);
        return result;
      }
      case "1.0/schedule":
      case "1.0/actions/schedule": {
        this.scheduling(call, (JSON.parse(json) as { args: JSONValue }).args);
        // What starts from the timer convex-test sets here was scheduled by `call`, not called by it.
        const result = await frames.run({ call, via: "schedule" }, () => run(op, json));
        this.rememberJob(JSON.parse(result) as string, call);
        return result;
      }
      default:
        return await run(op, json);
    }
  }

  private enterSyscall(call: CallState): void {
    if (call.syscallsInFlight++ === 0 && segmentCall === call) {
      call.userMs += now() - segmentSince;
      segmentCall = null;
      pausedCall = call;
    }
  }

  private leaveSyscall(call: CallState): void {
    if (--call.syscallsInFlight === 0 && pausedCall === call) {
      pausedCall = null;
      segmentCall = call;
      segmentSince = now();
    }
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

/** Each syscall goes to the runtime of the call making it; syscalls of test code (`t.run`) pass through. */
export const syscallHandlers: SyscallHandlers = {
  syscall(op, json, run) {
    const call = runningCall();
    return call ? call.runtime.syscall(call, run, op, json) : run(op, json);
  },
  asyncSyscall(op, json, run) {
    const call = runningCall();
    return call ? call.runtime.asyncSyscall(call, run, op, json) : run(op, json);
  },
};

function runningCall(): CallState | null {
  const frame = frames.getStore();
  return frame?.via === "call" ? frame.call : null;
}

/** The scheduled job the current function runs as, from convex-test's request metadata (mutations and actions). */
async function scheduledFunctionId(): Promise<string | null> {
  const metadata = JSON.parse(await originalAsyncSyscall("1.0/getRequestMetadata", "{}")) as { scheduledFunctionId: string | null };
  return metadata.scheduledFunctionId;
}
