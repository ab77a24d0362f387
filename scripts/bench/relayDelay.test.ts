// Matching each stream write to the SSE delta that delivered it.
import { expect, test } from "vitest";
import { writeToClientDelays } from "./relayDelay";

test("each written chunk is timed to the delta that completed it, however the relay regrouped them", () => {
  const stream = {
    requestId: "req_1",
    completionTokens: 3,
    chunks: [
      { text: "one ", writtenAt: 1_000 },
      { text: "two ", writtenAt: 1_050 },
      { text: "three", writtenAt: 1_100 },
    ],
  };
  // The first poll saw the first chunk; the next saw the other two together.
  const arrivals = [
    { at: 1_010, contentLength: 4 },
    { at: 1_120, contentLength: 13 },
  ];
  expect(writeToClientDelays(stream, { arrivals })).toEqual([10, 70, 20]);
  expect(() => writeToClientDelays(stream, { arrivals: arrivals.slice(0, 1) })).toThrow(/never reached the client/);
});
