// The later-pass rules (besidePlaceholders.ts) must be certain when they say no. For each detector
// of a later pass, scanning only the lines holding a placeholder its rule accepts must find what
// scanning every line that gained a placeholder finds. Checked detector by detector, so that no
// other detector's finding can cover a miss, on every pass of the full-rescan algorithm, over
// generated text built from the shapes each rule names; and on one example per shape, each of
// which a redaction misses without that part of the rule.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ANY_PLACEHOLDER } from "./besidePlaceholders";
import { DETECTORS_BESIDE_PLACEHOLDERS, findPii } from "./findPii";
import { MAX_PASSES, redactFindings, redactFurther, redactPii, type Redaction } from "./redact";
import { scanText } from "./textScans";

/** Every pass after the first of the full-rescan algorithm, as the redaction a later pass starts from. */
function laterPassStarts(text: string): Redaction[] {
  const starts: Redaction[] = [];
  let current = text;
  for (let pass = 1; pass < MAX_PASSES; pass++) {
    const scans = scanText(current);
    const redaction = redactFindings(current, findPii(current, scans), scans);
    if (redaction.written.length === 0) break;
    starts.push(redaction);
    current = redaction.text;
  }
  return starts;
}

function expectRulesCertain(text: string): void {
  for (const start of laterPassStarts(text)) {
    for (const detector of DETECTORS_BESIDE_PLACEHOLDERS) {
      const everywhere = redactFurther(start, [{ find: detector.find, helpedBy: ANY_PLACEHOLDER }], 1);
      expect(redactFurther(start, [detector], 1), `${detector.find.name} on ${JSON.stringify(start.text)}`).toEqual(everywhere);
    }
  }
}

// Values, the context words and flags the detectors read around them, and their separators.
const PIECES = [
  "jane.doe@example.com",
  "jane.doe.with.a.long.address@example-company.com",
  "ghp_Xq7vLp2ZkR9mNc4TbW8yHd3FsJ6gQa1Ue5Ko",
  "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",
  "whsec_Xq7vLp2ZkR9mNc4TbW8yHd3FsJ6g",
  "glpat-Xq7vLp2ZkR9mNc4TbW8y",
  "AKIAIOSFODNN7EXAMPLE",
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
  "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
  "sk-proj-Xq7vLp2ZkR9mNc4TbW8yHd3FsJ6gQa1Ue5Ko0Ii",
  "4111111111111111",
  "4111 1111 1111 1111",
  "GB82WEST12345698765432",
  "123-45-6789",
  "694404502",
  "+44 20 7946 0958",
  "+1 555 0100",
  "020 7946 0958",
  "(415) 555-0134",
  "415-555-0134",
  "0612345678",
  "662 984 210",
  "192.0.2.1",
  "10.0.0.1",
  "2001:db8::1",
  "1234",
  "12",
  "SSN ",
  "Social Security Number: ",
  "Móvil: ",
  "call me at ",
  "tel:",
  "firmware ",
  "build ",
  "password",
  "my password for ",
  "contraseña",
  "mot de passe",
  "senha",
  "Kennwort",
  "wachtwoord",
  "パスワード",
  " is ",
  " es ",
  ": ",
  "=",
  "=>",
  "Sommer2024!",
  "abc123",
  "X1y2Z3w4",
  "pass",
  "DB_PASSWORD",
  "api_token",
  "Authorization: Bearer ",
  " -u root -p",
  "-u ",
  " -p ",
  "postgres://app:",
  "redis://:",
  "://",
  "@db.internal",
  "[EMAIL]",
];
const GLUE = ["", "", "", " ", " ", ".", "-", "@", ":", "/", "_", "+", "#", "=", "0", "a", "\n", "\"", ",", "(", ")", "  "];

const generated = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...PIECES), fc.stringMatching(/^[0-9 .:+\-()@a-zA-Z]{0,8}$/)), fc.constantFrom(...GLUE)), {
    maxLength: 14,
  })
  .map((pairs) => pairs.map(([piece, glue]) => piece + glue).join(""));

describe("the later-pass rules", () => {
  it("miss nothing, detector by detector, on generated text of the shapes they name", () => {
    fc.assert(fc.property(generated, expectRulesCertain), { numRuns: 4000 });
  });

  const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
  // One example per part of a rule: what a placeholder uncovers, which a redaction would leave.
  const UNCOVERED: Array<[string, string, RegExp]> = [
    ["a phrase's link beyond the gap until an address shrinks", "my password for jane.doe.with.a.long.address@example-company.com is Sommer2024!", /is \[API_KEY\]/],
    ["a password word right after a value", "+44 20 7946 0958パスワード：Sommer2024!", /^\[PHONE\]パスワード：\[API_KEY\]$/],
    ["a name cut short by a placeholder", "192.0.2.1.pass=hunter22", /\]\.pass=\[API_KEY\]/],
    ["a value cut short by a placeholder", "DB_PASSWORD=Sommer2024!jane.doe@example.com", /=\[API_KEY\]\[EMAIL\]/],
    ["a command line's user shortened", "mysql -u jane.doe.with.a.long.address@example-company.com.and.more.words.to.pass.the.limit -p Sommer2024!", /-p \[API_KEY\]/],
    ["a URL's password after a long user", `https://${JWT}:Sommer2024@localhost/x`, /^https:\/\/\[API_KEY\]:\[API_KEY\]@localhost/],
    ["a URL's password after a user that holds no value", `https://a,${JWT}:Sommer2024@localhost/x`, /^https:\/\/a,\[API_KEY\]:\[API_KEY\]@localhost/],
    ["a local part after a redacted token", "ghp_Xq7vLp2ZkR9mNc4TbW8yHd3FsJ6gQa1Ue5Koajane.doe@example.com", /\[API_KEY\]\.\[EMAIL\]|\[API_KEY\]/],
    ["a token whose last dot is a full stop", "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.192.0.2.1 done", /^\[API_KEY\]\.\[IP_ADDRESS\] done$/],
    // The key ids are glued to a letter, so only the pair's own pattern reads them.
    ["an AWS secret run into a card", "xAKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEK/4111111111111111", /:\[API_KEY\]\[CREDIT_CARD\]$/],
    [
      "an AWS pair inside a secret that ran over a card",
      "xAKIAIOSFODNN7EXAMPLE:A/4111111111111111/BAKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKE",
      /BAKIAIOSFODNN7EXAMPLE:\[API_KEY\]$/,
    ],
    ["a phone number after four digits that were a card's", "4111 1111 1111 1111 0207 946 0958", /^\[CREDIT_CARD\] \[PHONE\]$/],
    ["a phone word behind a redacted number", "Móvil: +44 20 7946 0958 / 662984210", /\/ \[PHONE\]/],
    ["an SSN label behind a redacted number", "SSN 123-45-6789, 694404502", /, \[SSN\]/],
    ["a version word inside an address", "build@example.com 10.1.2.3", /\[EMAIL\] \[IP_ADDRESS\]/],
    ["a version word inside an address further back", "release.notes@example.com, see 10.1.2.3", /\[EMAIL\], see \[IP_ADDRESS\]/],
  ];
  for (const [shape, text, expected] of UNCOVERED) {
    it(`find ${shape}`, () => {
      expect(redactPii(text).text).toMatch(expected);
      expectRulesCertain(text);
    });
  }
});
