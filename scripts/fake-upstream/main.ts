// Runs the fake upstream on its own, e.g. for benchmarks or to point an OpenAI client at it by hand:
//   tsx scripts/fake-upstream/main.ts [--port N] [--host H] [--first-token-ms N] [--inter-token-ms N]
import { parseArgs } from "node:util";
import { wholeNumber } from "./cliFlags";
import { startFakeUpstream } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    "first-token-ms": { type: "string" },
    "inter-token-ms": { type: "string" },
  },
});

const upstream = await startFakeUpstream({
  port: wholeNumber("port", values.port),
  host: values.host,
  firstTokenDelayMs: wholeNumber("first-token-ms", values["first-token-ms"]),
  interTokenDelayMs: wholeNumber("inter-token-ms", values["inter-token-ms"]),
});
console.log(`fake upstream listening on ${upstream.url}`);

// Closing destroys open connections, after which nothing keeps the process alive and it exits with 0.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void upstream.close());
