// Blocked-term matching: the same normalisation on term and text (compatibility forms, case,
// diacritics, invisible characters, look-alike letters, JSON escapes), whole words only, the policy's
// spelling reported, and linear cost on long text.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { TranscriptMessage } from "../openai/transcript";
import { findBlockedTerm } from "./blockedTerms";
import { foldText } from "./foldText";

const user = (content: string): TranscriptMessage[] => [{ role: "user", content }];
const TERMS = ["Forbidden", "Project Falcon", "ban"];

describe("blocked terms", () => {
  test.each([
    ["fullwidth letters", "ｆｏｒｂｉｄｄｅｎ"],
    ["mathematical letters", "𝐟𝐨𝐫𝐛𝐢𝐝𝐝𝐞𝐧"],
    ["circled letters", "ⓕⓞⓡⓑⓘⓓⓓⓔⓝ"],
    ["a zero-width space inside", "for\u200Bbidden"],
    ["a zero-width joiner, a soft hyphen and a word joiner", "f\u200Dor\u00ADbid\u2060den"],
    ["a bidi control and a variation selector", "\u202Eforbid\uFE0Fden"],
    ["diacritics", "fôrbíddèn"],
    ["combining marks", "f\u0336o\u0336rbidden"],
    ["Cyrillic look-alikes", "fоrbіddеn"],
    ["Greek look-alikes", "fοrbιdden"],
    ["small capitals", "ꜰᴏʀʙɪᴅᴅᴇɴ".replace("ꜰ", "f")],
    ["dotted capital I", "FORBİDDEN"],
    ["a JSON escape", "\\u0066orbidden"],
    ["a JSON escape inside a JSON document", '{"q":"say \\u0046ORBIDDEN"}'],
    ["an escape twice over", '{"q":"{\\"r\\":\\"\\\\u0066orbidden\\"}"}'],
    ["an escaped newline before it", "x\\nforbidden"],
    ["a phrase split by a non-breaking space", "project\u00A0falcon"],
    ["a phrase split by a hyphen and a line break", "PROJECT-\nFalcon"],
  ])("%s: caught", (_case, text) => {
    expect(findBlockedTerm(TERMS, user(text))).not.toBeNull();
  });

  test.each([["banana"], ["urbanité"], ["bandit"], ["ban_list"], ["unforbidden"], ["forbiddenness"], ["projectfalcon"], ["ban\u200Bana"]])(
    "%j: not a whole-word match",
    (text) => {
      expect(findBlockedTerm(TERMS, user(text))).toBeNull();
    },
  );

  test("reports the term as the policy spells it, never the text that matched", () => {
    expect(findBlockedTerm(TERMS, user("ＰＲＯＪＥＣＴ  ｆａｌｃｏｎ"))).toBe("Project Falcon");
    expect(findBlockedTerm(["Naïve"], user("NAIVE"))).toBe("Naïve");
  });

  test("looks in names, refusals, content parts and tool calls too", () => {
    const call = { id: "c", name: "lookup", arguments: '{"q":"\\u0066orbidden"}' };
    expect(findBlockedTerm(TERMS, [{ role: "assistant", content: null, toolCalls: [call] }])).toBe("Forbidden");
    expect(findBlockedTerm(TERMS, [{ role: "user", content: "hi", name: "forbidden" }])).toBe("Forbidden");
    expect(findBlockedTerm(TERMS, [{ role: "assistant", content: null, refusal: "BAN" }])).toBe("ban");
  });

  test("a term that folds to nothing matches nothing", () => {
    expect(findBlockedTerm(["\u200B"], user("anything at all"))).toBeNull();
  });

  test("property: term and text are folded alike, so any disguise of a term in any case is caught as a whole word", () => {
    const disguise = fc.constantFrom<(letter: string) => string>(
      (letter) => letter.toUpperCase(),
      (letter) => String.fromCharCode(letter.charCodeAt(0) + 0xfee0),
      (letter) => `${letter}\u200B`,
      (letter) => `${letter}\u0301`,
      (letter) => `\\u00${letter.charCodeAt(0).toString(16)}`,
      (letter) => letter,
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{3,10}$/), fc.array(disguise, { minLength: 1, maxLength: 10 }), fc.constantFrom(" ", "\n", ". ", "("), (term, disguises, edge) => {
        const disguised = [...term].map((letter, index) => disguises[index % disguises.length]!(letter)).join("");
        expect(findBlockedTerm([term], user(`text${edge}${disguised}${edge}more`))).toBe(term);
        expect(findBlockedTerm([term], user(`text${disguised}more`))).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  test("folding keeps plain lowercase ASCII as it is", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9 .,]*$/), (text) => {
        expect(foldText(text)).toBe(text);
      }),
    );
  });
});
