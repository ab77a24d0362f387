// Test helpers: a detector's findings as [category, matched text] pairs, which read better in
// assertions than offsets; and generated findings for tests of what a redaction carries over.
import type { PiiCategory, PiiFinding } from "./categories";

export function matched(text: string, findings: PiiFinding[]): Array<[PiiCategory, string]> {
  return findings.map((finding) => [finding.category, text.slice(finding.start, finding.end)]);
}

/**
 * Sorted, disjoint findings of `text` made from arbitrary cut points: the points in order, every
 * other gap between them a finding, named by `categories` in turn.
 */
export function findingsFromCuts(text: string, cuts: number[], categories: PiiCategory[]): PiiFinding[] {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((left, right) => left - right);
  const findings: PiiFinding[] = [];
  for (let index = 0; index + 1 < points.length; index += 2) {
    findings.push({ category: categories[index % categories.length]!, start: points[index]!, end: points[index + 1]! });
  }
  return findings;
}
