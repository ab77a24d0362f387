// What a Convex deployment does by itself and convex-test does not: run the cron jobs of
// convex/crons.ts (here, the hourly retention sweep) and drop finished scheduled-function records
// (a deployment keeps them out of the way; convex-test keeps them for ever and scans them on every
// query, which is what made the local gateway slow down as it aged). Timers never keep the process up.
import type { TestConvex } from "convex-test";
import type schema from "../../convex/schema";
import { internal } from "../../convex/_generated/api";

/** The retention cron's interval in convex/crons.ts. */
export const RETENTION_SWEEP_EVERY_MS = 60 * 60 * 1000;
/** How often finished scheduled-function records are dropped, and how long they are kept first. */
export const FINISHED_JOBS_EVERY_MS = 60 * 1000;
const FINISHED_JOBS_KEPT_MS = 60 * 1000;

export interface MaintenanceSchedule {
  /** How often the retention sweep runs (default: hourly, as the cron). */
  sweepEveryMs?: number;
  /** How often finished scheduled-function records are dropped (default: every minute). */
  jobsEveryMs?: number;
}

export function startMaintenance(t: TestConvex<typeof schema>, schedule: MaintenanceSchedule = {}): () => void {
  const timers = [
    setInterval(() => void sweepRetention(t).catch(() => undefined), schedule.sweepEveryMs ?? RETENTION_SWEEP_EVERY_MS),
    setInterval(() => void dropFinishedJobs(t).catch(() => undefined), schedule.jobsEveryMs ?? FINISHED_JOBS_EVERY_MS),
  ];
  for (const timer of timers) timer.unref();
  return () => timers.forEach(clearInterval);
}

export async function sweepRetention(t: TestConvex<typeof schema>): Promise<void> {
  await t.mutation(internal.model.retention.sweep, { cursor: null });
}

export async function dropFinishedJobs(t: TestConvex<typeof schema>, keptMs = FINISHED_JOBS_KEPT_MS): Promise<number> {
  return t.run(async (ctx) => {
    const before = Date.now() - keptMs;
    // Convex functions cannot delete system rows; convex-test's `t.run` can, which is what this stands in for.
    const store = ctx.db as unknown as { delete(id: string): Promise<void> };
    let dropped = 0;
    for (const job of await ctx.db.system.query("_scheduled_functions").collect()) {
      // A cancelled job is finished however far ahead it was scheduled (a run's 11-minute expiry check).
      const finished =
        job.state.kind === "canceled" || ((job.state.kind === "success" || job.state.kind === "failed") && (job.completedTime ?? job.scheduledTime) < before);
      if (finished) {
        await store.delete(job._id);
        dropped++;
      }
    }
    return dropped;
  });
}
