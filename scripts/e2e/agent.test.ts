// Agent mode end to end, with real clients: the openai SDK streaming a cited answer from an agent
// that uses knowledge_search and calculator, and a webhook tool whose signed call a receiver verifies.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { LocalGateway } from "../local-gateway/gateway";
import { recordedRequests } from "../fake-upstream/client";
import { SIGNATURE_HEADER, verifySignature } from "../../convex/agent/tools/webhookSignature";
import { TEST_SEED } from "../../convex/testing/seed.testing";
import { marker, openaiClient, startTestGateway, upstreamUrl } from "./harness";

const SECRET = "whsec-test-0123456789abcdef";
const HOOK_KEY = "sk-hooks-test-000000000000000000";

interface Received {
  body: string;
  signatureValid: boolean;
}

let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
let gateway: LocalGateway;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", async () => {
      const signatureValid = await verifySignature(SECRET, body, String(request.headers[SIGNATURE_HEADER]), Math.floor(Date.now() / 1000));
      received.push({ body, signatureValid });
      if (request.url === "/broken") {
        response.writeHead(500).end("boom");
        return;
      }
      const { arguments: input } = JSON.parse(body) as { arguments: { orderId: string } };
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ orderId: input.orderId, status: "shipped" }));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const parameters = { type: "object", properties: { orderId: { type: "string" } }, required: ["orderId"] };
  gateway = await startTestGateway({
    tenants: [
      ...TEST_SEED.tenants,
      {
        slug: "hooks",
        name: "Hooks Inc",
        apiKeys: [{ name: "main", key: HOOK_KEY }],
        agents: [{ slug: "orders", model: "gpt-4o-mini", instructions: "You track orders.", tools: ["order_status", "order_status_broken"] }],
        webhookTools: [
          { name: "order_status", description: "Look up an order", url: `${receiverUrl}/order`, secret: SECRET, parameters },
          { name: "order_status_broken", description: "Look up an order (broken)", url: `${receiverUrl}/broken`, secret: SECRET, parameters },
        ],
      },
    ],
  });
});
afterAll(async () => {
  await gateway.close();
  await new Promise((resolve) => receiver.close(resolve));
});

describe("agent mode with real clients", () => {
  test("the openai SDK streams a correct, cited answer from an agent using knowledge_search and calculator, incrementally", async () => {
    const tag = marker();
    const stream = await openaiClient(gateway).chat.completions.create({
      model: "support",
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        {
          role: "user",
          content: `How long do refunds take, and what is 15% of 1200? ${tag} [[call:knowledge_search {"query":"refunds"}]] [[call:calculator {"expression":"1200 * 0.15"}]] [[after-tools:trickle:150]]`,
        },
      ],
    });
    const arrivals: number[] = [];
    let text = "";
    let usage: { total_tokens: number } | null | undefined;
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta?.content;
      if (content) {
        arrivals.push(Date.now());
        text += content;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toContain('"title":"Refund policy"');
    expect(text).toContain('"result":180');
    expect(usage!.total_tokens).toBeGreaterThan(0);
    expect(arrivals.length).toBeGreaterThan(3);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(100);
    const bodies = (await recordedRequests(upstreamUrl(), tag)).map((request) => request.body as { messages: Array<{ role: string }> });
    expect(bodies).toHaveLength(2);
    expect(bodies[1]!.messages.filter((message) => message.role === "tool")).toHaveLength(2);
  });

  test("a webhook tool is called with a signature the receiver verifies, and its JSON reply is the tool result", async () => {
    const tag = marker();
    const completion = await openaiClient(gateway, HOOK_KEY).chat.completions.create({
      model: "orders",
      messages: [{ role: "user", content: `Where is ORD-42? ${tag} [[call:order_status {"orderId":"ORD-42"}]]` }],
    });
    const call = received.find((entry) => entry.body.includes("ORD-42"))!;
    expect(call.signatureValid).toBe(true);
    expect(JSON.parse(call.body)).toMatchObject({ tool: "order_status", arguments: { orderId: "ORD-42" } });
    expect(completion.choices[0]!.message.content).toContain('order_status={"orderId":"ORD-42","status":"shipped"}');
    // A tampered body does not verify.
    expect(await verifySignature(SECRET, call.body.replace("ORD-42", "ORD-43"), `t=${Math.floor(Date.now() / 1000)},v1=00`, Math.floor(Date.now() / 1000))).toBe(false);
  });

  test("a failing webhook yields an error result the model sees, not a failed request", async () => {
    const tag = marker();
    const completion = await openaiClient(gateway, HOOK_KEY).chat.completions.create({
      model: "orders",
      messages: [{ role: "user", content: `${tag} [[call:order_status_broken {"orderId":"ORD-7"}]]` }],
    });
    expect(completion.choices[0]!.message.content).toContain(`order_status_broken={"error":"The tool's endpoint answered HTTP 500."}`);
  });
});
