// Replaces each finding with its category's placeholder and counts what was replaced, plus the
// helper that sums counts across the messages of a transcript.
import { PII_PLACEHOLDERS, type PiiCategory, type PiiCounts, type PiiFinding } from "./categories";
import { findPii } from "./findPii";

/**
 * A value glued to another may only show once its neighbour is a placeholder (a GitHub token run
 * into an address: "ghp_...jane.doe@example.com" leaves "[API_KEY].doe@example.com"), so a text
 * that had findings is scanned again, at most this many passes in all. Texts without findings,
 * most of them, are scanned once; realistic chat text costs about a third more.
 */
const MAX_PASSES = 4;

/**
 * Placeholders contain no digit, "@", ":" or token prefix, so no detector matches them, and
 * detectors treat a placeholder touching a candidate as part of the same token (boundaries.ts);
 * with the passes above, redacting already-redacted text changes nothing.
 */
export function redactPii(text: string): { text: string; counts: PiiCounts } {
  return redactRepeatedly(text, findPii);
}

/** Redacts what `find` finds, then again in the result while it finds more (MAX_PASSES in all). */
export function redactRepeatedly(text: string, find: (text: string) => PiiFinding[]): { text: string; counts: PiiCounts } {
  const counts: PiiCounts = {};
  let current = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const result = redactFindings(current, find(current));
    if (result.text === current) break;
    addCounts(counts, result.counts);
    current = result.text;
  }
  return { text: current, counts };
}

/** Replaces sorted, disjoint findings of `text` with their placeholders. */
export function redactFindings(text: string, findings: PiiFinding[]): { text: string; counts: PiiCounts } {
  if (findings.length === 0) return { text, counts: {} };
  const counts: PiiCounts = {};
  const parts: string[] = [];
  let copied = 0;
  for (const finding of findings) {
    parts.push(text.slice(copied, finding.start), PII_PLACEHOLDERS[finding.category]);
    counts[finding.category] = (counts[finding.category] ?? 0) + 1;
    copied = finding.end;
  }
  parts.push(text.slice(copied));
  return { text: parts.join(""), counts };
}

/** Adds `from` into `into` and returns `into`, so a transcript's counts can be folded. */
export function addCounts(into: PiiCounts, from: PiiCounts): PiiCounts {
  for (const [category, count] of Object.entries(from) as [PiiCategory, number][]) {
    into[category] = (into[category] ?? 0) + count;
  }
  return into;
}
