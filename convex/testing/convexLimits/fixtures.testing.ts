// A tiny schema and functions that push each of Convex's limits, for convexLimits.test.ts. Registered
// both as the app and as a component named "child" (the same module map), so a mutation can call a
// component function inside its own transaction. Never deployed (two dots in the name).
import {
  actionGeneric,
  anyApi,
  componentsGeneric,
  defineSchema,
  defineTable,
  httpActionGeneric,
  httpRouter,
  mutationGeneric,
  queryGeneric,
} from "convex/server";
import { v } from "convex/values";

export const fixtureSchema = defineSchema({
  items: defineTable({ group: v.string(), payload: v.any() }).index("by_group", ["group"]),
  /** No field validator, so top-level field names reach the limit checks. */
  loose: defineTable(v.record(v.string(), v.any())),
});

const fixtures = anyApi.fixtures!;
const MiB = 1 << 20;
const child = componentsGeneric().child!;

export const insert = mutationGeneric({
  args: { group: v.string(), payload: v.any() },
  returns: v.id("items"),
  handler: (ctx, { group, payload }) => ctx.db.insert("items", { group, payload }),
});

export const insertLoose = mutationGeneric({
  args: { document: v.any() },
  returns: v.null(),
  handler: async (ctx, { document }) => {
    await ctx.db.insert("loose", document);
    return null;
  },
});

export const insertMany = mutationGeneric({
  args: { group: v.string(), count: v.number(), payload: v.any() },
  returns: v.array(v.id("items")),
  handler: async (ctx, { group, count, payload }) => {
    const ids = [];
    for (let index = 0; index < count; index++) ids.push(await ctx.db.insert("items", { group, payload }));
    return ids;
  },
});

export const patch = mutationGeneric({
  args: { id: v.id("items"), payload: v.any() },
  returns: v.null(),
  handler: async (ctx, { id, payload }) => {
    await ctx.db.patch("items", id, { payload });
    return null;
  },
});

export const replace = mutationGeneric({
  args: { id: v.id("items"), payload: v.any() },
  returns: v.null(),
  handler: async (ctx, { id, payload }) => {
    await ctx.db.replace("items", id, { group: "replaced", payload });
    return null;
  },
});

export const remove = mutationGeneric({
  args: { id: v.id("items") },
  returns: v.null(),
  handler: async (ctx, { id }) => {
    await ctx.db.delete("items", id);
    return null;
  },
});

/** A shared counter document every call writes (a hot document), plus one document of its own. */
export const bump = mutationGeneric({
  args: { counter: v.id("items") },
  returns: v.null(),
  handler: async (ctx, { counter }) => {
    const current = await ctx.db.get("items", counter);
    await ctx.db.patch("items", counter, { payload: (current?.payload as number) + 1 });
    await ctx.db.insert("items", { group: "bumps", payload: null });
    return null;
  },
});

export const readGroup = queryGeneric({
  args: { group: v.string() },
  returns: v.number(),
  handler: async (ctx, { group }) =>
    (await ctx.db.query("items").withIndex("by_group", (q) => q.eq("group", group)).collect()).length,
});

export const getRepeatedly = queryGeneric({
  args: { id: v.id("items"), times: v.number() },
  returns: v.null(),
  handler: async (ctx, { id, times }) => {
    for (let index = 0; index < times; index++) await ctx.db.get("items", id);
    return null;
  },
});

export const echo = queryGeneric({
  args: { payload: v.any() },
  handler: (_ctx, { payload }) => payload,
});

export const echoAction = actionGeneric({
  args: { payload: v.any() },
  handler: (_ctx, { payload }) => payload,
});

export const returnText = queryGeneric({
  args: { characters: v.number() },
  returns: v.string(),
  handler: (_ctx, { characters }) => "x".repeat(characters),
});

/** Busy user code for `milliseconds`, between two database reads. */
export const spin = mutationGeneric({
  args: { milliseconds: v.number() },
  returns: v.null(),
  handler: async (ctx, { milliseconds }) => {
    await ctx.db.query("items").first();
    const until = performance.now() + milliseconds;
    while (performance.now() < until) {
      // burn user time
    }
    await ctx.db.query("items").first();
    return null;
  },
});

/** Awaits `times` SHA-256 digests: work outside the function's own code, as other requests may run meanwhile. */
export const hashRepeatedly = mutationGeneric({
  args: { times: v.number() },
  returns: v.null(),
  handler: async (_ctx, { times }) => {
    for (let index = 0; index < times; index++) await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${index}`));
    return null;
  },
});

export const schedule = mutationGeneric({
  args: { count: v.number(), payload: v.any() },
  returns: v.null(),
  handler: async (ctx, { count, payload }) => {
    for (let index = 0; index < count; index++) await ctx.scheduler.runAfter(0, fixtures.noop, { payload });
    return null;
  },
});

export const scheduleFromAction = actionGeneric({
  args: { payload: v.any() },
  returns: v.null(),
  handler: async (ctx, { payload }) => {
    await ctx.scheduler.runAfter(0, fixtures.noop, { payload });
    return null;
  },
});

export const noop = mutationGeneric({
  args: { payload: v.any() },
  returns: v.null(),
  handler: () => null,
});

/** Writes `own` documents, then has the "child" component write `inChild` in the same transaction. */
export const insertWithChild = mutationGeneric({
  args: { own: v.number(), inChild: v.number() },
  returns: v.null(),
  handler: async (ctx, { own, inChild }) => {
    for (let index = 0; index < own; index++) await ctx.db.insert("items", { group: "parent", payload: null });
    await ctx.runMutation(child.fixtures!.insertMany!, { group: "child", count: inChild, payload: null });
    return null;
  },
});

/** Two mutations and a query from an action: three transactions. */
export const insertTwiceFromAction = actionGeneric({
  args: { count: v.number() },
  returns: v.number(),
  handler: async (ctx, { count }) => {
    await ctx.runMutation(fixtures.insertMany, { group: "action", count, payload: null });
    await ctx.runMutation(fixtures.insertMany, { group: "action", count, payload: null });
    return await ctx.runQuery(fixtures.readGroup, { group: "action" });
  },
});

const http = httpRouter();
http.route({
  path: "/insert",
  method: "POST",
  handler: httpActionGeneric(async (ctx, request) => {
    const id = await ctx.runMutation(fixtures.insert, { group: "http", payload: await request.text() });
    return new Response(id);
  }),
});
http.route({
  path: "/text",
  method: "GET",
  handler: httpActionGeneric(async (_ctx, request) => {
    const characters = Number(new URL(request.url).searchParams.get("characters"));
    const chunk = "x".repeat(MiB);
    return new Response(
      new ReadableStream({
        start(controller) {
          const encoder = new TextEncoder();
          for (let sent = 0; sent < characters; sent += MiB) controller.enqueue(encoder.encode(chunk.slice(0, Math.min(MiB, characters - sent))));
          controller.close();
        },
      }),
    );
  }),
});
export default http;
