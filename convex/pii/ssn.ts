// US Social Security numbers written AAA-GG-SSSS or AAA GG SSSS, within the ranges the SSA issues,
// and nine bare digits right after a label that names them ("SSN", "Social Security Number" and its
// translations in the supported languages): without the label, bare digits are indistinguishable
// from ids, so they are matched only with it.
import { extendsNumberAfter, isGluedAfter, isGluedBefore } from "./boundaries";
import type { PiiFinding } from "./categories";
import { codeAt, isDigit } from "./characters";

const SSN_PATTERN = /(?<![\w.\-/])(\d{3})([ -])(\d{2})\2(\d{4})(?![\w]|[.\-/]\d)/g;
const SSN_LABEL =
  /ssn|social security|soc\. ?sec\.|seguro social|seguridad social|sécurité sociale|sozialversicherung|previdenza sociale|sociale zekerheid|segurança social|社会保障番号/gi;
/** How far after its label a bare number may start; digits in between mean the label is not its. */
const MAX_LABEL_GAP = 40;
const BARE_LENGTH = 9;

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
  findLabelledBareSsns(text, findings);
  return findings;
}

/** "SSN: 123456789", "ssn=123456789", "Número de Seguro Social (EE. UU.): 123456789". */
function findLabelledBareSsns(text: string, findings: PiiFinding[]): void {
  const label = new RegExp(SSN_LABEL);
  let match: RegExpExecArray | null;
  while ((match = label.exec(text)) !== null) {
    let start = match.index + match[0].length;
    const limit = start + MAX_LABEL_GAP;
    while (start < limit && start < text.length && !isDigit(text.charCodeAt(start)) && text.charCodeAt(start) !== 10) {
      start++;
    }
    let end = start;
    while (end - start <= BARE_LENGTH && isDigit(codeAt(text, end))) end++;
    label.lastIndex = Math.max(label.lastIndex, end);
    if (end - start !== BARE_LENGTH || isGluedBefore(text, start) || isGluedAfter(text, end)) continue;
    if (extendsNumberAfter(text, end, ".-/ ")) continue;
    const digits = text.slice(start, end);
    // "123456789" and one digit nine times are what people type when they mean no number.
    if (digits === "123456789" || /^(\d)\1+$/.test(digits)) continue;
    if (isValidSsn(digits.slice(0, 3), digits.slice(3, 5), digits.slice(5))) {
      findings.push({ category: "ssn", start, end });
    }
  }
}
