// Stopping the bench's child processes: a second stop of a child that a first stop ended by a signal resolves
// at once (it used to wait for an exit that had already happened, and the bench never ended).
import { spawn } from "node:child_process";
import { expect, test } from "vitest";
import { stopper } from "./processes";

test("stop ends a child, and a second stop of it resolves", { timeout: 10_000 }, async () => {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  const stop = stopper(child);
  await stop();
  expect(child.signalCode).toBe("SIGTERM");
  await stop();
});
