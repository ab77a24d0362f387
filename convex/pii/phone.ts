// Phone numbers in three shapes: international (E.164 with "+", separators allowed), North American
// "(415) 555-0134" / "415-555-0134" / "415.555.0134", and the European trunk-prefix formats
// ("020 7946 0958", "07700 900123", "030 123456", "01 23 45 67 89"). Digits without separators
// are matched only after "+": bare runs are far more often ids, amounts or timestamps. Numbers
// without "+" or trunk "0" (Spanish, Italian, tel: links, after a phone word) are in nationalPhone.ts.
import type { PiiFinding } from "./categories";
import { resolveOverlaps } from "./overlaps";
import { extendsNumberAfter, isGluedAfter, isGluedBefore } from "./boundaries";
import { AnchoredPattern } from "./anchoredPattern";
import { isDigit } from "./characters";
import { findNumberRuns, NumberRunMatcher } from "./numberRuns";
import type { TextScans } from "./textScans";
import type { ScannedText, WrittenPlaceholder } from "./besidePlaceholders";

// One bounded character class, no nested repetition: the grouping is checked in code. Tried only
// at each "+" (anchoredPattern.ts).
const INTERNATIONAL = new AnchoredPattern(/\+\d[\d ().-]{6,24}\d/, "+");
// National numbers (group 1: a trunk "0" first) and North American ones (area code and exchange
// start with 2-9, optionally after the "1" country code) in one pass; neither can start where the
// other does. No look-behind, which lets the engine skip ahead on the first character: what may
// precede a number is checked by `startsCleanly`.
export const NATIONAL_OR_NORTH_AMERICAN_PATTERN =
  /(?:((?:\(0\d{1,4}\) ?|0\d{1,4}[ .\-/])\d{2,8}(?:[ .-]\d{2,8}){0,4})|(?:1[ .-])?(?:\([2-9]\d{2}\) ?[2-9]\d{2}[ .-]\d{4}|[2-9]\d{2}([ .-])[2-9]\d{2}\2\d{4}))(?![\w]|[.\-/]\d)/g;

/**
 * A match is digits, "(", ")" and separators and ends with a digit; its look-ahead reads two
 * characters past it. One shorter than nine characters holds fewer than the nine digits a national
 * number needs (a North American one is 12 or more), so it is rejected and only moves the search
 * on by one: leaving it out changes nothing.
 */
export const NATIONAL_OR_NORTH_AMERICAN_SHAPE = { shortest: 9, lookBehind: 0, lookAhead: 2 };

const E164_MIN_DIGITS = 8;
const E164_MAX_DIGITS = 15;
const NATIONAL_MIN_DIGITS = 9;
const NATIONAL_MAX_DIGITS = 12;

export function findPhones(text: string, scans: TextScans = {}): PiiFinding[] {
  const runs = scans.runs ?? findNumberRuns(text);
  const findings: PiiFinding[] = [];
  collect((from) => INTERNATIONAL.exec(text, from), findings, (match) =>
    isGluedBefore(text, match.index) || text.charCodeAt(match.index - 1) === 43 ? -1 : internationalEnd(text, match),
  );
  const national = new NumberRunMatcher(runs, NATIONAL_OR_NORTH_AMERICAN_PATTERN, NATIONAL_OR_NORTH_AMERICAN_SHAPE);
  collect((from) => national.exec(from), findings, (match) => {
    const end = match.index + match[0].length;
    if (!startsCleanly(text, match.index) || isGluedAfter(text, end) || extendsNumberAfter(text, end, ".-/")) return -1;
    return match[1] === undefined ? end : nationalEnd(text, match.index, end);
  });
  // "+1 415 555 0134" also holds the North American "415 555 0134": report the number once.
  return resolveOverlaps(findings);
}

/**
 * Where a placeholder can change a phone verdict (besidePlaceholders.ts): before a national number,
 * whose `continuesFourDigitGroups` reads a space and four digits back from its start, which the
 * replaced value may have held; so the placeholder is followed by at most four digits, a space and
 * the number's first digit. Otherwise a placeholder only rejects: before a number it glues to it;
 * after one every check that reads past it takes a placeholder as glued or as more of the number,
 * and a number whose groups ran on into the replaced value was found then without those groups
 * (`internationalEnd` and `nationalEnd` keep the longest run of groups that fits, and the North
 * American shape has none to drop). A number accepted from the replaced value was redacted with
 * it (overlaps.ts), so none ran on past it over starts the search skipped.
 */
const FOUR_DIGITS = 4;

export function placeholderMayHelpPhones({ text }: ScannedText, placeholder: WrittenPlaceholder): boolean {
  let index = placeholder.end;
  while (index - placeholder.end < FOUR_DIGITS && isDigit(text.charCodeAt(index))) index++;
  return text.charCodeAt(index) === 32 && isDigit(text.charCodeAt(index + 1));
}

/** Takes the matches `nextMatch` finds from a position on, keeping each that `acceptedEnd` gives an end for. */
function collect(
  nextMatch: (from: number) => RegExpExecArray | null,
  findings: PiiFinding[],
  acceptedEnd: (match: RegExpExecArray) => number,
): void {
  let match: RegExpExecArray | null;
  let from = 0;
  while ((match = nextMatch(from)) !== null) {
    const end = acceptedEnd(match);
    if (end !== -1) findings.push({ category: "phone", start: match.index, end });
    // Resume after what was kept, or just past a rejected start, so a shorter number inside a
    // rejected or trimmed candidate is still found.
    from = end === -1 ? match.index + 1 : end;
  }
}

/**
 * Not inside a word, an id ("ORD-0207946..."), a decimal, a path or a "+" number, nor the tail of
 * a longer run of digit groups (a card or account number "5392 0984 0222 5124").
 */
function startsCleanly(text: string, start: number): boolean {
  const before = text.charCodeAt(start - 1);
  return (
    !isGluedBefore(text, start) &&
    before !== 43 &&
    before !== 46 &&
    before !== 45 &&
    before !== 47 &&
    before !== 35 &&
    !continuesFourDigitGroups(text, start)
  );
}

/** "5392 0984 0222 5124": a group of four after another group of four is one run, not a phone. */
function continuesFourDigitGroups(text: string, start: number): boolean {
  return (
    text.charCodeAt(start - 1) === 32 &&
    isFourDigits(text, start - 5) &&
    !isDigit(text.charCodeAt(start - 6)) &&
    isFourDigits(text, start)
  );
}

/** Exactly four digits from `from`: no digit right after them. */
function isFourDigits(text: string, from: number): boolean {
  return (
    isDigit(text.charCodeAt(from)) &&
    isDigit(text.charCodeAt(from + 1)) &&
    isDigit(text.charCodeAt(from + 2)) &&
    isDigit(text.charCodeAt(from + 3)) &&
    !isDigit(text.charCodeAt(from + 4))
  );
}

interface GroupEnd {
  end: number;
  digits: number;
}

/**
 * Walks the "+..." candidate group by group and returns where the number ends: before a separator
 * run that no phone uses ("--", ". ", a stray parenthesis), before a group cut off by the pattern's
 * length bound or glued to a word, and before any group that would take it past the 15 digits
 * E.164 allows.
 */
function internationalEnd(text: string, match: RegExpExecArray): number {
  const candidateEnd = match.index + match[0].length;
  const groups: GroupEnd[] = [];
  let digits = 0;
  let depth = 0;
  let separators = 0;
  let position = match.index + 1;
  for (; position < candidateEnd; position++) {
    const code = text.charCodeAt(position);
    if (isDigit(code)) {
      digits++;
      separators = 0;
      continue;
    }
    if (separators === 0 && depth === 0) groups.push({ end: position, digits });
    separators++;
    const opens = code === 40;
    const closes = code === 41;
    if (separators > 2 || (opens && depth !== 0) || (closes && depth !== 1)) break;
    if (opens) depth = 1;
    if (closes) depth = 0;
  }
  if (position === candidateEnd && depth === 0) {
    // A digit right after the candidate means the bound cut a group in two: drop that group.
    if (!isDigit(text.charCodeAt(candidateEnd))) groups.push({ end: candidateEnd, digits });
  }
  // A last group glued to a word ("0958abc") is not part of the number.
  const fits = (group: GroupEnd) => group.digits <= E164_MAX_DIGITS && !isGluedAfter(text, group.end);
  while (groups.length > 0 && !fits(groups[groups.length - 1] ?? { end: 0, digits: 0 })) groups.pop();
  const last = groups[groups.length - 1];
  return last === undefined || last.digits < E164_MIN_DIGITS ? -1 : last.end;
}

/**
 * Trunk-prefix numbers have 9 to 12 digits and one separator style between the groups after the
 * first ("030/123 456" is fine), which is what tells "01 23 45 67 89" from "01.05.2024 12". A "00"
 * international prefix allows up to 17 digits, but the country code after it never starts with 0
 * and the national number after that drops its trunk 0, which keeps "0000 0000 ..." and runs of
 * zero-led groups out. The longest run of groups that fits is kept, so a trailing group of another
 * number is left out while no group of this one is. Walks char codes: this runs for every "0" that
 * starts a group, and a text can hold many.
 */
function nationalEnd(text: string, start: number, end: number): number {
  const international = text.startsWith("00", start);
  const minDigits = international ? NATIONAL_MIN_DIGITS + 1 : NATIONAL_MIN_DIGITS;
  const maxDigits = international ? E164_MAX_DIGITS + 2 : NATIONAL_MAX_DIGITS;
  const parenthesised = text.charCodeAt(start) === 40;
  let position = parenthesised ? start + 1 : start;
  let digits = 0;
  while (position < end && isDigit(text.charCodeAt(position))) {
    position++;
    digits++;
  }
  if (parenthesised) position++;
  if (international && (text.charCodeAt(start + 2) === 48 || text.charCodeAt(position + 1) === 48)) return -1;
  let separator = -1;
  let best = -1;
  for (let group = 0; position < end; group++) {
    const before = text.charCodeAt(position);
    // After "(020)" the next group may follow with no separator at all.
    if (!isDigit(before)) position++;
    if (group > 0) {
      if (separator !== -1 && before !== separator) break;
      separator = before;
    }
    while (position < end && isDigit(text.charCodeAt(position))) {
      position++;
      digits++;
    }
    if (digits > maxDigits) break;
    if (digits >= minDigits) best = position;
  }
  return best;
}
