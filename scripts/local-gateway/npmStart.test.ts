// `npm start` is honest and easy to stop: its first lines name the offline demo model and say the data
// lives in memory, and stopping the npm process it started (SIGTERM to npm's pid, as `kill` sends)
// stops the gateway and frees its port.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, connect } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, expect, test } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

let started: ChildProcess | null = null;
afterEach(() => {
  // If the test failed half-way, take down npm's whole process group (npm, its shell, the gateway).
  if (started?.pid !== undefined) {
    try {
      process.kill(-started.pid, "SIGKILL");
    } catch {
      // Already gone: the test stopped it.
    }
  }
  started = null;
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("killing npm's pid stops the gateway: its port is free within a few seconds", { timeout: 90_000 }, async () => {
  const port = await freePort();
  const environment: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
  delete environment.OPENAI_API_KEY;
  delete environment.OPENAI_BASE_URL;
  const npm = spawn("npm", ["start"], { cwd: root, env: environment, detached: true, stdio: ["ignore", "pipe", "inherit"] });
  started = npm;
  const lines: string[] = [];
  const lineReader = createInterface({ input: npm.stdout! });
  await new Promise<void>((resolve, reject) => {
    npm.once("exit", (code) => reject(new Error(`npm start exited early with ${code}: ${lines.join("\n")}`)));
    lineReader.on("line", (line) => {
      lines.push(line);
      if (line.startsWith("Stop: ")) resolve();
    });
  });
  // npm echoes the script (lines starting with ">") and a blank line; the gateway's own lines follow.
  const own = lines.filter((line) => line !== "" && !line.startsWith(">"));
  expect(own[0]).toMatch(/^Offline demo model: OPENAI_API_KEY is not set/);
  expect(own[1]).toMatch(/^Data: in memory only\. .* lost when this process stops/);
  expect(own).toContain(`Gateway: http://127.0.0.1:${port}/api/v1`);
  const gatewayPid = Number(/kill (\d+)/.exec(own.at(-1)!)![1]);
  expect(gatewayPid).not.toBe(npm.pid);
  expect(alive(gatewayPid)).toBe(true);
  expect((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status).toBe(200);

  const stoppedAt = Date.now();
  process.kill(npm.pid!, "SIGTERM");
  while ((await accepts(port)) && Date.now() - stoppedAt < 5000) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await accepts(port)).toBe(false);
  while (alive(gatewayPid) && Date.now() - stoppedAt < 5000) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(alive(gatewayPid)).toBe(false);
  console.log(`npm start: port ${port} free ${Date.now() - stoppedAt} ms after SIGTERM to npm`);
});
