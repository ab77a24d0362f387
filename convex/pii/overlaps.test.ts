// Overlap resolution: containers absorb what they contain, secrets name any span they are in, and
// partial overlaps merge under the higher-priority category.
import { describe, expect, it } from "vitest";
import type { PiiFinding } from "./categories";
import { resolveOverlaps } from "./overlaps";

describe("resolveOverlaps", () => {
  it("sorts disjoint findings by start", () => {
    const findings: PiiFinding[] = [
      { category: "phone", start: 20, end: 30 },
      { category: "email", start: 0, end: 10 },
    ];
    expect(resolveOverlaps(findings)).toEqual([findings[1], findings[0]]);
  });

  it("keeps the container when one finding holds another", () => {
    const iban: PiiFinding = { category: "iban", start: 0, end: 27 };
    expect(resolveOverlaps([{ category: "credit_card", start: 5, end: 24 }, iban])).toEqual([iban]);
  });

  it("names the span after a secret inside it", () => {
    expect(
      resolveOverlaps([
        { category: "email", start: 0, end: 50 },
        { category: "api_key", start: 0, end: 40 },
      ]),
    ).toEqual([{ category: "api_key", start: 0, end: 50 }]);
  });

  it("merges a partial overlap under the higher-priority category", () => {
    expect(
      resolveOverlaps([
        { category: "phone", start: 0, end: 20 },
        { category: "ssn", start: 16, end: 27 },
      ]),
    ).toEqual([{ category: "ssn", start: 0, end: 27 }]);
  });

  it("takes the higher-priority category for identical spans", () => {
    expect(
      resolveOverlaps([
        { category: "ip_address", start: 3, end: 9 },
        { category: "phone", start: 3, end: 9 },
      ]),
    ).toEqual([{ category: "phone", start: 3, end: 9 }]);
  });

  it("leaves touching findings apart", () => {
    const findings: PiiFinding[] = [
      { category: "email", start: 0, end: 10 },
      { category: "phone", start: 10, end: 20 },
    ];
    expect(resolveOverlaps(findings)).toEqual(findings);
  });
});
