// Webhook tools and the SSRF guard through the seed and the HTTP API in agent mode, with real loopback
// receivers: private targets are refused when the seed is applied (naming the field) and again at call
// time (the model is told, the receiver hears nothing); redirects are not followed, so the signature
// never reaches another origin; oversized replies are cut before they go upstream.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { internal } from "../../_generated/api";
import { marker, postChat, startGateway } from "../../testing/harness.testing";
import { upstreamBodies } from "../../testing/upstream.testing";
import { restoreEnvironment, setEnvironment } from "../../testing/environment.testing";
import { SIGNATURE_HEADER } from "./webhookSignature";

const SECRET = "whsec-ssrf-test-0123456789";
const HOOK_KEY = "sk-ssrf-hooks-test-00000000000000";
const PARAMETERS = { type: "object", properties: { orderId: { type: "string" } }, required: ["orderId"] };

interface Hit {
  path: string;
  body: string;
  signature: string | undefined;
}

/** A loopback receiver that records every request and answers with `reply`. */
async function receiver(reply: (request: IncomingMessage, response: import("node:http").ServerResponse) => void) {
  const hits: Hit[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      hits.push({ path: request.url ?? "", body, signature: request.headers[SIGNATURE_HEADER] as string | undefined });
      reply(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, hits, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let origin: Awaited<ReturnType<typeof receiver>>;
let elsewhere: Awaited<ReturnType<typeof receiver>>;
const servers: Server[] = [];

beforeAll(async () => {
  elsewhere = await receiver((_, response) => response.writeHead(200, { "content-type": "application/json" }).end('{"stolen":true}'));
  origin = await receiver((request, response) => {
    if (request.url === "/redirect") {
      response.writeHead(307, { location: `${elsewhere.url}/steal` }).end();
    } else if (request.url === "/huge") {
      // 20 MB of JSON, written as fast as the socket takes it; the gateway stops reading at its cap.
      response.writeHead(200, { "content-type": "application/json" });
      response.on("error", () => {});
      const chunk = "x".repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 320) {
          sent++;
          if (!response.write(sent === 1 ? `{"pad":"${chunk}` : chunk)) return void response.once("drain", pump);
        }
        response.end('"}');
      };
      pump();
    } else {
      response.writeHead(200, { "content-type": "application/json" }).end('{"status":"shipped"}');
    }
  });
  servers.push(origin.server, elsewhere.server);
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
afterEach(restoreEnvironment);

function hookSeed(tools: Record<string, string>) {
  return {
    tenants: [
      {
        slug: "hooks",
        name: "Hooks Inc",
        apiKeys: [{ name: "main", key: HOOK_KEY }],
        agents: [{ slug: "orders", model: "gpt-4o-mini", instructions: "You track orders.", tools: Object.keys(tools) }],
        webhookTools: Object.entries(tools).map(([name, url]) => ({ name, description: "Look up an order", url, secret: SECRET, parameters: PARAMETERS })),
      },
    ],
  };
}

/** Runs the agent with one call of `tool` and returns the tool message the upstream received and the reply text. */
async function callTool(t: Awaited<ReturnType<typeof startGateway>>, tool: string, orderId: string) {
  const tag = marker();
  const response = await postChat(
    t,
    { model: "orders", messages: [{ role: "user", content: `${tag} [[call:${tool} {"orderId":"${orderId}"}]]` }] },
    { key: HOOK_KEY },
  );
  expect(response.status).toBe(200);
  const completion = (await response.json()) as { choices: Array<{ message: { content: string } }> };
  const bodies = await upstreamBodies(tag);
  expect(bodies).toHaveLength(2);
  const toolMessages = bodies[1]!.messages.filter((message) => message.role === "tool");
  expect(toolMessages).toHaveLength(1);
  return { toolMessage: JSON.stringify(toolMessages[0]), reply: completion.choices[0]!.message.content };
}

describe("webhook targets at seed time", () => {
  const PRIVATE_URLS = [
    "http://127.0.0.1:8080/hook",
    "http://2130706433/",
    "http://0x7f.1/",
    "http://0177.0.0.1/",
    "http://127.1/",
    "http://[::1]/",
    "http://[::ffff:10.0.0.1]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://metadata.google.internal/",
    "http://localhost:3211/",
    "http://api.localhost/",
    "https://good@127.0.0.1/",
    "https://acme.example@192.168.0.1/",
    "gopher://hooks.example/",
  ];

  test.each(PRIVATE_URLS)("%s is refused with the field named, and nothing is written", async (url) => {
    const t = await startGateway();
    setEnvironment("GATEWAY_ALLOW_PRIVATE_WEBHOOKS", "0");
    const before = await t.run(async (ctx) => ({ tenants: await ctx.db.query("tenants").collect(), tools: await ctx.db.query("webhookTools").collect() }));
    await expect(t.mutation(internal.admin.seed.apply, { seed: hookSeed({ order_status: url }) })).rejects.toThrow(
      /tenants\[0\]\.webhookTools\[0\]\.url: webhook target refused: /,
    );
    expect(await t.run(async (ctx) => ({ tenants: await ctx.db.query("tenants").collect(), tools: await ctx.db.query("webhookTools").collect() }))).toEqual(before);
  });

  test("a public target is stored in its canonical form", async () => {
    setEnvironment("GATEWAY_ALLOW_PRIVATE_WEBHOOKS", "0");
    const t = await startGateway(hookSeed({ order_status: "https://HOOKS.example:443/order" }));
    const tools = await t.run((ctx) => ctx.db.query("webhookTools").collect());
    expect(tools.map((tool) => tool.url)).toEqual(["https://hooks.example/order"]);
  });
});

describe("webhook calls", () => {
  test("a private target stored while the opt-in was on is refused at call time: the model is told, the receiver hears nothing", async () => {
    const t = await startGateway(hookSeed({ order_status: `${origin.url}/order` }));
    setEnvironment("GATEWAY_ALLOW_PRIVATE_WEBHOOKS", "0");
    const orderId = `ORD-${marker()}`;
    const { toolMessage, reply } = await callTool(t, "order_status", orderId);
    expect(toolMessage).toContain("The tool's endpoint was refused: 127.0.0.1 is a loopback address");
    expect(reply).toContain("refused");
    expect(origin.hits.filter((hit) => hit.body.includes(orderId))).toHaveLength(0);
  });

  test("with the opt-in the same call reaches the loopback receiver, signed", async () => {
    const t = await startGateway(hookSeed({ order_status: `${origin.url}/order` }));
    const orderId = `ORD-${marker()}`;
    const { toolMessage } = await callTool(t, "order_status", orderId);
    expect(toolMessage).toContain("shipped");
    const hits = origin.hits.filter((hit) => hit.body.includes(orderId));
    expect(hits).toHaveLength(1);
    expect(hits[0]!.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });

  test("a redirect is not followed: the tool result says so and the redirected origin receives nothing, signature included", async () => {
    const t = await startGateway(hookSeed({ order_redirect: `${origin.url}/redirect` }));
    const orderId = `ORD-${marker()}`;
    const { toolMessage, reply } = await callTool(t, "order_redirect", orderId);
    expect(toolMessage).toContain("answered with a redirect (HTTP 307), which the gateway does not follow");
    expect(toolMessage).not.toContain("stolen");
    expect(reply).not.toContain("stolen");
    expect(origin.hits.filter((hit) => hit.body.includes(orderId))).toHaveLength(1);
    expect(elsewhere.hits).toHaveLength(0);
  });

  test("a 20 MB reply is cut at the cap: the upstream sees an error result, not the reply", async () => {
    const t = await startGateway(hookSeed({ order_huge: `${origin.url}/huge` }));
    const { toolMessage } = await callTool(t, "order_huge", `ORD-${marker()}`);
    expect(toolMessage).toContain("replied with more than 65536 bytes; the reply was cut off");
    expect(toolMessage.length).toBeLessThan(1000);
  });
});
