// One chat request with its clocks: the whole response, the first content delta of a stream, each
// delta's arrival (for the relay's write-to-client delay), and the gateway's Server-Timing metrics.

export interface Timed {
  status: number;
  /** From sending the request to the end of the response. */
  totalMs: number;
  /** Streaming only: from sending to the first delta with content. */
  firstTokenMs: number | null;
  /** Server-Timing: each `dur` in ms, and `calls-before-upstream` as a number. */
  serverTiming: Record<string, number>;
  requestId: string | null;
  /** Streaming only: when each content delta arrived (epoch ms) and the content length received by then. */
  arrivals: Array<{ at: number; contentLength: number }>;
}

/** `headers` are sent besides the content type and the key (Portkey's routing headers, portkey.ts). */
export async function timedRequest(url: string, key: string | null, body: object, headers: Record<string, string> = {}): Promise<Timed> {
  const started = performance.now();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: JSON.stringify(body),
  });
  const arrivals: Timed["arrivals"] = [];
  let firstTokenMs: number | null = null;
  if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
    let contentLength = 0;
    let buffered = "";
    const decoder = new TextDecoder();
    const reader = response.body!.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      buffered += decoder.decode(read.value, { stream: true });
      let end = buffered.indexOf("\n\n");
      while (end >= 0) {
        const content = deltaContent(buffered.slice(0, end));
        buffered = buffered.slice(end + 2);
        end = buffered.indexOf("\n\n");
        if (!content) continue;
        firstTokenMs ??= performance.now() - started;
        contentLength += content.length;
        arrivals.push({ at: Date.now(), contentLength });
      }
    }
  } else {
    await response.arrayBuffer();
  }
  return {
    status: response.status,
    totalMs: performance.now() - started,
    firstTokenMs,
    serverTiming: parseServerTiming(response.headers.get("server-timing")),
    requestId: response.headers.get("x-request-id"),
    arrivals,
  };
}

function deltaContent(block: string): string | null {
  if (!block.startsWith("data: {")) return null;
  const chunk = JSON.parse(block.slice("data: ".length)) as { choices?: Array<{ delta?: { content?: string | null } }> };
  return chunk.choices?.[0]?.delta?.content ?? null;
}

export function parseServerTiming(header: string | null): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const metric of (header ?? "").split(",")) {
    const [name, ...parameters] = metric.trim().split(";");
    for (const parameter of parameters) {
      const [key, value] = parameter.split("=");
      if (key === "dur" || key === "desc") metrics[name!] = Number(value!.replace(/"/g, ""));
    }
  }
  return metrics;
}
