// A loopback OpenAI-compatible upstream that answers each request by the next step of a script, for
// the failover tests: the same prompt must fail on one provider and succeed on the next, which the
// shared fake's prompt directives cannot do (both would obey them). It records every request body.
// (Files with two dots are never deployed by Convex.)
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type ScriptStep =
  /** A streamed reply "from <name>" with usage. */
  | { kind: "ok" }
  /** An error status with an OpenAI-shaped body, and a retry-after header when given (seconds). */
  | { kind: "status"; status: number; retryAfter?: string }
  /** Accept the request and never answer: a timeout before the first byte. */
  | { kind: "hang" }
  /** Send the event-stream headers and one text chunk, then destroy the socket. */
  | { kind: "break-mid-stream" };

export interface ScriptedUpstream {
  url: string;
  /** The bodies received, in order. */
  bodies: Array<{ model: string; messages: unknown[]; stream?: boolean }>;
  /** The steps to answer the next requests with; the last one repeats. */
  script: ScriptStep[];
  close(): Promise<void>;
}

export async function startScriptedUpstream(name: string, script: ScriptStep[]): Promise<ScriptedUpstream> {
  const upstream: ScriptedUpstream = { url: "", bodies: [], script, close: async () => undefined };
  const server: Server = createServer((request, response) => {
    let text = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (text += chunk));
    request.on("end", () => {
      upstream.bodies.push(JSON.parse(text) as ScriptedUpstream["bodies"][number]);
      const step = upstream.script.length > 1 ? upstream.script.shift()! : upstream.script[0]!;
      answer(name, step, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  upstream.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  upstream.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return upstream;
}

function answer(name: string, step: ScriptStep, response: ServerResponse): void {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, usage: unknown = undefined) =>
    `data: ${JSON.stringify({ id: "chatcmpl-scripted", object: "chat.completion.chunk", created: 1, model: "scripted", choices: usage ? [] : [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
  switch (step.kind) {
    case "ok":
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(chunk({ role: "assistant", content: "" }));
      response.write(chunk({ content: `from ${name}` }));
      response.write(chunk({}, "stop"));
      response.write(chunk({}, null, { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 }));
      response.end("data: [DONE]\n\n");
      return;
    case "status":
      response.writeHead(step.status, { "content-type": "application/json", ...(step.retryAfter !== undefined ? { "retry-after": step.retryAfter } : {}) });
      response.end(JSON.stringify({ error: { message: `scripted ${step.status}`, type: "server_error", code: null } }));
      return;
    case "hang":
      return;
    case "break-mid-stream":
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(chunk({ role: "assistant", content: "" }));
      response.write(chunk({ content: `partial from ${name}` }), () => setTimeout(() => response.socket?.destroy(), 50));
      return;
  }
}
