// Starts the bench's two servers as child processes (the fake upstream with fixed timing, and the
// gateway) and stops them; the bench itself only sends requests and reads clocks.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { GatewayMessage, GatewayRequest, MeteredUsage, WrittenStream } from "./gatewayProcess";
import type { ProtocolFakeUrls } from "./protocolFakes";
import { BENCH_PROVIDER_SECRETS } from "./seed";

const TSX = ["--import", "tsx"];
const fakeUpstreamMain = fileURLToPath(new URL("../fake-upstream/main.ts", import.meta.url));
const gatewayMain = fileURLToPath(new URL("./gatewayProcess.ts", import.meta.url));

export interface Child {
  url: string;
  stop(): Promise<void>;
}

/** Stops the child; resolves at once when it has already exited, by a code or, as after an earlier stop, by a signal. */
export function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
}

/** The fake upstream (scripts/fake-upstream/main.ts) with a fixed time to first token and per token. */
export async function startUpstream(timing: { firstTokenMs: number; interTokenMs: number }): Promise<Child> {
  const child = spawn(
    process.execPath,
    [...TSX, fakeUpstreamMain, "--port", "0", "--first-token-ms", String(timing.firstTokenMs), "--inter-token-ms", String(timing.interTokenMs)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (data: Buffer) => {
      output += data.toString();
      const match = /listening on (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`the fake upstream exited with ${code}: ${output}`)));
  });
  return { url, stop: stopper(child) };
}

export interface GatewayChild extends Child {
  /** The written chunks of the agent-mode streams of these requests. */
  streams(requestIds: string[]): Promise<WrittenStream[]>;
  /** A mark in the gateway's meter of Convex function calls. */
  mark(): Promise<number>;
  /** The function calls since a mark, with what they read and wrote. */
  usage(since: number): Promise<MeteredUsage>;
}

/**
 * A local gateway with the bench seed, calling the given upstream; `maintainEveryMs` runs the retention job that
 * often (the soak's seed); `providers` adds a provider of each protocol kind at those fakes (seed.ts, providerSeed).
 */
export async function startGateway(upstreamUrl: string, options: { maintainEveryMs?: number; providers?: ProtocolFakeUrls } = {}): Promise<GatewayChild> {
  const child = spawn(process.execPath, [...TSX, gatewayMain], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: {
      ...process.env,
      OPENAI_BASE_URL: upstreamUrl,
      OPENAI_API_KEY: "sk-bench-upstream",
      ...(options.maintainEveryMs ? { BENCH_MAINTAIN_EVERY_MS: String(options.maintainEveryMs) } : {}),
      ...(options.providers ? { BENCH_PROVIDER_URLS: JSON.stringify(options.providers), ...BENCH_PROVIDER_SECRETS } : {}),
    },
  });
  // Each answer's exit listener is removed with the answer, so a long run's questions do not pile them up.
  const next = () =>
    new Promise<GatewayMessage>((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`the gateway exited with ${code}`));
      child.once("exit", exited);
      child.once("message", (message) => {
        child.off("exit", exited);
        resolve(message as GatewayMessage);
      });
    });
  const ask = async <Kind extends GatewayMessage["kind"]>(request: GatewayRequest, kind: Kind): Promise<Extract<GatewayMessage, { kind: Kind }>> => {
    const answer = next();
    child.send(request);
    const message = await answer;
    if (message.kind !== kind) throw new Error("unexpected answer from the gateway");
    return message as Extract<GatewayMessage, { kind: Kind }>;
  };
  const ready = await next();
  if (ready.kind !== "ready") throw new Error("the gateway did not start");
  return {
    url: `${ready.origin}/api/v1`,
    stop: stopper(child),
    streams: async (requestIds) => (await ask({ kind: "streams", requestIds }, "streams")).streams,
    mark: async () => (await ask({ kind: "mark" }, "mark")).mark,
    usage: async (since) => (await ask({ kind: "usage", since }, "usage")).usage,
  };
}
