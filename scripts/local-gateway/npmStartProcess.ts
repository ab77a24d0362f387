// Test support: `npm start` as a user runs it (offline demo, no OpenAI environment), on a free port, in
// its own process group so a test that fails half-way can still take all of it down.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface NpmStart {
  npm: ChildProcess;
  port: number;
  /** What the gateway printed up to its "Stop:" line, without npm's own echo of the script. */
  lines: string[];
  /** SIGKILL to npm's whole process group; harmless once it has stopped. */
  killAll(): void;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function npmStart(): Promise<NpmStart> {
  const port = await freePort();
  const environment: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
  delete environment.OPENAI_API_KEY;
  delete environment.OPENAI_BASE_URL;
  const npm = spawn("npm", ["start"], { cwd: projectRoot, env: environment, detached: true, stdio: ["ignore", "pipe", "inherit"] });
  const killAll = () => {
    try {
      process.kill(-npm.pid!, "SIGKILL");
    } catch {
      // Already gone.
    }
  };
  const printed: string[] = [];
  const lineReader = createInterface({ input: npm.stdout! });
  try {
    await new Promise<void>((resolve, reject) => {
      npm.once("exit", (code) => reject(new Error(`npm start exited early with ${code}: ${printed.join("\n")}`)));
      lineReader.on("line", (line) => {
        printed.push(line);
        if (line.startsWith("Stop: ")) resolve();
      });
    });
  } catch (error) {
    killAll();
    throw error;
  }
  // npm echoes the script (lines starting with ">") and a blank line before the gateway's own lines.
  return { npm, port, lines: printed.filter((line) => line !== "" && !line.startsWith(">")), killAll };
}
