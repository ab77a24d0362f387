// IPv4 addresses in dotted-quad form, each octet 0-255 without leading zeros. Four parts that are
// the start or end of a longer dotted number ("1.2.3.4.5", an OID, "v10.4.12.1") are not matched,
// nor are four parts followed by a pre-release tag ("3.2.1.0-rc1"); a range "10.0.0.1-10.0.0.9" is.
// Nor are four parts named as a version by the words just before them on the same line: firmware,
// assembly and build versions and section numbers ("firmware 2.1.2.5", `Version="1.9.12.40"`,
// "Abschnitt 9.4.10.5"), in the supported languages.
import type { PiiFinding } from "./categories";
import {
  extendsNumberAfter,
  extendsNumberBefore,
  isGluedAfter,
  isGluedBefore,
  placeholderStartsAt,
} from "./boundaries";
import { isDigit, isLetter } from "./characters";
import type { ScannedText, WrittenPlaceholder } from "./besidePlaceholders";

// No look-behind: a pattern that starts with a plain digit class scans far faster, and the
// boundaries are checked in code instead.
const IPV4_PATTERN = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/g;
/** How far before the four parts a version word may stand, on the same line. */
const VERSION_WORD_WINDOW = 32;
const VERSION_WORD =
  /firmware|version|versión|versione|versão|versie|build|release|section|sección|secção|sezione|abschnitt|paragraaf|paragraph|paragraphe|párrafo|chapter|kapitel|capítulo|capitolo|hoofdstuk|article|artículo|artigo|articolo|artikel|§|バージョン|ファームウェア/;

/** A version or section word shortly before `start` on the same line. */
function followsVersionWord(text: string, start: number): boolean {
  const window = text.slice(Math.max(0, start - VERSION_WORD_WINDOW), start);
  // Bounded: `lastIndexOf` on the whole text would walk back to the previous line every time.
  return VERSION_WORD.test(window.slice(window.lastIndexOf("\n") + 1).toLowerCase());
}

export function isIpv4(value: string): boolean {
  const octets = value.split(".");
  return (
    octets.length === 4 &&
    octets.every((octet) => /^\d{1,3}$/.test(octet) && (octet === "0" || octet[0] !== "0") && Number(octet) <= 255)
  );
}

/** Not glued to a word, and not continuing a dotted number on either side ("..1.2.3.4" is fine). */
function isStandalone(text: string, start: number, end: number): boolean {
  return (
    !isGluedBefore(text, start) &&
    !isGluedAfter(text, end) &&
    !extendsNumberBefore(text, start, ".") &&
    !extendsNumberAfter(text, end, ".") &&
    !(text.charAt(end) === "-" && (isLetter(text.charCodeAt(end + 1)) || placeholderStartsAt(text, end + 1)))
  );
}

/**
 * Where a placeholder can change an IPv4 verdict (besidePlaceholders.ts): before four parts whose
 * version-word window (VERSION_WORD_WINDOW back) or boundary checks reach into it, and before four
 * parts that an address accepted from the replaced value ran on over (the search resumes after an
 * accepted address). Both start within the window after the placeholder. After four parts a
 * placeholder only rejects: glued, or after "." or "-".
 */
export function placeholderMayHelpIpv4({ text }: ScannedText, placeholder: WrittenPlaceholder): boolean {
  // Every candidate has its first "." within three characters of its start.
  const window = text.slice(placeholder.end, placeholder.end + VERSION_WORD_WINDOW + 3);
  for (let dot = window.indexOf("."); dot !== -1; dot = window.indexOf(".", dot + 1)) {
    for (let start = Math.max(0, dot - 3); start < Math.min(dot, VERSION_WORD_WINDOW); start++) {
      if (dottedQuadAt(text, placeholder.end + start)) return true;
    }
  }
  return false;
}

/** IPV4_PATTERN's shape at `start`: four runs of one to three digits joined by ".". */
function dottedQuadAt(text: string, start: number): boolean {
  let index = start;
  for (let part = 0; part < 4; part++) {
    if (part > 0 && text.charCodeAt(index++) !== 46) return false;
    const partStart = index;
    while (index - partStart < 3 && isDigit(text.charCodeAt(index))) index++;
    if (index === partStart) return false;
  }
  return true;
}

export function findIpv4Addresses(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  const pattern = new RegExp(IPV4_PATTERN);
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const start = match.index;
    const end = start + match[0].length;
    if (isStandalone(text, start, end) && isIpv4(match[0]) && !followsVersionWord(text, start)) {
      findings.push({ category: "ip_address", start, end });
    } else {
      // "1234.5.6.7" fails at 1 but must not hide a later start; each retry is a bounded match.
      pattern.lastIndex = start + 1;
    }
  }
  return findings;
}
