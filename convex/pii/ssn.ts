// US Social Security numbers written AAA-GG-SSSS or AAA GG SSSS, within the ranges the SSA issues.
// Bare nine-digit numbers are indistinguishable from ids on their own; labelledNumbers.ts finds
// them next to a label that names them.
import { extendsNumberAfter, isGluedAfter, isGluedBefore } from "./boundaries";
import type { PiiFinding } from "./categories";
import { findNumberRuns, NumberRunMatcher } from "./numberRuns";
import type { TextScans } from "./textScans";

export const SSN_PATTERN = /(?<![\w.\-/])(\d{3})([ -])(\d{2})\2(\d{4})(?![\w]|[.\-/]\d)/g;

/** Area 000, 666 and 900-999, group 00 and serial 0000 are never issued. */
export function isValidSsn(area: string, group: string, serial: string): boolean {
  return area !== "000" && area !== "666" && area[0] !== "9" && group !== "00" && serial !== "0000";
}

/** A match is 11 characters, digits and one separator, ending with a digit; look-arounds read one back and two ahead. */
export const SSN_SHAPE = { shortest: 11, lookBehind: 1, lookAhead: 2 };

export function findSsns(text: string, scans: TextScans = {}): PiiFinding[] {
  const runs = scans.runs ?? findNumberRuns(text);
  const findings: PiiFinding[] = [];
  const pattern = new NumberRunMatcher(runs, SSN_PATTERN, SSN_SHAPE);
  let from = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(from)) !== null) {
    const [value, area = "", , group = "", serial = ""] = match;
    const end = match.index + value.length;
    from = end;
    const standalone =
      !isGluedBefore(text, match.index) && !isGluedAfter(text, end) && !extendsNumberAfter(text, end, ".-/");
    if (standalone && isValidSsn(area, group, serial)) {
      findings.push({ category: "ssn", start: match.index, end });
    }
  }
  return findings;
}
