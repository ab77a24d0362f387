// Scheduled maintenance (Convex's built-in cron jobs): every hour, delete each tenant's data past its
// retention period (model/retention.ts). Stream chunks are not swept here: each stream schedules its
// own deletion when it ends (agent/streamCleanup.ts).
import { cronJobs } from "convex/server";
import { internal } from "./_generated/api";

const crons = cronJobs();

crons.interval("delete data past retention", { hours: 1 }, internal.model.retention.sweep, { cursor: null });

export default crons;
