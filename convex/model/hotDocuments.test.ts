// No hot documents: 200 requests of one tenant (one key, every limit and the monthly budget in force,
// both modes), each request's write set recorded by the meter (the HTTP action and everything it
// called or scheduled, components included). No document may be written by more than about 1 in
// TOKEN_SHARDS of them; convex-test has no write conflicts, so this is what shows contention.
import { describe, expect, test } from "vitest";
import { hotDocuments, meterOf, writeSet } from "../testing/convexLimits/convexLimits.testing";
import { postChat, startGateway } from "../testing/harness.testing";
import { CLIENT_TOOL_MODE } from "../testing/modes.testing";
import { POLICY_KEY, policySeed } from "../testing/seed.testing";
import { MAX_REQUEST_SHARDS } from "./limits";
import { TOKEN_SHARDS } from "./tokenShards";
import { LEDGER_SHARDS } from "./usage";

const REQUESTS = 200;
const CONCURRENCY = 10;

describe("no hot documents", () => {
  test(`${REQUESTS} requests of one tenant: no document is written by more than about 1 in ${TOKEN_SHARDS} of them`, { timeout: 120_000 }, async () => {
    expect(MAX_REQUEST_SHARDS).toBe(TOKEN_SHARDS);
    expect(LEDGER_SHARDS).toBe(TOKEN_SHARDS);
    const t = await startGateway(policySeed({ requestsPerMinute: 100_000, tokensPerMinute: 100_000_000, monthlyTokenBudget: 1_000_000_000 }));
    const meter = meterOf(t);
    const mark = meter.mark();
    for (let sent = 0; sent < REQUESTS; sent += CONCURRENCY) {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async (_, index) => {
          // Half in client-tool mode, half in agent mode (which settles in its scheduled run).
          const mode = (sent + index) % 2 === 0 ? CLIENT_TOOL_MODE : {};
          const response = await postChat(t, { model: "bot", ...mode, max_tokens: 50, messages: [{ role: "user", content: "[[words:3]]" }] }, { key: POLICY_KEY });
          expect(response.status).toBe(200);
          await response.json();
        }),
      );
    }
    await t.finishInProgressScheduledFunctions();
    expect(await t.run((ctx) => ctx.db.query("reservations").collect())).toEqual([]);

    const requests = [...meter.byRequest(meter.since(mark)).values()].filter((calls) => calls[0]!.kind === "httpAction");
    expect(requests).toHaveLength(REQUESTS);
    const hottest = hotDocuments(requests.map(writeSet));
    const largestShare = hottest[0]?.share ?? 0;
    console.log(`hot documents over ${REQUESTS} requests: largest share ${largestShare.toFixed(3)} (1/${TOKEN_SHARDS} = ${(1 / TOKEN_SHARDS).toFixed(3)})`);
    // begin's read set stays small: two shards of each allowance, not every request's history.
    const calls = meter.since(mark);
    const beginReads = calls
      .filter((call) => call.path === "model/chat:begin")
      .map((begin) => calls.filter((call) => call.transaction === begin.id).reduce((sum, call) => sum + call.documentsRead, 0));
    expect(Math.max(...beginReads)).toBeLessThanOrEqual(24);
    console.log(`begin reads at most ${Math.max(...beginReads)} documents (mean ${(beginReads.reduce((sum, reads) => sum + reads, 0) / beginReads.length).toFixed(1)})`);
    // Shards are chosen at random (two choices, the roomier one charged): a share a little over 1/shards is
    // chance, not a shared document. Any document every request writes would show a share of 1.
    expect(largestShare).toBeLessThanOrEqual(1.5 / TOKEN_SHARDS);
  });
});
