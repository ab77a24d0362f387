// Document ids that never repeat across restarts of the local gateway. convex-test numbers the
// documents of every new instance from 10000 ("10000…conversations", "10001…conversations", …), so a
// restarted gateway handed a new client the ids of the previous run's conversations, and a client of
// the previous run could read them. Each store's counter here starts at a random 16-digit number
// instead: ids keep convex-test's form (digits, then the table name), which `ctx.db.normalizeId`
// accepts, and two runs of up to a million documents each share an id with probability below 3e-10.
//
// convex-test exposes no option for this. Its instance state (the `components` map holding each
// store, whose counter is `_nextDocId`) is reachable only as the value every `t` method enters with
// AsyncLocalStorage.run, so `randomizeDocumentIds` watches that call once, synchronously, then puts
// AsyncLocalStorage back. Both are internals of convex-test (checked on 0.0.60 and 0.0.71, the pinned version); if a later
// version changes them this throws at boot rather than serving repeated ids.
import { AsyncLocalStorage } from "node:async_hooks";
import { getRandomValues } from "node:crypto";

/** The lowest first id number: 10^15, so every id number has 16 digits. */
const LOWEST_START = 1_000_000_000_000_000n;
/** First id numbers are drawn from [10^15, 8·10^15), leaving 10^15 ids of room below 2^53. */
const START_RANGE = 7_000_000_000_000_000n;

interface Store {
  _nextDocId: number;
}

interface InstanceState {
  components: Record<string, { db: Store }>;
}

function isInstanceState(value: unknown): value is InstanceState {
  if (typeof value !== "object" || value === null || !("components" in value)) return false;
  const components = (value as { components: unknown }).components;
  if (typeof components !== "object" || components === null) return false;
  return Object.values(components).every(
    (component: unknown) => typeof (component as { db?: Store } | null)?.db?._nextDocId === "number",
  );
}

/** A random first id number in [10^15, 8·10^15). */
export function randomFirstIdNumber(): number {
  const [random] = getRandomValues(new BigUint64Array(1));
  return Number(LOWEST_START + random! % START_RANGE);
}

/**
 * Starts the id counter of the app's store and of every component registered so far at a random
 * number. Call it after registering components and before anything is written.
 */
export async function randomizeDocumentIds(t: { run: (handler: () => Promise<null>) => Promise<unknown> }): Promise<void> {
  const run = AsyncLocalStorage.prototype.run;
  let state: InstanceState | undefined;
  AsyncLocalStorage.prototype.run = function <R>(this: AsyncLocalStorage<unknown>, store: unknown, callback: (...args: unknown[]) => R, ...args: unknown[]): R {
    if (state === undefined && isInstanceState(store)) state = store;
    return run.call(this, store, callback, ...args) as R;
  };
  let entered: Promise<unknown>;
  try {
    entered = t.run(async () => null);
  } finally {
    AsyncLocalStorage.prototype.run = run;
  }
  await entered;
  if (state === undefined) {
    throw new Error("local gateway: cannot reach convex-test's id counters (is convex-test still 0.0.71?); refusing to start with ids that repeat across restarts");
  }
  for (const { db } of Object.values(state.components)) db._nextDocId = randomFirstIdNumber();
}
