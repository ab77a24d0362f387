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

/** The longest a child may take to answer over IPC (its start included) before the bench gives up on it. */
const ANSWER_TIMEOUT_MS = 120_000;

/**
 * Questions to a child over IPC, one at a time: `next(kind)` is the child's next message, which must be of
 * that kind; `ask` sends a request first. An answer fails if the child exits or takes ANSWER_TIMEOUT_MS.
 * Each answer's listeners are removed with it, so a long run's questions do not pile them up.
 */
export function ipcQuestions<Message extends { kind: string }, Request>(child: ChildProcess, name: string) {
  const next = <Kind extends Message["kind"]>(kind: Kind): Promise<Extract<Message, { kind: Kind }>> =>
    new Promise((resolve, reject) => {
      const settle = (error: Error | null, message?: Message) => {
        clearTimeout(timer);
        child.off("exit", exited);
        child.off("message", answered);
        if (error) reject(error);
        else if (message!.kind !== kind) reject(new Error(`expected "${kind}" from ${name}, got "${message!.kind}"`));
        else resolve(message as Extract<Message, { kind: Kind }>);
      };
      const exited = (code: number | null) => settle(new Error(`${name} exited with ${code}`));
      const answered = (message: Message) => settle(null, message);
      const timer = setTimeout(() => settle(new Error(`${name} did not answer "${kind}" within ${ANSWER_TIMEOUT_MS} ms`)), ANSWER_TIMEOUT_MS);
      child.once("exit", exited);
      child.once("message", answered);
    });
  const ask = <Kind extends Message["kind"]>(request: Request, kind: Kind) => {
    const answer = next(kind);
    child.send(request as object);
    return answer;
  };
  return { next, ask };
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
  const { next, ask } = ipcQuestions<GatewayMessage, GatewayRequest>(child, "the gateway");
  const ready = await next("ready");
  return {
    url: `${ready.origin}/api/v1`,
    stop: stopper(child),
    streams: async (requestIds) => (await ask({ kind: "streams", requestIds }, "streams")).streams,
    mark: async () => (await ask({ kind: "mark" }, "mark")).mark,
    usage: async (since) => (await ask({ kind: "usage", since }, "usage")).usage,
  };
}
