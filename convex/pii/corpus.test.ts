// Holds the detectors to the targets on the labelled corpus: precision >= 0.97 and recall >= 0.95,
// overall and per category, scored by the same code as the library comparison.
import { describe, expect, it } from "vitest";
import { PII_CATEGORIES } from "./categories";
import corpusData from "./fixtures/corpus.json";
import { findPii } from "./index";
import { readCorpus, scoreCorpus } from "./score";

const corpus = readCorpus(corpusData);
const score = scoreCorpus(
  corpus,
  corpus.map((entry) => findPii(entry.text)),
);

describe("labelled corpus", () => {
  it("has at least 300 labelled values, 35 per category, and 150 hard negatives", () => {
    const entities = corpus.flatMap((entry) => entry.entities);
    expect(entities.length).toBeGreaterThanOrEqual(300);
    for (const category of PII_CATEGORIES) {
      expect(entities.filter((entity) => entity.category === category).length).toBeGreaterThanOrEqual(35);
    }
    expect(corpus.filter((entry) => entry.entities.length === 0).length).toBeGreaterThanOrEqual(150);
  });

  it("is detected with precision >= 0.97 and recall >= 0.95 overall", () => {
    expect(score.overall.precision).toBeGreaterThanOrEqual(0.97);
    expect(score.overall.recall).toBeGreaterThanOrEqual(0.95);
  });

  it.each(PII_CATEGORIES)("is detected with precision >= 0.97 and recall >= 0.95 for %s", (category) => {
    expect(score.byCategory[category].precision).toBeGreaterThanOrEqual(0.97);
    expect(score.byCategory[category].recall).toBeGreaterThanOrEqual(0.95);
  });

  it("leaves no labelled value partly unredacted", () => {
    expect(score.overall.covered).toBe(score.overall.found);
  });
});
