// Payment card numbers: 13 to 19 digits written bare, in groups of four, or in the 4-6-5 / 4-6-4
// American Express and Diners layout, that pass the Luhn check and start with a known issuer prefix.
import { extendsNumberAfter, isGluedAfter, isGluedBefore } from "./boundaries";
import type { PiiFinding } from "./categories";
import { hasKnownIssuer } from "./cardIssuers";
import { isLuhnValid } from "./luhn";
import { findNumberRuns, NumberRunMatcher } from "./numberRuns";
import type { TextScans } from "./textScans";

// Bounded groups with one separator character kept consistent by a back-reference, so a long run
// of digits and spaces costs a constant number of steps per starting point. The look-arounds keep
// the number from being the middle of a longer one (an order id, a version, a decimal).
export const CARD_PATTERN =
  /(?<![\w.+-])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})(?![\w]|[.-]\d)/g;

/**
 * A match is digits, spaces and dashes, ends with a digit and is 13 characters or more (16 for the
 * grouped layouts); its look-behind reads one character back and its look-ahead two ahead.
 */
export const CARD_SHAPE = { shortest: 13, lookBehind: 1, lookAhead: 2 };

export function findCreditCards(text: string, scans: TextScans = {}): PiiFinding[] {
  const runs = scans.runs ?? findNumberRuns(text);
  const findings: PiiFinding[] = [];
  const pattern = new NumberRunMatcher(runs, CARD_PATTERN, CARD_SHAPE);
  let from = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(from)) !== null) {
    const matchEnd = match.index + match[0].length;
    const glued =
      isGluedBefore(text, match.index) || isGluedAfter(text, matchEnd) || extendsNumberAfter(text, matchEnd, ".-");
    const end = glued ? -1 : cardEnd(text, match.index, matchEnd);
    if (end !== -1) {
      findings.push({ category: "credit_card", start: match.index, end });
      from = end;
    } else {
      // A rejected run of groups may still hold a card starting at a later group.
      from = match.index + 1;
    }
  }
  return findings;
}

/**
 * Where the card that starts at `start` ends, or -1. A fifth group ("... 1111 123") is either the
 * tail of a 19-digit card or something written after a 16-digit one (a CVV, a year), so both
 * readings are tried. Works on the text in place: this runs once per group of a long digit run.
 */
function cardEnd(text: string, start: number, end: number): number {
  let separators = 0;
  let fourGroupsEnd = -1;
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if ((code === 32 || code === 45) && ++separators === 4) fourGroupsEnd = index;
  }
  if (isCard(text, start, end, end - start - separators)) return end;
  return fourGroupsEnd !== -1 && isCard(text, start, fourGroupsEnd, fourGroupsEnd - start - 3) ? fourGroupsEnd : -1;
}

function isCard(text: string, start: number, end: number, digits: number): boolean {
  if (digits < 13 || !isLuhnValid(text, start, end)) return false;
  // Every layout the pattern accepts starts with four digits before any separator.
  return hasKnownIssuer(Number(text.slice(start, start + 4)), digits);
}
