// Each of Convex's documented limits fires on convexTestWithLimits (with the documented number), and
// the meter counts what each call read, wrote and scheduled.
import { anyApi } from "convex/server";
import { getDocumentSize } from "convex/values";
import { describe, expect, test } from "vitest";
import {
  CONVEX_LIMITS,
  convexTestWithLimits,
  hotDocuments,
  meterOf,
  usage,
  writeSet,
  type ConvexLimitsOptions,
  type LimitName,
} from "./convexLimits.testing";
import { fixtureSchema } from "./fixtures.testing";

const load = () => import("./fixtures.testing");
const modules = { "./_generated/api.js": () => import("../../_generated/api"), "./fixtures.ts": load, "./http.ts": load };
const fixtures = anyApi.fixtures!;
const MiB = 1 << 20;

function start(options?: ConvexLimitsOptions) {
  const t = convexTestWithLimits(fixtureSchema, modules, options);
  t.registerComponent("child", fixtureSchema, modules);
  return t;
}

/** Only `limit` enforced at its documented number, so a slow machine cannot trip the time limit instead. */
function only(limit: LimitName): ConvexLimitsOptions {
  const limits: Partial<Record<LimitName, number | null>> = {};
  for (const name of Object.keys(CONVEX_LIMITS) as LimitName[]) if (name !== limit) limits[name] = null;
  return { limits };
}

/** Asserts `work` fails naming `limit` and its documented number, and the meter saw that violation. */
async function expectLimit(t: ReturnType<typeof start>, limit: LimitName, work: Promise<unknown>) {
  const documented = CONVEX_LIMITS[limit].toLocaleString("en-US");
  await expect(work).rejects.toThrow(`over the limit of ${documented}`);
  await expect(work).rejects.toThrow(`[${limit}]`);
  expect(meterOf(t).violations.map((violation) => violation.limit)).toEqual([limit]);
}

function nested(depth: number): unknown {
  return depth === 0 ? 0 : [nested(depth - 1)];
}

describe("document limits", () => {
  test("documentSize: a document over 1 MiB is refused, on insert and when a patch grows it", async () => {
    const t = start(only("documentSize"));
    const id = await t.mutation(fixtures.insert, { group: "a", payload: "x".repeat(MiB - 200) });
    await expectLimit(t, "documentSize", t.mutation(fixtures.insert, { group: "a", payload: "x".repeat(MiB) }));
    const grown = t.mutation(fixtures.patch, { id, payload: "x".repeat(MiB) });
    await expect(grown).rejects.toThrow("[documentSize]");
    expect(await t.run(async (ctx) => ctx.db.query("items").collect())).toHaveLength(1);
  });

  test("objectFields: an object with more than 1024 fields is refused", async () => {
    const t = start(only("objectFields"));
    const fields = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`f${index}`, index]));
    await t.mutation(fixtures.insert, { group: "a", payload: fields(1024) });
    await expectLimit(t, "objectFields", t.mutation(fixtures.insert, { group: "a", payload: fields(1025) }));
  });

  test("fieldNameLength: a top-level field name over 64 characters is refused", async () => {
    const t = start(only("fieldNameLength"));
    await t.mutation(fixtures.insertLoose, { document: { ["a".repeat(64)]: 1 } });
    await expectLimit(t, "fieldNameLength", t.mutation(fixtures.insertLoose, { document: { ["a".repeat(65)]: 1 } }));
  });

  test("nestedFieldNameLength: a nested key over 1024 characters is refused", async () => {
    // convex/values refuses such a key itself when the function serializes the document, before our check.
    const t = start(only("nestedFieldNameLength"));
    await t.mutation(fixtures.insert, { group: "a", payload: { ["k".repeat(1024)]: 1 } });
    const refused = t.mutation(fixtures.insert, { group: "a", payload: { ["k".repeat(1025)]: 1 } });
    await expect(refused).rejects.toThrow("exceeds maximum field name length 1024");
    expect(await t.run(async (ctx) => ctx.db.query("items").collect())).toHaveLength(1);
  });

  test("nestingDepth: values nested more than 16 times are refused", async () => {
    const t = start(only("nestingDepth"));
    await t.mutation(fixtures.insert, { group: "a", payload: nested(16) });
    await expectLimit(t, "nestingDepth", t.mutation(fixtures.insert, { group: "a", payload: nested(17) }));
  });

  test("arrayElements: an array of more than 8192 elements is refused", async () => {
    const t = start(only("arrayElements"));
    await t.mutation(fixtures.insert, { group: "a", payload: new Array(8192).fill(0) });
    await expectLimit(t, "arrayElements", t.mutation(fixtures.insert, { group: "a", payload: new Array(8193).fill(0) }));
  });
});

describe("function limits", () => {
  test("argumentsSize: arguments over 16 MiB fail a mutation and an action", async () => {
    const t = start(only("argumentsSize"));
    await expectLimit(t, "argumentsSize", t.mutation(fixtures.insert, { group: "a", payload: "x".repeat(16 * MiB) }));
    await expect(t.action(fixtures.echoAction, { payload: "x".repeat(16 * MiB) })).rejects.toThrow("[argumentsSize]");
    expect(await t.run(async (ctx) => ctx.db.query("items").collect())).toHaveLength(0);
  });

  test("returnValueSize: a return value over 16 MiB fails the query", async () => {
    const t = start(only("returnValueSize"));
    expect(await t.query(fixtures.returnText, { characters: 16 * MiB - 2 })).toHaveLength(16 * MiB - 2);
    await expectLimit(t, "returnValueSize", t.query(fixtures.returnText, { characters: 16 * MiB - 1 }));
  });

  test("httpResponseSize: an HTTP action's response body is cut past 20 MiB", async () => {
    const t = start(only("httpResponseSize"));
    expect((await (await t.fetch(`/text?characters=${20 * MiB}`)).arrayBuffer()).byteLength).toBe(20 * MiB);
    const response = await t.fetch(`/text?characters=${20 * MiB + 1}`);
    expect(response.status).toBe(200);
    await expectLimit(t, "httpResponseSize", response.arrayBuffer());
    expect(meterOf(t).calls.map((call) => call.returnBytes)).toEqual([20 * MiB, 20 * MiB + 1]);
  });

  test("userTimeMs: a mutation with more than 1 s of user code fails; the limit is configurable", async () => {
    const t = start(only("userTimeMs"));
    await expectLimit(t, "userTimeMs", t.mutation(fixtures.spin, { milliseconds: 1100 }));
    const relaxed = start({ limits: { userTimeMs: 5000 } });
    await relaxed.mutation(fixtures.spin, { milliseconds: 1100 });
    const [call] = meterOf(relaxed).calls;
    expect(call?.userTimeMs).toBeGreaterThanOrEqual(1100);
    expect(call?.userTimeMs).toBeLessThanOrEqual(call!.durationMs!);
  });
  test("userTimeMs counts only the function's own code: other work that runs while it awaits is not counted", async () => {
    const t = start(only("userTimeMs"));
    // Busy macrotasks of 50 ms, outside any function, keep running while the mutation awaits its hashes.
    let burning = true;
    const burn = () => {
      const until = performance.now() + 50;
      while (performance.now() < until) {
        // someone else's work
      }
      if (burning) setTimeout(burn, 0);
    };
    setTimeout(burn, 0);
    await t.mutation(fixtures.hashRepeatedly, { times: 40 }).finally(() => (burning = false));
    const [call] = meterOf(t).calls;
    // Several of the 50 ms burns ran during the mutation; none of them counts as its user time.
    expect(call!.durationMs).toBeGreaterThan(300);
    expect(call!.userTimeMs).toBeLessThan(50);
  });
});

describe("scheduling limits", () => {
  test("scheduledFunctions: a mutation may schedule 1000 functions, not 1001", async () => {
    const t = start(only("scheduledFunctions"));
    await expectLimit(t, "scheduledFunctions", t.mutation(fixtures.schedule, { count: 1001, payload: null }));
    const [call] = meterOf(t).calls;
    expect(call?.scheduled).toBe(1001);
    await t.finishInProgressScheduledFunctions();
  });

  test("scheduledArgumentsSize: one scheduled call's arguments over 4 MiB fail, from a mutation and an action", async () => {
    const t = start(only("scheduledArgumentsSize"));
    await expectLimit(t, "scheduledArgumentsSize", t.mutation(fixtures.schedule, { count: 1, payload: "x".repeat(4 * MiB) }));
    await expect(t.action(fixtures.scheduleFromAction, { payload: "x".repeat(4 * MiB) })).rejects.toThrow("[scheduledArgumentsSize]");
  });

  test("scheduledArgumentsTotal: more than 16 MiB of scheduled arguments in one mutation fail", async () => {
    const t = start(only("scheduledArgumentsTotal"));
    await expectLimit(t, "scheduledArgumentsTotal", t.mutation(fixtures.schedule, { count: 5, payload: "x".repeat(3.5 * MiB) }));
  });
});

describe("transaction limits", () => {
  test("bytesRead: a query reading more than 16 MiB fails", async () => {
    const t = start(only("bytesRead"));
    for (let batch = 0; batch < 5; batch++) await t.mutation(fixtures.insertMany, { group: "big", count: 4, payload: "x".repeat(MiB - 1000) });
    await t.mutation(fixtures.insertMany, { group: "small", count: 15, payload: "x".repeat(MiB - 1000) });
    expect(await t.query(fixtures.readGroup, { group: "small" })).toBe(15);
    await expectLimit(t, "bytesRead", t.query(fixtures.readGroup, { group: "big" }));
  });

  test("documentsScanned: a query scanning more than 32,000 documents fails", async () => {
    const t = start(only("documentsScanned"));
    for (let batch = 0; batch < 4; batch++) await t.mutation(fixtures.insertMany, { group: "many", count: 8000, payload: null });
    expect(await t.query(fixtures.readGroup, { group: "many" })).toBe(32_000);
    await t.mutation(fixtures.insert, { group: "many", payload: null });
    await expectLimit(t, "documentsScanned", t.query(fixtures.readGroup, { group: "many" }));
  });

  test("indexRanges: more than 4096 db.get/db.query calls in one transaction fail", async () => {
    const t = start(only("indexRanges"));
    const id = await t.mutation(fixtures.insert, { group: "a", payload: null });
    await t.query(fixtures.getRepeatedly, { id, times: 4096 });
    await expectLimit(t, "indexRanges", t.query(fixtures.getRepeatedly, { id, times: 4097 }));
  });

  test("bytesWritten: a mutation writing more than 16 MiB fails and writes nothing", async () => {
    const t = start(only("bytesWritten"));
    await expectLimit(t, "bytesWritten", t.mutation(fixtures.insertMany, { group: "big", count: 17, payload: "x".repeat(MiB - 1000) }));
    expect(await t.run(async (ctx) => ctx.db.query("items").collect())).toHaveLength(0);
  });

  test("documentsWritten: more than 16,000 documents written fail, counting component calls in the same transaction", async () => {
    const t = start(only("documentsWritten"));
    await t.mutation(fixtures.insertWithChild, { own: 8000, inChild: 8000 });
    await expectLimit(t, "documentsWritten", t.mutation(fixtures.insertWithChild, { own: 8000, inChild: 8001 }));
    // From an action, each runMutation is its own transaction.
    expect(await t.action(fixtures.insertTwiceFromAction, { count: 9000 })).toBe(18_000);
  });
});

describe("the meter", () => {
  test("counts each call's reads, writes and write set, and the bytes match the stored documents", async () => {
    const t = start();
    const meter = meterOf(t);
    const ids = await t.mutation(fixtures.insertMany, { group: "g", count: 3, payload: "hello" });
    await t.mutation(fixtures.patch, { id: ids[0], payload: "changed" });
    await t.mutation(fixtures.remove, { id: ids[1] });
    expect(await t.query(fixtures.readGroup, { group: "g" })).toBe(2);
    const stored = await t.run(async (ctx) => ctx.db.query("items").collect());
    const [insert, patch, remove, read] = meter.calls;

    expect(insert).toMatchObject({ kind: "mutation", path: "fixtures:insertMany", component: "", documentsWritten: 3, outcome: "returned" });
    expect([...insert!.writes]).toEqual(ids);
    expect(patch).toMatchObject({ path: "fixtures:patch", documentsRead: 1, documentsWritten: 1 });
    expect([...patch!.writes]).toEqual([ids[0]]);
    expect(remove).toMatchObject({ path: "fixtures:remove", documentsWritten: 1, bytesWritten: 0 });
    expect([...remove!.writes]).toEqual([ids[1]]);
    const storedBytes = stored.reduce((total, document) => total + getDocumentSize(document), 0);
    expect(read).toMatchObject({ kind: "query", documentsRead: 2, indexRanges: 1, bytesRead: storedBytes, documentsWritten: 0 });
    expect(patch!.bytesWritten).toBe(getDocumentSize(stored.find((document) => document._id === ids[0])!));
    expect(usage(meter.calls)).toMatchObject({ calls: 4, byKind: { query: 1, mutation: 3, action: 0, httpAction: 0 }, documentsWritten: 5 });
  });

  test("links calls from actions, HTTP actions, components and the scheduler to their request", async () => {
    const t = start();
    const meter = meterOf(t);
    await t.action(fixtures.insertTwiceFromAction, { count: 1 });
    const response = await t.fetch("/insert", { method: "POST", body: "from http" });
    const insertedId = await response.text();
    await t.mutation(fixtures.insertWithChild, { own: 1, inChild: 1 });
    await t.mutation(fixtures.schedule, { count: 1, payload: "later" });
    await t.finishAllScheduledFunctions(() => undefined);

    const [action, first, second, read, http, httpInsert, parent, inChild, scheduler, scheduled] = meter.calls;
    expect(action).toMatchObject({ kind: "action", path: "fixtures:insertTwiceFromAction", parent: null, transaction: null });
    for (const call of [first, second, read]) expect(call).toMatchObject({ parent: action!.id, request: action!.id, transaction: call!.id });
    expect(http).toMatchObject({ kind: "httpAction", path: "POST /insert", parent: null });
    expect(httpInsert).toMatchObject({ path: "fixtures:insert", parent: http!.id, request: http!.id });
    expect([...httpInsert!.writes]).toEqual([insertedId]);
    expect(inChild).toMatchObject({ component: "child", path: "fixtures:insertMany", parent: parent!.id, transaction: parent!.id });
    expect(scheduled).toMatchObject({ path: "fixtures:noop", parent: null, scheduledBy: scheduler!.id, request: scheduler!.request });
    expect(scheduler).toMatchObject({ scheduled: 1, scheduledArgumentsBytes: expect.any(Number) });
    expect(meter.byRequest().get(action!.id)).toEqual([action, first, second, read]);
  });

  test("finds the document every request writes (a hot document)", async () => {
    const t = start();
    const meter = meterOf(t);
    const counter = await t.mutation(fixtures.insert, { group: "counter", payload: 0 });
    const mark = meter.mark();
    for (let request = 0; request < 4; request++) await t.mutation(fixtures.bump, { counter });
    const writeSets = [...meter.byRequest(meter.since(mark)).values()].map(writeSet);
    expect(writeSets).toHaveLength(4);
    expect(hotDocuments(writeSets)).toEqual([{ documentId: counter, requests: 4, share: 1 }]);
  });

  test("enforce: false measures without failing; a limit set to null is only measured", async () => {
    const t = start({ enforce: false });
    await t.mutation(fixtures.insertMany, { group: "big", count: 17, payload: "x".repeat(MiB - 1000) });
    expect(meterOf(t).violations).toEqual([]);
    expect(meterOf(t).calls[0]!.bytesWritten).toBeGreaterThan(16 * MiB);

    const relaxed = start({ limits: { arrayElements: null } });
    await relaxed.mutation(fixtures.insert, { group: "a", payload: new Array(9000).fill(0) });
    await expect(relaxed.mutation(fixtures.insert, { group: "a", payload: nested(17) })).rejects.toThrow("[nestingDepth]");
  });
});
