// The password words' anchors are found once per text and carried through a redaction
// (passwordWords.ts): the carried anchors must be those a search of the redacted text finds, and
// the binary search the later-pass rule uses must answer as a walk over them would.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PiiCategory } from "./categories";
import { findPasswordAnchors, hasPasswordAnchorIn, passwordAnchorsAfterRedaction, passwordWordAround } from "./passwordWords";
import { redactFindings } from "./redact";
import { findingsFromCuts } from "./testing";

// Words in several cases, the pieces anchors are made of, and what a value may be glued to them with.
const PIECES = ["password", "PASSWORD", "PassWord", "passwort", "Kennwort", "WACHTWOORD", "contraseña", "CONTRASEÑA", "mot de passe", "passe", "PASSE", "senha", "SENHA", "palavra-passe", "パスワード", "word", "sse", "nha", "ñ", "ワード", "w", "s", "e", "n", "h", "a"];
const wordText = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.stringMatching(/^[a-zA-Z0-9 :=_\-\n]{0,6}$/)), { maxLength: 16 })
  .map((parts) => parts.join(""));

describe("findPasswordAnchors", () => {
  it("finds an anchor in every password word, in any case its anchor allows, and reads the word around it", () => {
    const text = "Password: a, Kennwort: b, la contraseña es c, mot de passe : d, senha: e, パスワード：f";
    const { hits } = findPasswordAnchors(text);
    const words = [];
    for (let pair = 0; pair < hits.length; pair += 2) {
      const word = passwordWordAround(text, hits[pair]!, text.slice(hits[pair]!, hits[pair]! + hits[pair + 1]!));
      if (word !== undefined) words.push(text.slice(word.start, word.end));
    }
    expect(words).toEqual(["Password", "Kennwort", "contraseña", "mot de passe", "senha", "パスワード"]);
  });
});

describe("passwordAnchorsAfterRedaction", () => {
  it("gives the anchors a search of the redacted text finds, whatever was redacted", () => {
    const categories: PiiCategory[] = ["email", "phone", "api_key"];
    fc.assert(
      fc.property(wordText, fc.array(fc.nat(), { maxLength: 12 }), (text, cuts) => {
        const findings = findingsFromCuts(text, cuts, categories);
        const redaction = redactFindings(text, findings);
        const carried = passwordAnchorsAfterRedaction(findPasswordAnchors(text), findings, redaction.written, redaction.text);
        expect(carried).toEqual(findPasswordAnchors(redaction.text));
      }),
      { numRuns: 3_000 },
    );
  });

  it("adds an anchor whose boundary a placeholder makes (\"passe\" glued to a value, then redacted)", () => {
    const text = "mot de passejane@example.com";
    expect(findPasswordAnchors(text).hits).toEqual([]);
    const redaction = redactFindings(text, [{ category: "email", start: 12, end: text.length }]);
    expect(passwordAnchorsAfterRedaction(findPasswordAnchors(text), [{ start: 12, end: text.length }], redaction.written, redaction.text).hits).toEqual([9, 3]);
  });
});

describe("hasPasswordAnchorIn", () => {
  it("answers as a walk over the anchors does", () => {
    fc.assert(
      fc.property(wordText, fc.nat(), fc.nat(), (text, left, right) => {
        const anchors = findPasswordAnchors(text);
        const from = Math.min(left, right) % (text.length + 2);
        const to = Math.max(left, right) % (text.length + 2);
        let walked = false;
        for (let pair = 0; pair < anchors.hits.length; pair += 2) walked ||= anchors.hits[pair]! >= from && anchors.hits[pair]! < to;
        expect(hasPasswordAnchorIn(anchors, from, to)).toBe(walked);
      }),
      { numRuns: 2_000 },
    );
  });
});
