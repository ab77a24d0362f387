// Runs the provider-protocol fakes on their own, e.g. to point a local gateway's seed at them or to bench:
//   tsx scripts/fake-upstream/protocols/main.ts [--host H] [--anthropic-port N] [--bedrock-port N]
//     [--google-port N] [--region R] [--first-token-ms N] [--inter-token-ms N]
// Prints each base URL, as a seed's provider `baseURL` takes it.
import { parseArgs } from "node:util";
import { wholeNumber } from "../cliFlags";
import { startAnthropicFake } from "../anthropic/fake";
import { startBedrockFake } from "../bedrock/fake";
import { startGoogleFake } from "../google/fake";

const { values } = parseArgs({
  options: {
    host: { type: "string" },
    "anthropic-port": { type: "string" },
    "bedrock-port": { type: "string" },
    "google-port": { type: "string" },
    region: { type: "string" },
    "first-token-ms": { type: "string" },
    "inter-token-ms": { type: "string" },
  },
});

const shared = {
  host: values.host,
  firstTokenDelayMs: wholeNumber("first-token-ms", values["first-token-ms"]),
  interTokenDelayMs: wholeNumber("inter-token-ms", values["inter-token-ms"]),
};
const fakes = [
  ["anthropic", await startAnthropicFake({ ...shared, port: wholeNumber("anthropic-port", values["anthropic-port"]) })],
  ["bedrock", await startBedrockFake({ ...shared, port: wholeNumber("bedrock-port", values["bedrock-port"]), region: values.region })],
  ["google", await startGoogleFake({ ...shared, port: wholeNumber("google-port", values["google-port"]) })],
] as const;
for (const [kind, fake] of fakes) console.log(`fake ${kind} upstream listening on ${fake.url}`);

// Closing destroys open connections, after which nothing keeps the process alive and it exits with 0.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void Promise.all(fakes.map(([, fake]) => fake.close())));
}
