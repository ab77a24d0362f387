// Precision and recall of a PII detector against the labelled corpus. Shared by the corpus test
// (which holds our detectors to the targets) and the library comparison benchmark.
import { PII_CATEGORIES, type PiiCategory, type Span } from "./categories";

export interface CorpusEntity {
  category: PiiCategory;
  value: string;
}

/** One labelled text; a hard negative has no entities. */
export interface CorpusCase {
  text: string;
  entities: CorpusEntity[];
}

/**
 * A span a detector reported. `category` is null when the detector's own label maps onto none of
 * ours (a library's "URL" or "ZIPCODE"); such spans still count as predictions.
 */
export interface PredictedSpan {
  category: PiiCategory | null;
  start: number;
  end: number;
}

export interface Score {
  predicted: number;
  truePositives: number;
  labelled: number;
  /** Labelled values touched by at least one matching prediction. */
  found: number;
  /** Labelled values whose every character is inside matching predictions (nothing leaks). */
  covered: number;
  precision: number | null;
  recall: number | null;
}

export interface CorpusScore {
  overall: Score;
  byCategory: Record<PiiCategory, Score>;
  /** The same counts with categories ignored: any prediction touching any labelled value. */
  categoryAgnostic: Score;
  /** Predictions whose label maps to none of our categories. */
  unmapped: number;
}

/** Checks the fixture's shape once, so a typo in a category fails loudly instead of scoring zero. */
export function readCorpus(data: unknown): CorpusCase[] {
  if (!Array.isArray(data)) throw new Error("corpus must be an array of cases");
  return data.map((entry: unknown, index) => {
    const { text, entities } = (entry ?? {}) as { text?: unknown; entities?: unknown };
    if (typeof text !== "string" || !Array.isArray(entities)) throw new Error(`corpus case ${index} is malformed`);
    return {
      text,
      entities: entities.map((entity: unknown) => {
        const { category, value } = (entity ?? {}) as { category?: unknown; value?: unknown };
        if (!PII_CATEGORIES.includes(category as PiiCategory) || typeof value !== "string") {
          throw new Error(`corpus case ${index} has a malformed entity`);
        }
        return { category: category as PiiCategory, value };
      }),
    };
  });
}

interface LabelledSpan extends CorpusEntity {
  start: number;
  end: number;
}

/** Finds each entity's value in the text, in order, so repeated values get successive spans. */
export function locateEntities(entry: CorpusCase): LabelledSpan[] {
  let cursor = 0;
  return entry.entities.map((entity) => {
    const start = entry.text.indexOf(entity.value, cursor);
    if (start === -1) throw new Error(`corpus value ${JSON.stringify(entity.value)} is not in its text`);
    cursor = start + entity.value.length;
    return { ...entity, start, end: cursor };
  });
}

function overlaps(left: Span, right: Span): boolean {
  return left.start < right.end && right.start < left.end;
}

function isCovered(span: LabelledSpan, predictions: PredictedSpan[]): boolean {
  const inside = predictions
    .filter((prediction) => overlaps(prediction, span))
    .sort((left, right) => left.start - right.start);
  let reached = span.start;
  for (const prediction of inside) {
    if (prediction.start > reached) return false;
    reached = Math.max(reached, prediction.end);
  }
  return reached >= span.end;
}

function emptyScore(): Score {
  return { predicted: 0, truePositives: 0, labelled: 0, found: 0, covered: 0, precision: null, recall: null };
}

function finish(score: Score): Score {
  return {
    ...score,
    precision: score.predicted === 0 ? null : score.truePositives / score.predicted,
    recall: score.labelled === 0 ? null : score.found / score.labelled,
  };
}

/**
 * A prediction is a true positive when it overlaps a labelled value of the same category; a
 * labelled value is found when some same-category prediction overlaps it. Precision is true
 * positives over all predictions, recall is found values over labelled values.
 * `predictions[index]` holds the detector's spans for `corpus[index]`.
 */
export function scoreCorpus(corpus: CorpusCase[], predictions: PredictedSpan[][]): CorpusScore {
  const byCategory = Object.fromEntries(PII_CATEGORIES.map((category) => [category, emptyScore()])) as Record<
    PiiCategory,
    Score
  >;
  const overall = emptyScore();
  const agnostic = emptyScore();
  let unmapped = 0;
  corpus.forEach((entry, index) => {
    const labelled = locateEntities(entry);
    const predicted = predictions[index] ?? [];
    for (const prediction of predicted) {
      const matches = labelled.some((span) => span.category === prediction.category && overlaps(span, prediction));
      const touches = labelled.some((span) => overlaps(span, prediction));
      overall.predicted++;
      agnostic.predicted++;
      if (matches) overall.truePositives++;
      if (touches) agnostic.truePositives++;
      if (prediction.category === null) {
        unmapped++;
        continue;
      }
      byCategory[prediction.category].predicted++;
      if (matches) byCategory[prediction.category].truePositives++;
    }
    for (const span of labelled) {
      const sameCategory = predicted.filter((prediction) => prediction.category === span.category);
      const found = sameCategory.some((prediction) => overlaps(span, prediction));
      const covered = isCovered(span, sameCategory);
      for (const score of [overall, byCategory[span.category]]) {
        score.labelled++;
        if (found) score.found++;
        if (covered) score.covered++;
      }
      agnostic.labelled++;
      if (predicted.some((prediction) => overlaps(span, prediction))) agnostic.found++;
      if (isCovered(span, predicted)) agnostic.covered++;
    }
  });
  return {
    overall: finish(overall),
    byCategory: Object.fromEntries(
      PII_CATEGORIES.map((category) => [category, finish(byCategory[category])]),
    ) as Record<PiiCategory, Score>,
    categoryAgnostic: finish(agnostic),
    unmapped,
  };
}
