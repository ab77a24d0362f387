// The scoring rules the corpus test and the library benchmark rely on.
import { describe, expect, it } from "vitest";
import { locateEntities, readCorpus, scoreCorpus, type CorpusCase } from "./score";

const CORPUS: CorpusCase[] = [
  { text: "mail a@example.com or a@example.com", entities: [{ category: "email", value: "a@example.com" }, { category: "email", value: "a@example.com" }] },
  { text: "call 020 7946 0958", entities: [{ category: "phone", value: "020 7946 0958" }] },
  { text: "version 1.2.3", entities: [] },
];

describe("locateEntities", () => {
  it("gives repeated values successive spans", () => {
    expect(locateEntities(CORPUS[0] ?? { text: "", entities: [] }).map((span) => span.start)).toEqual([5, 22]);
  });

  it("throws when a value is missing from its text", () => {
    expect(() => locateEntities({ text: "nothing", entities: [{ category: "ssn", value: "123-45-6789" }] })).toThrow();
  });
});

describe("readCorpus", () => {
  it("rejects an unknown category", () => {
    expect(() => readCorpus([{ text: "x", entities: [{ category: "person", value: "x" }] }])).toThrow();
  });
});

describe("scoreCorpus", () => {
  it("counts overlap with the right category as a hit, anything else as a false positive", () => {
    const score = scoreCorpus(CORPUS, [
      [{ category: "email", start: 5, end: 12 }],
      [{ category: "ip_address", start: 5, end: 18 }],
      [{ category: null, start: 8, end: 13 }],
    ]);
    expect(score.overall).toMatchObject({ predicted: 3, truePositives: 1, labelled: 3, found: 1, covered: 0 });
    expect(score.overall.precision).toBeCloseTo(1 / 3);
    expect(score.overall.recall).toBeCloseTo(1 / 3);
    expect(score.byCategory.email).toMatchObject({ predicted: 1, truePositives: 1, labelled: 2, found: 1 });
    expect(score.byCategory.phone.found).toBe(0);
    expect(score.categoryAgnostic).toMatchObject({ truePositives: 2, found: 2 });
    expect(score.unmapped).toBe(1);
  });

  it("reports no precision for a detector that predicted nothing", () => {
    const score = scoreCorpus(CORPUS, [[], [], []]);
    expect(score.overall.precision).toBeNull();
    expect(score.overall.recall).toBe(0);
  });
});
