// Convex's documented limits, as numbers, and the error a function fails with when it passes one.
// Every number is from https://docs.convex.dev/production/state/limits (read 2026-11-30 from the docs
// source, get-convex/convex-backend npm-packages/docs/docs/production/state/limits.mdx at 02b250ba);
// the section of that page each number sits in is named beside it.

const MiB = 1 << 20;

export const CONVEX_LIMITS = {
  // "Documents" (applied per document and to any nested object):
  /** Size of one document. */
  documentSize: 1 * MiB,
  /** Fields (keys) in one object. */
  objectFields: 1024,
  /** Length of a top-level field name; "Nested Object keys can have length up to 1024 characters." */
  fieldNameLength: 64,
  nestedFieldNameLength: 1024,
  /** "How many times objects and arrays can be nested, e.g. [[[[]]]]". */
  nestingDepth: 16,
  /** Elements in one array. */
  arrayElements: 8192,

  // "Functions":
  /** Function argument size (every function kind). */
  argumentsSize: 16 * MiB,
  /** Function return value size (also listed under "Transactions"). */
  returnValueSize: 16 * MiB,
  /** HTTP action response size ("There is no specific limit on request size"). */
  httpResponseSize: 20 * MiB,

  // "Execution time and scheduling":
  /** Query/mutation execution time: "applies only to user code and doesn't include database operations". */
  userTimeMs: 1000,
  /** "The number of other functions a single mutation can schedule." */
  scheduledFunctions: 1000,
  /** Scheduled function argument size, per scheduled call. */
  scheduledArgumentsSize: 4 * MiB,
  /** "Total size of all scheduled function arguments scheduled in a single mutation" (not actions). */
  scheduledArgumentsTotal: 16 * MiB,

  // "Transactions" (each query or mutation; nested calls share their transaction's budget):
  /** Data read, counting documents scanned. */
  bytesRead: 16 * MiB,
  /** Documents scanned. */
  documentsScanned: 32_000,
  /** "The number of calls to db.get and db.query." */
  indexRanges: 4096,
  /** Data written. */
  bytesWritten: 16 * MiB,
  /** Documents written. */
  documentsWritten: 16_000,
} as const;

export type LimitName = keyof typeof CONVEX_LIMITS;

/** What a limit counts, for error messages: "<what> (<limit>)". */
const DESCRIPTIONS: Record<LimitName, string> = {
  documentSize: "document size",
  objectFields: "fields in one object",
  fieldNameLength: "top-level field name length",
  nestedFieldNameLength: "nested field name length",
  nestingDepth: "field nesting depth",
  arrayElements: "array elements",
  argumentsSize: "function argument size",
  returnValueSize: "function return value size",
  httpResponseSize: "HTTP action response size",
  userTimeMs: "query/mutation execution time (user code, in ms)",
  scheduledFunctions: "functions scheduled by one mutation",
  scheduledArgumentsSize: "scheduled function argument size",
  scheduledArgumentsTotal: "total scheduled function arguments in one mutation",
  bytesRead: "data read in one transaction",
  documentsScanned: "documents scanned in one transaction",
  indexRanges: "index ranges read in one transaction (db.get and db.query calls)",
  bytesWritten: "data written in one transaction",
  documentsWritten: "documents written in one transaction",
};

/** A limit that fired: which, the allowed maximum, the value reached, and in which function. */
export interface LimitViolation {
  limit: LimitName;
  maximum: number;
  actual: number;
  /** The function that was running ("" when none of ours was, e.g. `t.run`). */
  path: string;
  /** Extra context, e.g. the table or field. */
  detail: string;
}

/**
 * How a function fails when it passes a limit. Not a ConvexError: a deployment fails these as system
 * errors that application code does not map. Across `ctx.runQuery`/`runMutation` the runtime turns every
 * non-ConvexError into a plain Error with the same message, so the message names the limit and its number.
 */
export class ConvexLimitError extends Error {
  readonly violation: LimitViolation;
  constructor(violation: LimitViolation) {
    const where = violation.path ? ` in ${violation.path}` : "";
    const detail = violation.detail ? ` (${violation.detail})` : "";
    super(
      `Convex limit exceeded${where}: ${DESCRIPTIONS[violation.limit]} is ${violation.actual.toLocaleString("en-US")}, ` +
        `over the limit of ${violation.maximum.toLocaleString("en-US")}${detail} [${violation.limit}]. ` +
        `See https://docs.convex.dev/production/state/limits`,
    );
    this.name = "ConvexLimitError";
    this.violation = violation;
  }
}
