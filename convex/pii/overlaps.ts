// Turns the detectors' findings, which may overlap one another, into the sorted, disjoint list
// that redaction walks.
import { CATEGORY_PRIORITY, type PiiFinding } from "./categories";

/**
 * A finding inside another is absorbed by it, and the container names the span: it is the fuller
 * reading of that text (an IBAN whose digits also pass as a card, an IPv6 address ending in an
 * IPv4 one). The exception is a secret, which names any span it is part of: "ghp_...@github.com"
 * in a remote URL is a token, not a mailbox. Two findings that only partly overlap become one span
 * over both, named by the higher-priority category, so no piece of either value is left behind.
 * Identical spans sort higher priority first, so the first of them names the span.
 */
export function resolveOverlaps(findings: PiiFinding[]): PiiFinding[] {
  const sorted = [...findings].sort(
    (left, right) =>
      left.start - right.start ||
      right.end - left.end ||
      CATEGORY_PRIORITY[right.category] - CATEGORY_PRIORITY[left.category],
  );
  const resolved: PiiFinding[] = [];
  let current: PiiFinding | undefined;
  for (const finding of sorted) {
    if (current === undefined || finding.start >= current.end) {
      if (current !== undefined) resolved.push(current);
      current = { ...finding };
    } else if (finding.end > current.end) {
      current.end = finding.end;
      if (CATEGORY_PRIORITY[finding.category] > CATEGORY_PRIORITY[current.category]) {
        current.category = finding.category;
      }
    } else if (finding.category === "api_key") {
      current.category = "api_key";
    }
  }
  if (current !== undefined) resolved.push(current);
  return resolved;
}
