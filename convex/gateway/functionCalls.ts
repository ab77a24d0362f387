// Counts the Convex functions an HTTP action calls (ctx.runQuery, runMutation, runAction): each is a
// round trip to the database. The count at the moment a request is handed to the upstream is its
// critical path, reported in Server-Timing; the design goal is one call, the authorising mutation.
import type { ActionCtx } from "../_generated/server";

export class FunctionCallCounter {
  count = 0;

  /** The same context, with every function call counted. */
  wrap(ctx: ActionCtx): ActionCtx {
    const counted = <Call extends (...args: never[]) => unknown>(call: Call): Call =>
      ((...args: Parameters<Call>) => {
        this.count++;
        return call(...args);
      }) as Call;
    return {
      ...ctx,
      runQuery: counted(ctx.runQuery.bind(ctx)),
      runMutation: counted(ctx.runMutation.bind(ctx)),
      runAction: counted(ctx.runAction.bind(ctx)),
    };
  }
}
