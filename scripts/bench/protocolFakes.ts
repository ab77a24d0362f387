// Starts the provider-protocol fakes (Anthropic, Bedrock, Google: scripts/fake-upstream/protocols/main.ts) as
// one child process with fixed timing, so their work never delays the bench's clocks, and stops them.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const protocolsMain = fileURLToPath(new URL("../fake-upstream/protocols/main.ts", import.meta.url));

/** Each fake's base URL, as a seed's provider `baseURL` and the AI SDK provider take it. */
export interface ProtocolFakeUrls {
  anthropic: string;
  bedrock: string;
  google: string;
}

export async function startProtocolFakes(timing: { firstTokenMs: number; interTokenMs: number }): Promise<{ urls: ProtocolFakeUrls; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", protocolsMain, "--first-token-ms", String(timing.firstTokenMs), "--inter-token-ms", String(timing.interTokenMs)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const urls = await new Promise<ProtocolFakeUrls>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (data: Buffer) => {
      output += data.toString();
      const found = Object.fromEntries([...output.matchAll(/fake (anthropic|bedrock|google) upstream listening on (\S+)/g)].map((match) => [match[1], match[2]]));
      if (found.anthropic && found.bedrock && found.google) resolve(found as unknown as ProtocolFakeUrls);
    });
    child.once("exit", (code) => reject(new Error(`the protocol fakes exited with ${code}: ${output}`)));
  });
  return {
    urls,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
