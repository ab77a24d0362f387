// The number runs and the matcher that tries a detector's pattern on them only: the matches it
// finds are those of the pattern's own scan of the whole text, for each digit detector's pattern.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PiiCategory } from "./categories";
import { CARD_PATTERN, CARD_SHAPE } from "./creditCard";
import { CANDIDATE, CANDIDATE_SHAPE } from "./labelledNumbers";
import { findNumberRuns, NumberRunMatcher, numberRunsAfterRedaction, numberRunsOnLines } from "./numberRuns";
import { redactFindings } from "./redact";
import { findingsFromCuts } from "./testing";
import { NATIONAL_OR_NORTH_AMERICAN_PATTERN, NATIONAL_OR_NORTH_AMERICAN_SHAPE } from "./phone";
import { SSN_PATTERN, SSN_SHAPE } from "./ssn";

type Shape = { shortest: number; lookBehind: number; lookAhead: number };

const PATTERNS: Array<[string, RegExp, Shape]> = [
  ["cards", CARD_PATTERN, CARD_SHAPE],
  ["SSNs", SSN_PATTERN, SSN_SHAPE],
  ["phones", NATIONAL_OR_NORTH_AMERICAN_PATTERN, NATIONAL_OR_NORTH_AMERICAN_SHAPE],
  ["labelled numbers", CANDIDATE, CANDIDATE_SHAPE],
];

const PIECES = [
  "4111 1111 1111 1111",
  "3782 822463 10005",
  "123-45-6789",
  "694404502",
  "(415) 555-0134",
  "1-800-555-0199",
  "(020) 7946 0958",
  "030/1234567",
  "01 23 45 67 89",
  "192.0.2.1",
  "[PHONE]",
  "SSN: ",
  "tel:",
];

/** Every match start, `from` moving one past each: the leftmost match of `shortest` or more characters from each. */
function matchesFrom(next: (from: number) => RegExpExecArray | null): Array<[number, string]> {
  const found: Array<[number, string]> = [];
  let match: RegExpExecArray | null;
  let from = 0;
  while ((match = next(from)) !== null) {
    found.push([match.index, match.slice().join("|")]);
    from = match.index + 1;
  }
  return found;
}

/** `next`, passing over matches shorter than `shortest` (a detector rejects those, see phone.ts). */
function skippingShort(next: (from: number) => RegExpExecArray | null, shortest: number) {
  return (from: number) => {
    let match = next(from);
    while (match !== null && match[0].length < shortest) match = next(match.index + 1);
    return match;
  };
}

function ownScan(text: string, pattern: RegExp): (from: number) => RegExpExecArray | null {
  const scan = new RegExp(pattern);
  return (from) => {
    scan.lastIndex = from;
    return scan.exec(text);
  };
}

describe("findNumberRuns", () => {
  it("spans each run from its first digit or parenthesis to its last digit, nine characters or more", () => {
    const text = "id 12345678 then (020) 7946 0958. and 1.2.3.4.5 a ( 1234567890 (";
    const runs = findNumberRuns(text).bounds;
    const spans = [];
    for (let index = 0; index < runs.length; index += 2) spans.push(text.slice(runs[index], runs[index + 1]));
    expect(spans).toEqual(["(020) 7946 0958", "1.2.3.4.5", "( 1234567890"]);
  });
});

describe("NumberRunMatcher", () => {
  for (const [name, pattern, shape] of PATTERNS) {
    it(`finds what the pattern's own scan finds, for ${name}`, () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.oneof(
              fc.constantFrom(...PIECES),
              fc.stringMatching(/^[0-9 .()\/\-+#a_\n]{0,14}$/),
              fc.stringMatching(/^[0-9]{1,12}$/),
            ),
            { maxLength: 14 },
          ),
          (parts) => {
            const text = parts.join("");
            const matcher = new NumberRunMatcher(findNumberRuns(text), pattern, shape);
            expect(matchesFrom(skippingShort((from) => matcher.exec(from), shape.shortest))).toEqual(
              matchesFrom(skippingShort(ownScan(text, pattern), shape.shortest)),
            );
          },
        ),
        { numRuns: 2_000 },
      );
    });
  }
});

/** Digit-heavy text: the pieces above, digits, separators and a few letters and line breaks. */
const numberText = fc
  .array(
    fc.oneof(fc.constantFrom(...PIECES), fc.stringMatching(/^[0-9 .()\/\-+#a_\n]{0,14}$/), fc.stringMatching(/^[0-9]{1,12}$/)),
    { maxLength: 14 },
  )
  .map((parts) => parts.join(""));

describe("numberRunsAfterRedaction", () => {
  it("gives the runs a scan of the redacted text finds, whatever was redacted", () => {
    const categories: PiiCategory[] = ["phone", "ssn", "credit_card", "email"];
    fc.assert(
      fc.property(numberText, fc.array(fc.nat(), { maxLength: 12 }), (text, cuts) => {
        const findings = findingsFromCuts(text, cuts, categories);
        const redaction = redactFindings(text, findings);
        const runs = numberRunsAfterRedaction(findNumberRuns(text), findings, redaction.written, redaction.text);
        expect(runs).toEqual(findNumberRuns(redaction.text));
      }),
      { numRuns: 3_000 },
    );
  });
});

describe("numberRunsOnLines", () => {
  it("gives the runs a scan of the joined lines finds", () => {
    fc.assert(
      fc.property(numberText, fc.array(fc.boolean(), { maxLength: 20 }), (text, keep) => {
        const lines: Array<{ start: number; end: number }> = [];
        let start = 0;
        text.split("\n").forEach((line, index) => {
          if (keep[index] ?? true) lines.push({ start, end: start + line.length });
          start += line.length + 1;
        });
        const joined = lines.map((line) => text.slice(line.start, line.end)).join("\n");
        expect(numberRunsOnLines(findNumberRuns(text), lines, joined)).toEqual(findNumberRuns(joined));
      }),
      { numRuns: 3_000 },
    );
  });
});
