// The later redaction passes scan only the lines that gained a placeholder (RESCAN_BOUNDARY in
// redact.ts). These tests hold them to the algorithm they replace, kept here as the reference:
// rescan the whole text after every pass that found something, at most four passes. Same text and
// same counts on both labelled corpora (each case alone and all of them as one multi-line
// document), the adversarial inputs, and generated text of values glued to each other and to
// placeholders, as written and behind JSON escapes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PiiCounts, PiiFinding } from "./categories";
import corpusData from "./fixtures/corpus.json";
import { ADVERSARIAL_INPUTS } from "./fixtures/adversarialInputs";
import heldOutData from "./fixtures/independent/heldout.json";
import tuningData from "./fixtures/independent/tuning.json";
import { DETECTORS, DETECTORS_BESIDE_PLACEHOLDERS, findPii } from "./findPii";
import { MAX_PASSES, everyLine, redactFindings, redactFurther, redactPii } from "./redact";
import { phraseMayContinueAt } from "./assignedSecrets";
import { findPiiThroughEscapes, redactWrittenText } from "./redactText";
import { readCorpus } from "./score";


/** The full-rescan algorithm: every pass scans the whole text, until one finds nothing. */
function redactByFullRescans(text: string, find: (text: string) => PiiFinding[]): { text: string; counts: PiiCounts } {
  const counts: PiiCounts = {};
  let current = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const result = redactFindings(current, find(current));
    if (result.text === current) break;
    for (const [category, count] of Object.entries(result.counts) as Array<[keyof PiiCounts, number]>) {
      counts[category] = (counts[category] ?? 0) + count;
    }
    current = result.text;
  }
  return { text: current, counts };
}

const CORPUS_TEXTS = [corpusData, tuningData, heldOutData].flatMap((data) => readCorpus(data).map((entry) => entry.text));

/** The corpus texts as one document: several to a line, with blank lines between paragraphs. */
function document(texts: string[]): string {
  return texts.map((text, index) => text + (index % 5 === 4 ? "\n\n" : index % 2 === 0 ? " " : "")).join("");
}

function expectSameAsFullRescans(text: string): void {
  expect(redactPii(text)).toEqual(redactByFullRescans(text, findPii));
  expect(redactWrittenText(text)).toEqual(redactByFullRescans(text, findPiiThroughEscapes));
}

// Values that run into each other and into placeholders, and the punctuation between them that a
// detector's context reads: the shapes where a placeholder uncovers something.
const GLUED_PIECES = [
  "jane.doe@example.com",
  "ghp_Xq7vLp2ZkR9mNc4TbW8yHd3FsJ6gQa1Ue5Ko",
  "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",
  "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
  "GB82WEST12345698765432",
  "4111111111111111",
  "sk-proj-Xq7vLp2ZkR9mNc4TbW8yHd3FsJ6gQa1Ue5Ko0Ii",
  "AKIAIOSFODNN7EXAMPLE",
  "4111 1111 1111 1111",
  "123-45-6789",
  "694404502",
  "+44 20 7946 0958",
  "662 984 210",
  "(415) 555-0134",
  "GB82 WEST 1234 5698 7654 32",
  "192.0.2.1",
  "2001:db8::1",
  "tel:",
  "SSN ",
  "Móvil: ",
  "firmware ",
  "password: ",
  "my password",
  "\n: ",
  "\nis ",
  "\n\\u003a ",
  "Sommer2024!",
  "DB_PASSWORD=",
  "token=",
  "postgres://app:",
  "@db.internal",
  " -u root -p",
  "[API_KEY]",
  "[EMAIL]",
  "[SSN] ",
  "[PHONE] ",
  "\\n",
  "\\u0040",
  "\"",
  "\n",
];
const GLUE = ["", "", " ", ".", "-", "@", ":", "/", "_", "+", "#", "=", "0", "a", "\n", "\\n", "\""];

const gluedText = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...GLUED_PIECES), fc.stringMatching(/^[0-9 .:+\-()@a-z]{0,10}$/)), fc.constantFrom(...GLUE)), {
    maxLength: 16,
  })
  .map((pairs) => pairs.map(([piece, glue]) => piece + glue).join(""));

/** The text cut at every line break that no password phrase's link crosses, as [start, end) spans. */
function independentParts(text: string): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let start = 0;
  for (let lineBreak = text.indexOf("\n"); lineBreak !== -1; lineBreak = text.indexOf("\n", lineBreak + 1)) {
    if (phraseMayContinueAt(text, lineBreak + 1)) continue;
    parts.push([start, lineBreak]);
    start = lineBreak + 1;
  }
  parts.push([start, text.length]);
  return parts;
}

describe("the rescan bound", () => {
  it("holds: outside private key blocks, a text's findings are its parts' findings, as written and behind escapes", () => {
    const withoutKeys = fc.array(gluedText, { minLength: 1, maxLength: 4 }).map((lines) => lines.join("\n"));
    fc.assert(
      fc.property(withoutKeys, (text) => {
        for (const find of [findPii, findPiiThroughEscapes]) {
          const parts = independentParts(text).flatMap(([start, end]) =>
            find(text.slice(start, end)).map((finding) => ({ ...finding, start: finding.start + start, end: finding.end + start })),
          );
          expect(parts).toEqual(find(text));
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe("rescanning only the lines that gained a placeholder", () => {
  it("matches full rescans on every text of both labelled corpora", () => {
    for (const text of CORPUS_TEXTS) expectSameAsFullRescans(text);
  });

  it("matches full rescans on the corpora as one multi-line document", () => {
    const whole = document(CORPUS_TEXTS);
    expect(redactPii(whole).text).not.toBe(whole);
    expectSameAsFullRescans(whole);
  });

  it("matches full rescans on the adversarial inputs", () => {
    for (const make of Object.values(ADVERSARIAL_INPUTS)) expectSameAsFullRescans(make(20_000));
  });

  it("matches full rescans on glued values, as written and behind escapes", () => {
    fc.assert(
      fc.property(fc.array(gluedText, { minLength: 1, maxLength: 4 }), (lines) => {
        expectSameAsFullRescans(lines.join("\n"));
      }),
      { numRuns: 3000 },
    );
  });

  it("matches full rescans after a first pass over joined values (the JSON path)", () => {
    fc.assert(
      fc.property(gluedText, (text) => {
        const first = redactFindings(text, findPiiThroughEscapes(text));
        const reference = redactByFullRescans(first.text, findPiiThroughEscapes);
        const counts: PiiCounts = { ...first.counts };
        for (const [category, count] of Object.entries(reference.counts) as Array<[keyof PiiCounts, number]>) {
          counts[category] = (counts[category] ?? 0) + count;
        }
        expect(redactFurther(first, everyLine(findPiiThroughEscapes), MAX_PASSES)).toEqual({ text: reference.text, counts });
      }),
      { numRuns: 2000 },
    );
  });

  it("rescans the line a password phrase takes its link from (\"password\\n: ...\")", () => {
    // The address is redacted first; then the value before it is a password whose word is on the line above.
    for (const text of ["my password\n: Sommer2024!jane@example.com", "contraseña\nes Sommer2024!jane@example.com\nmore"]) {
      expect(redactPii(text).text).toMatch(/\[API_KEY\]\[EMAIL\]/);
      expectSameAsFullRescans(text);
    }
    const escaped = "my password\n\\u003a Sommer2024!jane@example.com";
    expect(redactWrittenText(escaped).text).toMatch(/\[API_KEY\]\[EMAIL\]/);
    expectSameAsFullRescans(escaped);
  });

  it("matches full rescans on every password phrase split over lines, in each of its shapes", () => {
    const words = ["my password", "contraseña", "Kennwort", "mot de passe", "no word"];
    const links = ["\n: ", "\n=", "\nis ", "\nlautet\t", "\n\\u003a ", "\n", " : "];
    const values = ["Sommer2024!", "abc123", "\"Zomer 2025\"", ""];
    const glued = ["jane.doe@example.com", "192.0.2.1", "2001:db8::1", "ghp_Xq7vLp2ZkR9mNc4TbW8yHd3FsJ6gQa1Ue5Ko", "+44 20 7946 0958"];
    const after = ["", "\n", "\n: tail", " more"];
    for (const word of words) {
      for (const link of links) {
        for (const value of values) {
          for (const value2 of glued) {
            for (const tail of after) {
              // The value glued to another on the link's line, or the other value between the word and the link.
              expectSameAsFullRescans(`intro\n${word}${link}${value}${value2}${tail}`);
              expectSameAsFullRescans(`intro\n${word} ${value2}${link}${value}${tail}`);
            }
          }
        }
      }
    }
  });

  it("finds what a placeholder uncovers on its line, and only there (a second pass that finds something)", () => {
    const text = "intro line\n[API_KEY]+ghp_Xq7vLp2ZkR9mNc4TbW8yHd3FsJ6gQa1Ue5Koajane.doe@example.com \nlast line 192.0.2.1";
    expect(redactPii(text)).toEqual({
      text: "intro line\n[API_KEY]+[API_KEY].[EMAIL] \nlast line [IP_ADDRESS]",
      counts: { api_key: 1, email: 1, ip_address: 1 },
    });
    expectSameAsFullRescans(text);
  });
});

describe("the detectors later passes leave out", () => {
  const leftOut = DETECTORS.filter((detect) => !DETECTORS_BESIDE_PLACEHOLDERS.some(({ find }) => find === detect));

  /** Every text a later pass of the full-rescan algorithm scans, for the detectors left out to find nothing in. */
  function expectNothingLeftOutFindsInLaterPasses(text: string): void {
    let current = text;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      if (pass > 0) for (const detect of leftOut) expect(detect(current)).toEqual([]);
      const result = redactFindings(current, findPii(current));
      if (result.text === current) break;
      current = result.text;
    }
  }

  it("are the ones that judge a run of their own characters and its edges", () => {
    expect(leftOut.map((detect) => detect.name)).toEqual([
      "findPrivateKeys",
      "findApiKeys",
      "findCreditCards",
      "findIbans",
      "findSsns",
      "findIpv6Addresses",
    ]);
  });

  it("do not include the service tokens: one whose \".\" ran into an address is found beside its placeholder", () => {
    // The token's walk takes ".192.0.2.1" with it; beside "[IP_ADDRESS]" its last "." is a full stop.
    const text = "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.192.0.2.1 done";
    expect(redactPii(text)).toEqual({ text: "[API_KEY].[IP_ADDRESS] done", counts: { ip_address: 1, api_key: 1 } });
    expectSameAsFullRescans(text);
  });

  it("find nothing beside placeholders: glued values, the corpora as one document, the adversarial inputs", () => {
    expectNothingLeftOutFindsInLaterPasses(document(CORPUS_TEXTS));
    for (const make of Object.values(ADVERSARIAL_INPUTS)) expectNothingLeftOutFindsInLaterPasses(make(20_000));
    fc.assert(
      fc.property(fc.array(gluedText, { minLength: 1, maxLength: 4 }), (lines) => {
        expectNothingLeftOutFindsInLaterPasses(lines.join("\n"));
      }),
      { numRuns: 3000 },
    );
  });
});
