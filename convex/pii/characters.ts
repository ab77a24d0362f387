// Character-class tests on UTF-16 code units. Detectors scan with these instead of per-character
// regexes because a loop over char codes is the cheapest way to walk a token once. They read the
// codes with `text.charCodeAt` directly: outside the text it gives NaN, which every test here
// rejects, so boundary checks need no length test. A shared `codeAt` helper for that (-1 outside)
// stopped being inlined in the hot walks once the detectors had run on texts of both string widths,
// as the benchmark runs them (corpora, then the 5 MB text): labelled numbers took 16 ms instead of
// 10 on that text (docs/pii.md).

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isUpperLetter(code: number): boolean {
  return code >= 65 && code <= 90;
}

export function isLowerLetter(code: number): boolean {
  return code >= 97 && code <= 122;
}

export function isLetter(code: number): boolean {
  return isUpperLetter(code) || isLowerLetter(code);
}

export function isAlphanumeric(code: number): boolean {
  return isDigit(code) || isLetter(code);
}

// Scripts written with spaces between words. CJK text often has none, so counting its letters
// would pull the words before an address into it ("連絡先はjane@example.com").
const SPACED_SCRIPT_LETTER = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{M}]/u;

/** Latin, Greek and Cyrillic letters outside ASCII ("é", "ß", "ж"), which addresses may hold. */
export function isNonAsciiLetter(code: number): boolean {
  return code > 127 && SPACED_SCRIPT_LETTER.test(String.fromCharCode(code));
}

/** `[A-Za-z0-9_]`, the characters that continue a word or an identifier. */
export function isWordCharacter(code: number): boolean {
  return isAlphanumeric(code) || code === 95;
}

export function isHexDigit(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}
