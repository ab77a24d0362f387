import { describe, expect, test } from "vitest";
import { attribute, ownerOf, type CpuProfile } from "./attribution";

const ROOT = "file:///repo";
const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });

describe("ownerOf", () => {
  test("names packages, this repository and its test support, and leaves Node's own code unowned", () => {
    expect(ownerOf(`${ROOT}/node_modules/ai/dist/index.mjs`)).toBe("AI SDK: streamText");
    expect(ownerOf(`${ROOT}/node_modules/@ai-sdk/provider-utils/dist/index.mjs`)).toBe("AI SDK: provider (fetch, SSE parsing)");
    expect(ownerOf(`${ROOT}/node_modules/convex-test/dist/index.js`)).toBe("convex-test");
    expect(ownerOf(`${ROOT}/node_modules/convex/dist/esm/values/value.js`)).toBe("convex");
    expect(ownerOf(`${ROOT}/node_modules/@convex-dev/rate-limiter/dist/component/lib.js`)).toBe("rate limiter component");
    expect(ownerOf(`${ROOT}/node_modules/zod/v4/core/schemas.js`)).toBe("zod");
    expect(ownerOf(`${ROOT}/convex/model/chat.ts`)).toBe("this project");
    expect(ownerOf(`${ROOT}/scripts/local-gateway/gateway.ts`)).toBe("this project");
    expect(ownerOf(`${ROOT}/convex/testing/convexLimits/runtime.testing.ts`)).toBe("limits and meter (test support)");
    expect(ownerOf(`${ROOT}/scripts/bench/profile/profiledGateway.ts`)).toBe("the profiler");
    expect(ownerOf("node:internal/webstreams/readablestream")).toBeNull();
    expect(ownerOf("")).toBeNull();
  });
});

describe("attribute", () => {
  // root -> begin (project) -> digest (node internal), writev (socket); root -> fetch (AI SDK) -> enqueue (node internal); root -> onSocket (node).
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame("(root)", ""), children: [2, 4, 6, 7, 8] },
      { id: 2, callFrame: frame("begin", `${ROOT}/convex/model/chat.ts`), children: [3, 9] },
      { id: 3, callFrame: frame("digest", "node:internal/crypto/hash") },
      { id: 4, callFrame: frame("postToApi", `${ROOT}/node_modules/@ai-sdk/provider-utils/dist/index.mjs`), children: [5] },
      { id: 5, callFrame: frame("enqueue", "node:internal/webstreams/readablestream") },
      { id: 6, callFrame: frame("onSocket", "node:net") },
      { id: 7, callFrame: frame("(idle)", "") },
      { id: 8, callFrame: frame("(garbage collector)", "") },
      { id: 9, callFrame: frame("writev", "") },
    ],
    startTime: 0,
    samples: [2, 3, 3, 5, 6, 7, 7, 7, 8, 9],
    timeDeltas: [1000, 2000, 1000, 4000, 500, 9000, 9000, 9000, 250, 1500],
  };

  test("charges Node internals to the nearest owned caller and leaves idle time out", () => {
    const result = attribute(profile);
    expect(result.byOwner["this project"]).toBe(4);
    expect(result.byOwner["AI SDK: provider (fetch, SSE parsing)"]).toBe(4);
    expect(result.byOwner["Node (no JS caller)"]).toBe(0.5);
    expect(result.byOwner["garbage collection"]).toBe(0.25);
    expect(result.busyMs).toBe(10.25);
  });

  test("counts socket writes apart, whoever made them", () => {
    expect(attribute(profile).byOwner["socket writes"]).toBe(1.5);
  });

  test("splits off the samples taken while the upstream generated: the rest is the critical path", () => {
    // Sample times: 1000, 3000, 4000, 8000, 8500, ...; the interval holds the digest (3 ms) and the AI SDK's enqueue (4 ms).
    const { onPath } = attribute(profile, [[2500, 8200]]);
    expect(onPath.busyMs).toBe(3.25);
    expect(onPath.byOwner["this project"]).toBe(1);
    expect(onPath.byOwner["AI SDK: provider (fetch, SSE parsing)"]).toBe(0);
    expect(onPath.byOwner["socket writes"]).toBe(1.5);
  });

  test("lists this project's functions with what they were charged", () => {
    expect(attribute(profile).projectFunctions).toEqual([{ name: "begin convex/model/chat.ts", ms: 4 }]);
  });
});
