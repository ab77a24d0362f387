// Who spends a CPU profile's time. Each sample is charged to the owner of the innermost frame that
// belongs to a package or to this repository, so Node's internals (web streams, http, crypto jobs,
// promise hooks) count against the code that called them; samples with no such frame (socket
// callbacks, the microtask loop) are Node's own, and native socket writes (the kernel sending
// bytes, which any HTTP server pays) are their own line. Idle time is left out: at concurrency 1 what remains
// is the gateway's work on each request's critical path.

/** The parts of V8's `.cpuprofile` format this reads. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  /** Monotonic clock, microseconds (CLOCK_MONOTONIC on Linux, as process.hrtime). */
  startTime: number;
  samples: number[];
  /** Microseconds since the previous sample. */
  timeDeltas: number[];
}

/** A stretch of time on the profile's clock, in microseconds: [start, end). */
export type Interval = readonly [start: number, end: number];

export const OWNERS = [
  "this project",
  "AI SDK: streamText",
  "AI SDK: provider (fetch, SSE parsing)",
  "zod",
  "convex-test",
  "convex",
  "rate limiter component",
  "limits and meter (test support)",
  "other packages",
  "the profiler",
  "socket writes",
  "Node (no JS caller)",
  "garbage collection",
] as const;
export type Owner = (typeof OWNERS)[number];

const AI_SDK_PROVIDER = /^(@ai-sdk\/[^/]+|eventsource-parser)$/;
/** Native frames that write to a socket: the kernel's share of serving HTTP, whoever calls them. */
const SOCKET_WRITES = new Set(["writev", "writeUtf8String", "writeLatin1String", "writeBuffer", "writeAsciiString", "writeUcs2String"]);

/** The owner of a script URL, or null for Node's own code and native frames. */
export function ownerOf(url: string): Owner | null {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (dependency !== undefined) {
    if (dependency === "ai") return "AI SDK: streamText";
    if (AI_SDK_PROVIDER.test(dependency)) return "AI SDK: provider (fetch, SSE parsing)";
    if (dependency === "zod") return "zod";
    if (dependency === "convex-test") return "convex-test";
    if (dependency === "convex") return "convex";
    if (dependency.startsWith("@convex-dev/")) return "rate limiter component";
    return "other packages";
  }
  if (!url.startsWith("file://")) return null;
  if (url.includes("/convex/testing/")) return "limits and meter (test support)";
  // profiledGateway.ts: starting and stopping the profiler, not the gateway's work.
  if (url.includes("/scripts/bench/")) return "the profiler";
  if (url.includes("/convex/") || url.includes("/scripts/")) return "this project";
  return "other packages";
}

export interface Attribution {
  /** Busy milliseconds per owner (idle excluded). */
  byOwner: Record<Owner, number>;
  busyMs: number;
  /**
   * The same, for the samples outside every `offPath` interval: with one request at a time and the
   * upstream's generations as `offPath`, the work the client waits for (what runs while the upstream
   * is still generating delays nobody, unless it outlasts it).
   */
  onPath: { byOwner: Record<Owner, number>; busyMs: number };
  /** This project's functions by busy milliseconds charged to them (self plus Node internals they called). */
  projectFunctions: Array<{ name: string; ms: number }>;
}

export function attribute(profile: CpuProfile, offPath: Interval[] = []): Attribution {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const emptyOwners = () => Object.fromEntries(OWNERS.map((owner) => [owner, 0])) as Record<Owner, number>;
  const byOwner = emptyOwners();
  const onPath = { byOwner: emptyOwners(), busyMs: 0 };
  const functions = new Map<string, number>();
  const charges = new Map<number, { owner: Owner; name: string | null }>();
  let busyMs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    at += profile.timeDeltas[index] ?? 0;
    if (nodes.get(id)!.callFrame.functionName === "(idle)") return;
    let charge = charges.get(id);
    if (charge === undefined) {
      charge = chargeOf(id, nodes, parents);
      charges.set(id, charge);
    }
    busyMs += ms;
    byOwner[charge.owner] += ms;
    if (charge.name !== null) functions.set(charge.name, (functions.get(charge.name) ?? 0) + ms);
    if (!offPath.some(([start, end]) => at >= start && at < end)) {
      onPath.busyMs += ms;
      onPath.byOwner[charge.owner] += ms;
    }
  });
  const projectFunctions = [...functions].map(([name, ms]) => ({ name, ms })).sort((left, right) => right.ms - left.ms);
  return { byOwner, busyMs, onPath, projectFunctions };
}

/** Who pays for a profile node's self time, and for this project's frames the function's name. */
function chargeOf(id: number, nodes: Map<number, CpuProfile["nodes"][number]>, parents: Map<number, number>): { owner: Owner; name: string | null } {
  const frame = nodes.get(id)!.callFrame;
  if (frame.functionName === "(garbage collector)") return { owner: "garbage collection", name: null };
  if (frame.url === "" && SOCKET_WRITES.has(frame.functionName)) return { owner: "socket writes", name: null };
  for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
    const charged = nodes.get(at)!.callFrame;
    const owner = ownerOf(charged.url);
    if (owner === null) continue;
    const name = owner === "this project" ? `${charged.functionName || "(anonymous)"} ${charged.url.replace(/^.*?\/(convex|scripts)\//, "$1/")}` : null;
    return { owner, name };
  }
  return { owner: "Node (no JS caller)", name: null };
}
