// US Social Security numbers written AAA-GG-SSSS or AAA GG SSSS, within the ranges the SSA issues.
// Bare nine-digit numbers are indistinguishable from ids on their own; labelledNumbers.ts finds
// them next to a label that names them.
import { extendsNumberAfter, isGluedAfter, isGluedBefore } from "./boundaries";
import type { PiiFinding } from "./categories";

const SSN_PATTERN = /(?<![\w.\-/])(\d{3})([ -])(\d{2})\2(\d{4})(?![\w]|[.\-/]\d)/g;

/** Area 000, 666 and 900-999, group 00 and serial 0000 are never issued. */
export function isValidSsn(area: string, group: string, serial: string): boolean {
  return area !== "000" && area !== "666" && area[0] !== "9" && group !== "00" && serial !== "0000";
}

export function findSsns(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  const pattern = new RegExp(SSN_PATTERN);
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const [value, area = "", , group = "", serial = ""] = match;
    const end = match.index + value.length;
    const standalone =
      !isGluedBefore(text, match.index) && !isGluedAfter(text, end) && !extendsNumberAfter(text, end, ".-/");
    if (standalone && isValidSsn(area, group, serial)) {
      findings.push({ category: "ssn", start: match.index, end });
    }
  }
  return findings;
}
