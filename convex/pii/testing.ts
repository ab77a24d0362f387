// Test helper: a detector's findings as [category, matched text] pairs, which read better in
// assertions than offsets.
import type { PiiCategory, PiiFinding } from "./categories";

export function matched(text: string, findings: PiiFinding[]): Array<[PiiCategory, string]> {
  return findings.map((finding) => [finding.category, text.slice(finding.start, finding.end)]);
}
