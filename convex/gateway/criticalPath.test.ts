// The critical path before the upstream request: the HTTP action makes one Convex function call, the
// authorising mutation `begin`, in both modes; in agent mode the scheduled run adds one query that
// reads its inputs by the stream's id (scheduled work carries ids, not payloads). The gateway reports its own count in Server-Timing (`calls-before-upstream`);
// this file checks it against an independent count: every action's context is wrapped here (a mock of
// the generated `httpAction`/`internalAction`) and the log is read when the upstream request leaves.
import { afterEach, describe, expect, test, vi } from "vitest";
import { getFunctionName, type FunctionReference } from "convex/server";
import { marker, postChat, startGateway, upstreamUrl } from "../testing/harness.testing";
import { onlyUpstreamBody } from "../testing/upstream.testing";
import { MODES } from "../testing/modes.testing";
import { CALLS_BEFORE_UPSTREAM } from "./responses";

interface Call {
  by: "http action" | "agent run";
  name: string;
}

const observed = vi.hoisted(() => ({ calls: [] as Call[], atUpstream: null as Call[] | null }));

vi.mock("../_generated/server", async (importOriginal) => {
  const server = await importOriginal<typeof import("../_generated/server")>();
  type Ctx = Parameters<Parameters<typeof server.httpAction>[0]>[0];
  const counted = (ctx: Ctx, by: Call["by"]): Ctx => {
    const log =
      (run: (...args: unknown[]) => unknown) =>
      (...args: unknown[]) => {
        observed.calls.push({ by, name: getFunctionName(args[0] as FunctionReference<"query" | "mutation" | "action">) });
        return run(...args);
      };
    return {
      ...ctx,
      runQuery: log(ctx.runQuery.bind(ctx) as never) as never,
      runMutation: log(ctx.runMutation.bind(ctx) as never) as never,
      runAction: log(ctx.runAction.bind(ctx) as never) as never,
    };
  };
  return {
    ...server,
    httpAction: ((handler: Parameters<typeof server.httpAction>[0]) =>
      server.httpAction((ctx, request) => handler(counted(ctx, "http action"), request))) as typeof server.httpAction,
    internalAction: ((definition: { handler: (ctx: Ctx, args: unknown) => unknown }) =>
      server.internalAction({ ...definition, handler: (ctx: Ctx, args: unknown) => definition.handler(counted(ctx, "agent run"), args) } as never)) as typeof server.internalAction,
  };
});

/** Snapshots the call log when the first request to the upstream's chat completions leaves. */
function watchUpstreamRequest(): void {
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.startsWith(upstreamUrl()) && url.endsWith("/chat/completions")) observed.atUpstream ??= [...observed.calls];
    return realFetch(input, init);
  });
}

afterEach(() => {
  vi.restoreAllMocks();
  observed.calls = [];
  observed.atUpstream = null;
});

function reportedCount(response: Response): number {
  const match = new RegExp(`${CALLS_BEFORE_UPSTREAM};desc="(\\d+)"`).exec(response.headers.get("server-timing") ?? "");
  expect(match, "the calls-before-upstream metric").not.toBeNull();
  return Number(match![1]);
}

describe("Convex function calls before the upstream request", () => {
  test("client-tool mode: exactly one, the begin mutation, counted alike by the gateway and independently", async () => {
    const t = await startGateway();
    watchUpstreamRequest();
    const tag = marker();
    const response = await postChat(t, { model: "support", ...MODES[1].fields, messages: [{ role: "user", content: tag }] });
    expect(response.status).toBe(200);
    await response.json();
    await onlyUpstreamBody(tag);
    expect(reportedCount(response)).toBe(1);
    expect(observed.atUpstream).toEqual([{ by: "http action", name: "model/chat:begin" }]);
  });

  test("agent mode: one from the HTTP action, the begin mutation; the agent run makes one, the query that reads its inputs", async () => {
    const t = await startGateway();
    watchUpstreamRequest();
    const tag = marker();
    const response = await postChat(t, { model: "support", ...MODES[0].fields, messages: [{ role: "user", content: tag }] });
    expect(response.status).toBe(200);
    await response.json();
    await onlyUpstreamBody(tag);
    expect(reportedCount(response)).toBe(1);
    const before = observed.atUpstream!;
    // The run is scheduled with the stream's id only, and reads its inputs (transcript included) once.
    expect(before.filter((call) => call.by === "agent run")).toEqual([{ by: "agent run", name: "agent/runInput:load" }]);
    // The relay starts reading the stream once begin has scheduled the run; those reads run beside the
    // generation and never hold it up.
    expect(before[0]).toEqual({ by: "http action", name: "model/chat:begin" });
    expect(before.slice(1).every((call) => call.by === "agent run" || call.name === "agent/stream:read")).toBe(true);
    // The run did make its calls, after the upstream request: the stream writes and the end.
    expect(observed.calls.filter((call) => call.by === "agent run").map((call) => call.name)).toContain("agent/stream:end");
  });
});
