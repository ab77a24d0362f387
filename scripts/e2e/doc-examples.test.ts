// The examples the docs show are run, so they cannot rot: every file in docs/examples/ and the curl
// and JavaScript blocks of README.md and docs/getting-started.md, against a local gateway seeded from
// local.seed.json (the seed `npm start` uses), with their output checked. docs/api-guide.md must show
// each example file exactly as it is.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { LocalGateway } from "../local-gateway/gateway";
import { describeSeed } from "../local-gateway/seedSummary";
import { recordedRequests } from "../fake-upstream/client";
import { startTestGateway, upstreamUrl } from "./harness";

const root = fileURLToPath(new URL("../..", import.meta.url));
const examplesDir = join(root, "docs", "examples");
const seed = JSON.parse(readFileSync(join(root, "local.seed.json"), "utf8"));
const demoKey = describeSeed(seed).demoKey!;

/** What the offline demo model answers to the examples' prompts. */
const REPLY = "Hello from the fake upstream. You said: Write a tagline for Acme anvils.";
const SHORTER = "Hello from the fake upstream. You said: Now make it shorter.";

let gateway: LocalGateway;
beforeAll(async () => {
  gateway = await startTestGateway(seed);
});
afterAll(() => gateway.close());

async function run(command: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(command, args, {
    cwd: root,
    env: { ...process.env, BASE_URL: gateway.baseUrl, API_KEY: demoKey },
    timeout: 20_000,
  });
  return stdout;
}

/** The text of a stream of `data:` events, and whether it ended with [DONE]. */
function sseText(output: string): { text: string; done: boolean } {
  const data = output
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => line.slice("data: ".length));
  const text = data
    .filter((item) => item !== "[DONE]")
    .map((item) => JSON.parse(item).choices[0]?.delta?.content ?? "")
    .join("");
  return { text, done: data.at(-1) === "[DONE]" };
}

/** The upstream request of the last "Now make it shorter." turn saw the first turn before it: the conversation was continued. */
async function expectContinuedConversation(): Promise<void> {
  const requests = await recordedRequests(upstreamUrl(), "Now make it shorter.");
  const messages = (requests.at(-1)!.body as { messages: Array<{ role: string; content: string }> }).messages;
  expect(messages.slice(1).map((message) => [message.role, message.content])).toEqual([
    ["user", "Write a tagline for Acme anvils."],
    ["assistant", REPLY],
    ["user", "Now make it shorter."],
  ]);
}

const EXAMPLES: Record<string, () => Promise<void>> = {
  "chat.sh": async () => {
    const completion = JSON.parse(await run("sh", ["docs/examples/chat.sh"]));
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0].message.content).toBe(REPLY);
  },
  "stream.sh": async () => {
    expect(sseText(await run("sh", ["docs/examples/stream.sh"]))).toEqual({ text: REPLY, done: true });
  },
  "conversation.sh": async () => {
    const [first, ...rest] = (await run("sh", ["docs/examples/conversation.sh"])).split("\n");
    expect(first).toMatch(/^conversation: \S+$/);
    expect(JSON.parse(rest.join("\n")).choices[0].message.content).toBe(SHORTER);
    await expectContinuedConversation();
  },
  "chat.py": async () => {
    expect(await run("python3", ["docs/examples/chat.py"])).toBe(`${REPLY}\n${SHORTER}\n`);
    await expectContinuedConversation();
  },
  "stream.py": async () => {
    expect(await run("python3", ["docs/examples/stream.py"])).toBe(`${REPLY}\n`);
  },
  "chat.mjs": async () => {
    const lines = (await run("node", ["docs/examples/chat.mjs"])).trim().split("\n");
    expect(lines).toEqual(["model: support", "model: writer", REPLY, SHORTER]);
    await expectContinuedConversation();
  },
  "stream.mjs": async () => {
    const output = await run("node", ["docs/examples/stream.mjs"]);
    expect(output).toMatch(new RegExp(`^${REPLY.replace(/[.]/g, "\\.")}\\nusage: \\d+ in, \\d+ out\\n$`));
  },
  "tools.mjs": async () => {
    const lines = (await run("node", ["docs/examples/tools.mjs"])).trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^tool call: get_weather\(\{"city":".*"\}\) -> \{"city":".*","temperature_c":18,"sky":"sunny"\}$/);
    expect(lines[1]).toMatch(/^Tool results: get_weather=\{"city":".*","temperature_c":18,"sky":"sunny"\}$/);
  },
  "errors.mjs": async () => {
    expect(await run("node", ["docs/examples/errors.mjs"])).toBe("404 model_not_found (param: model)\n401 invalid_api_key\n");
  },
};

describe("docs/examples", () => {
  test("every example file has a check here", () => {
    expect(readdirSync(examplesDir).sort()).toEqual(Object.keys(EXAMPLES).sort());
  });

  for (const [name, check] of Object.entries(EXAMPLES)) {
    test(`${name} runs against the gateway and prints what the docs say`, check);
  }

  test("docs/api-guide.md shows every example exactly as its file holds it", () => {
    const guide = readFileSync(join(root, "docs", "api-guide.md"), "utf8");
    const shown = new Map(
      [...guide.matchAll(/<!-- example: (\S+) -->\n```\w+\n([\s\S]*?)```\n/g)].map((match) => [match[1]!, match[2]!]),
    );
    expect([...shown.keys()].sort()).toEqual(Object.keys(EXAMPLES).sort());
    for (const [name, code] of shown) expect(code, name).toBe(readFileSync(join(examplesDir, name), "utf8"));
  });
});

/** The fenced code blocks of a markdown file. */
function codeBlocks(file: string): Array<{ language: string; code: string }> {
  const text = readFileSync(join(root, file), "utf8");
  return [...text.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((match) => ({ language: match[1]!, code: match[2]! }));
}

/** The README's and the getting-started guide's examples call `npm start`'s default address; here they call the test gateway. */
const local = (code: string) => code.replaceAll("http://127.0.0.1:3211", gateway.origin);

describe("README.md and docs/getting-started.md", () => {
  for (const file of ["README.md", "docs/getting-started.md"]) {
    test(`${file}: its curl example returns the reply`, async () => {
      const curls = codeBlocks(file).filter((block) => block.language === "sh" && block.code.includes("curl "));
      expect(curls).toHaveLength(1);
      const completion = JSON.parse(await run("sh", ["-c", local(curls[0]!.code)]));
      expect(completion.choices[0].message.content).toBe(REPLY);
    });
  }

  test("README.md: its openai SDK example streams the reply", async () => {
    const scripts = codeBlocks("README.md").filter((block) => block.language === "js");
    expect(scripts).toHaveLength(1);
    expect(await run("node", ["--input-type=module", "-e", local(scripts[0]!.code)])).toBe(REPLY);
  });
});
