// `npm run bench -- --soak`: SOAK.total mixed requests (client-tool and agent mode, JSON and SSE, in
// turn) at concurrency SOAK.concurrency through one local gateway whose tenant keeps data one minute
// and whose retention job runs every 10 s (the hourly cron, with time compressed), so the store
// reaches the steady state a deployment's store reaches under retention. Reports requests/s per window
// of 1,000 and the last window's duration over the first's (the target: at most 1.2). Stops by itself:
// after SOAK.total requests or SOAK.deadlineMinutes. Writes bench-output/soak.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { requestBodies, type Mode } from "./latency";
import { startGateway, startUpstream } from "./processes";
import { table } from "./report";
import { BENCH_KEY, SOAK_RETENTION_DAYS } from "./seed";
import { runSoak } from "./soak";

const SOAK = { total: Number(process.env.BENCH_SOAK_REQUESTS ?? 20_000), concurrency: 8, window: 1000, tokens: 5, maintainEveryMs: 10_000, deadlineMinutes: 40 };
const OUTPUT = fileURLToPath(new URL("../../bench-output/soak.json", import.meta.url));
const KINDS: Array<{ mode: Mode; stream: boolean }> = [
  { mode: "client-tool", stream: false },
  { mode: "client-tool", stream: true },
  { mode: "agent", stream: false },
  { mode: "agent", stream: true },
];

export async function soak(): Promise<void> {
  const upstream = await startUpstream({ firstTokenMs: 50, interTokenMs: 10 });
  const gateway = await startGateway(upstream.url, { maintainEveryMs: SOAK.maintainEveryMs });
  try {
    console.log(`soak: ${SOAK.total} mixed requests at concurrency ${SOAK.concurrency}, retention ${(SOAK_RETENTION_DAYS * 24 * 60).toFixed(0)} minute, retention job every ${SOAK.maintainEveryMs / 1000} s`);
    const result = await runSoak({
      baseUrl: gateway.url,
      key: BENCH_KEY,
      total: SOAK.total,
      concurrency: SOAK.concurrency,
      window: SOAK.window,
      deadlineMs: SOAK.deadlineMinutes * 60_000,
      body: (index) => {
        const { mode, stream } = KINDS[index % KINDS.length]!;
        return requestBodies(mode, `[[words:${SOAK.tokens}]] soak ${index}`, stream).gateway;
      },
    });
    mkdirSync(dirname(OUTPUT), { recursive: true });
    writeFileSync(OUTPUT, `${JSON.stringify({ date: new Date().toISOString(), command: "npm run bench -- --soak", ...SOAK, ...result }, null, 2)}\n`);
    console.log(table(["requests", "seconds", "requests/s"], result.windows.map((window) => [`${window.from + 1}-${window.to}`, window.seconds, window.requestsPerSecond])));
    console.log(
      `\n${result.completed} requests in ${result.elapsedSeconds.toFixed(0)} s, statuses ${JSON.stringify(result.statuses)}, ${result.incomplete} incomplete; ` +
        `last window / first window: ${result.lastOverFirst.toFixed(2)} (target at most 1.20)\nWrote ${OUTPUT}`,
    );
  } finally {
    await gateway.stop();
    await upstream.stop();
  }
}
