// Recovers the spans a library redacted when it only returns redacted text: the text between its
// placeholders must appear in the original in order, and what lies between is what it replaced.
import type { PiiCategory } from "../../../convex/pii/categories";
import { escapeRegExp } from "../../../convex/pii/regExps";
import type { PredictedSpan } from "../../../convex/pii/score";

/**
 * `placeholders` maps each placeholder the library writes to our category (null when it has no
 * counterpart). Each placeholder's span ends where the next literal stretch is next found; two
 * placeholders with nothing between them become one span named by the first. Throws when the
 * redacted text does not line up with the original.
 */
export function alignRedacted(
  original: string,
  redacted: string,
  placeholders: Record<string, PiiCategory | null>,
): PredictedSpan[] {
  const names = Object.keys(placeholders).sort((left, right) => right.length - left.length);
  // A capturing split keeps the placeholders: literal, placeholder, literal, ...
  const pieces = redacted.split(new RegExp(`(${names.map(escapeRegExp).join("|")})`));
  const leading = pieces[0] ?? "";
  if (!original.startsWith(leading)) throw new Error("redacted text does not start like the original");
  const spans: PredictedSpan[] = [];
  let cursor = leading.length;
  for (let index = 1; index < pieces.length; index += 2) {
    const category = placeholders[pieces[index] ?? ""] ?? null;
    let literal = pieces[index + 1] ?? "";
    while (literal === "" && index + 2 < pieces.length) {
      index += 2;
      literal = pieces[index + 1] ?? "";
    }
    const isLast = index + 2 >= pieces.length;
    const next = isLast && literal === "" ? original.length : original.indexOf(literal, cursor + 1);
    if (next === -1 || (isLast && !original.endsWith(literal))) {
      throw new Error(`cannot place ${JSON.stringify(literal.slice(0, 40))} after offset ${cursor}`);
    }
    const end = isLast ? original.length - literal.length : next;
    spans.push({ category, start: cursor, end });
    cursor = end + literal.length;
  }
  return spans;
}
