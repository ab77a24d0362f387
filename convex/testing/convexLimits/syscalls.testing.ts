// The second seam: the `Convex` global through which convex/server sends every syscall (database reads
// and writes, scheduling, nested calls) to convex-test. Wrapped once per global, so the handlers see
// each syscall of every function before convex-test runs it.
export type SyncSyscall = (op: string, json: string) => string;
export type AsyncSyscall = (op: string, json: string) => Promise<string>;

/** What the seam does with each syscall; `run` is convex-test's own implementation. */
export interface SyscallHandlers {
  syscall(op: string, json: string, run: SyncSyscall): string;
  asyncSyscall(op: string, json: string, run: AsyncSyscall): Promise<string>;
}

interface ConvexGlobal {
  readonly syscall: SyncSyscall;
  readonly asyncSyscall: AsyncSyscall;
  readonly jsSyscall: unknown;
}

const ORIGINAL = Symbol.for("convexLimits.originalConvexGlobal");

type Host = { Convex?: ConvexGlobal & { [ORIGINAL]?: ConvexGlobal } };

/** Wraps the `Convex` global convex-test installs (once per global; again if convex-test replaces it). */
export function installSyscallSeam(handlers: SyscallHandlers): void {
  const host = globalThis as unknown as Host;
  const original = host.Convex;
  if (!original) throw new Error("convexTestWithLimits: convex-test did not install the Convex global");
  if (original[ORIGINAL]) return;
  host.Convex = {
    [ORIGINAL]: original,
    get syscall(): SyncSyscall {
      const run = original.syscall;
      return (op, json) => handlers.syscall(op, json, run);
    },
    get asyncSyscall(): AsyncSyscall {
      const run = original.asyncSyscall;
      return (op, json) => handlers.asyncSyscall(op, json, run);
    },
    get jsSyscall() {
      return original.jsSyscall;
    },
  };
}

/** convex-test's own async syscall, unseen by the handlers (for the meter's own bookkeeping). */
export function originalAsyncSyscall(op: string, json: string): Promise<string> {
  const original = (globalThis as unknown as Host).Convex?.[ORIGINAL];
  if (!original) throw new Error("convexTestWithLimits: the syscall seam is not installed");
  return original.asyncSyscall(op, json);
}
