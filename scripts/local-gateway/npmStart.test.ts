// `npm start` is honest and easy to stop: its first lines name the offline demo model and say the data
// lives in memory, and stopping the npm process it started (SIGTERM to npm's pid, as `kill` sends)
// stops the gateway and frees its port.
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { npmStart, projectRoot, type NpmStart } from "./npmStartProcess";

let started: NpmStart | null = null;
afterEach(() => {
  started?.killAll();
  started = null;
});

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

async function within(milliseconds: number, done: () => Promise<boolean>): Promise<void> {
  const start = Date.now();
  while (!(await done()) && Date.now() - start < milliseconds) await new Promise((resolve) => setTimeout(resolve, 100));
}

test("killing npm's pid stops the gateway: its port is free within a few seconds", { timeout: 90_000 }, async () => {
  started = await npmStart();
  const { npm, port, lines } = started;
  expect(lines[0]).toMatch(/^Offline demo model: OPENAI_API_KEY is not set/);
  expect(lines[1]).toMatch(/^Data: in memory only\. .* lost when this process stops/);
  expect(lines).toContain(`Gateway: http://127.0.0.1:${port}/api/v1`);
  const gatewayPid = Number(/kill (\d+)/.exec(lines.at(-1)!)![1]);
  expect(gatewayPid).not.toBe(npm.pid);
  expect(alive(gatewayPid)).toBe(true);
  expect((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status).toBe(200);
  // docs/getting-started.md shows the same lines, in the same order.
  const guide = readFileSync(join(projectRoot, "docs", "getting-started.md"), "utf8");
  const shown = /```text\n([\s\S]*?)```/.exec(guide)![1]!.trim().split("\n");
  const label = (line: string) => line.split(":")[0];
  expect(shown.map(label)).toEqual(lines.map(label));

  const stoppedAt = Date.now();
  process.kill(npm.pid!, "SIGTERM");
  await within(8000, async () => !(await accepts(port)));
  expect(await accepts(port)).toBe(false);
  await within(8000, async () => !alive(gatewayPid));
  expect(alive(gatewayPid)).toBe(false);
  console.log(`npm start: port ${port} free ${Date.now() - stoppedAt} ms after SIGTERM to npm`);
});
