// The meter: one record per Convex function call (what a deployment bills), with the documents and
// bytes it read and wrote and the ids of the documents it wrote, plus the limit violations seen.
// Filled in by convexLimits.testing.ts; read by tests and benchmarks through the helpers below.
import type { LimitName, LimitViolation } from "./limits.testing";

export type FunctionKind = "query" | "mutation" | "action" | "httpAction";

export interface FunctionCall {
  /** Increasing from 1 in start order. */
  readonly id: number;
  /** The component the function belongs to ("" for the app, e.g. "rateLimiter"). */
  readonly component: string;
  /** "model/chat:begin", or "POST /api/v1/chat/completions" for an HTTP action. */
  readonly path: string;
  readonly kind: FunctionKind;
  /** The call that invoked this one (ctx.runQuery/runMutation/runAction, a component call), or null. */
  readonly parent: number | null;
  /** The call that scheduled this one, or null. */
  readonly scheduledBy: number | null;
  /** The id of the outermost call this one descends from, through calls and scheduling: a request. */
  readonly request: number;
  /** The id of the call whose transaction this query or mutation runs in (itself unless it is a component call inside another); null for actions. */
  readonly transaction: number | null;
  /** Wall time of the handler; for an HTTP action, until it returned its Response. */
  durationMs: number | null;
  /** Queries and mutations: the time their own code ran, outside syscalls (what the 1 s limit counts). */
  userTimeMs: number | null;
  argumentsBytes: number;
  /** The return value's size; for an HTTP action, the response body bytes streamed so far. */
  returnBytes: number | null;
  /** This call's own database work; calls it makes are their own records. */
  documentsRead: number;
  bytesRead: number;
  indexRanges: number;
  documentsWritten: number;
  bytesWritten: number;
  /** Ids of the documents this call inserted, patched, replaced or deleted. */
  readonly writes: Set<string>;
  scheduled: number;
  scheduledArgumentsBytes: number;
  outcome: "running" | "returned" | "threw";
  /** The limit this call failed on, if it did. */
  limitExceeded: LimitName | null;
}

export interface Usage {
  calls: number;
  byKind: Record<FunctionKind, number>;
  documentsRead: number;
  bytesRead: number;
  indexRanges: number;
  documentsWritten: number;
  bytesWritten: number;
  scheduled: number;
}

export interface HotDocument {
  documentId: string;
  /** How many of the write sets contain it. */
  requests: number;
  /** requests / number of write sets. */
  share: number;
}

export class ConvexMeter {
  /** The most recent calls, oldest first (at most `maxCalls`; older ones are dropped in batches). */
  readonly calls: FunctionCall[] = [];
  /** The most recent limit violations (at most 1,000). */
  readonly violations: LimitViolation[] = [];
  private nextId = 1;

  constructor(private readonly maxCalls = 50_000) {}

  /** The id the next call will get: pass it to `since` to see what a piece of work did. */
  mark(): number {
    return this.nextId;
  }

  /** Calls started at or after `mark`. */
  since(mark: number): FunctionCall[] {
    return this.calls.filter((call) => call.id >= mark);
  }

  /** Calls grouped by request (see FunctionCall.request), in request order. */
  byRequest(calls: readonly FunctionCall[] = this.calls): Map<number, FunctionCall[]> {
    const groups = new Map<number, FunctionCall[]>();
    for (const call of calls) {
      const group = groups.get(call.request);
      if (group) group.push(call);
      else groups.set(call.request, [call]);
    }
    return groups;
  }

  clear(): void {
    this.calls.length = 0;
    this.violations.length = 0;
  }

  /** @internal Used by convexLimits.testing.ts. */
  newId(): number {
    return this.nextId++;
  }

  /** @internal */
  record(call: FunctionCall): void {
    this.calls.push(call);
    if (this.calls.length >= this.maxCalls + Math.ceil(this.maxCalls / 10)) {
      this.calls.splice(0, this.calls.length - this.maxCalls);
    }
  }

  /** @internal */
  recordViolation(violation: LimitViolation): void {
    this.violations.push(violation);
    if (this.violations.length > 1000) this.violations.shift();
  }
}

/** Totals over some calls, e.g. one request's or one request kind's. */
export function usage(calls: readonly FunctionCall[]): Usage {
  const total: Usage = {
    calls: calls.length,
    byKind: { query: 0, mutation: 0, action: 0, httpAction: 0 },
    documentsRead: 0,
    bytesRead: 0,
    indexRanges: 0,
    documentsWritten: 0,
    bytesWritten: 0,
    scheduled: 0,
  };
  for (const call of calls) {
    total.byKind[call.kind] += 1;
    total.documentsRead += call.documentsRead;
    total.bytesRead += call.bytesRead;
    total.indexRanges += call.indexRanges;
    total.documentsWritten += call.documentsWritten;
    total.bytesWritten += call.bytesWritten;
    total.scheduled += call.scheduled;
  }
  return total;
}

/** The ids of every document the calls wrote. */
export function writeSet(calls: readonly FunctionCall[]): Set<string> {
  const ids = new Set<string>();
  for (const call of calls) for (const id of call.writes) ids.add(id);
  return ids;
}

/**
 * Documents written by more than one of the given write sets (one per request), most shared first.
 * The first entry's share is "the largest share of requests that wrote any single document": on a
 * deployment, requests that write the same document conflict and retry (optimistic concurrency).
 */
export function hotDocuments(writeSets: readonly ReadonlySet<string>[]): HotDocument[] {
  const counts = new Map<string, number>();
  for (const ids of writeSets) for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts]
    .filter(([, requests]) => requests > 1)
    .map(([documentId, requests]) => ({ documentId, requests, share: requests / writeSets.length }))
    .sort((a, b) => b.requests - a.requests || a.documentId.localeCompare(b.documentId));
}
