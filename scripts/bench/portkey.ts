// Portkey's open-source gateway (`@portkey-ai/gateway`, a pinned devDependency) as the bench's yardstick: the
// fastest gateway on npm, run as a child process in front of the same fake upstream as this gateway. Its bin
// (build/start-server.js) takes only `--port=N` and listens on every interface; portkeyLoopback.ts, loaded into it,
// binds it to 127.0.0.1 on a port the OS picks and reports the port over IPC. A request reaches the fake through
// Portkey's OpenAI provider with a custom host (portkeyHeaders); the Authorization header is passed on as is.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { stopper, type Child } from "./processes";
import type { PortkeyListening } from "./portkeyLoopback";

const PACKAGE_DIRECTORY = new URL("../../node_modules/@portkey-ai/gateway/", import.meta.url);
const startServer = fileURLToPath(new URL("build/start-server.js", PACKAGE_DIRECTORY));
const loopback = fileURLToPath(new URL("./portkeyLoopback.ts", import.meta.url));
/** A start takes about 1 s here; past this the child is killed and the bench fails. */
const START_TIMEOUT_MS = 20_000;

/** The installed version, for the bench's output. */
export function portkeyVersion(): string {
  return (JSON.parse(readFileSync(new URL("package.json", PACKAGE_DIRECTORY), "utf8")) as { version: string }).version;
}

/** The headers that route a Chat Completions request through Portkey to an OpenAI-compatible base URL (ending in /v1). */
export function portkeyHeaders(upstreamBaseUrl: string): Record<string, string> {
  return { "x-portkey-provider": "openai", "x-portkey-custom-host": upstreamBaseUrl };
}

/** Portkey's Chat Completions base URL (OpenAI's paths under /v1) for the port it listens on. */
export function portkeyBaseUrl(port: number): string {
  return `http://127.0.0.1:${port}/v1`;
}

/** Starts Portkey on a free loopback port; `url` is its /v1 base URL. Throws (and kills it) past START_TIMEOUT_MS. */
export async function startPortkey(): Promise<Child> {
  const child = spawn(process.execPath, ["--import", "tsx", "--import", loopback, startServer, "--port=0", "--headless"], {
    // Its stdout is a start-up spinner; its stderr carries its errors.
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    env: { ...process.env, NODE_ENV: "production" },
  });
  const stop = stopper(child);
  let timer: NodeJS.Timeout | undefined;
  try {
    const port = await new Promise<number>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`Portkey did not listen within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      child.once("message", (message: PortkeyListening) => resolve(message.port));
      child.once("exit", (code) => reject(new Error(`Portkey exited with ${code} before listening`)));
    });
    return { url: portkeyBaseUrl(port), stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
