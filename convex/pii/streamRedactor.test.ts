// The stream redactor: values split across pieces of any size are redacted as in one piece, private
// key blocks in every PEM layout are held whole until their footer, and text is still released as it goes.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { StreamRedactor } from "./streamRedactor";
import { redactWrittenText } from "./redactText";

/** What the stream must come to: the whole text redacted as written and behind its escapes. */
const redactWhole = (text: string) => redactWrittenText(text).text;

function streamThrough(text: string, pieceLengths: number | number[]): string {
  const redactor = new StreamRedactor();
  const lengths = typeof pieceLengths === "number" ? [pieceLengths] : pieceLengths;
  let out = "";
  for (let index = 0, turn = 0; index < text.length; turn++) {
    const length = Math.max(1, lengths[turn % lengths.length]!);
    out += redactor.push(text.slice(index, index + length));
    index += length;
  }
  return out + redactor.flush();
}

const KEY_LINES = [
  "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
  "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
  "LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo",
  "9z+tRgL8d2r0hwEQy2Io3VXtjs0t4gPdyVWcR0yDDnB6qEVHRhXgA2D7EKlF8hxk",
];
const ENCRYPTED_HEADERS = "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F2D1A0B9C8E7F6A5B4C3D2E1F0A9B8C\n\n";
const BLOCK = `-----BEGIN RSA PRIVATE KEY-----\n${ENCRYPTED_HEADERS}${KEY_LINES.join("\n")}\n-----END RSA PRIVATE KEY-----`;
const indent = (text: string, prefix: string) => text.split("\n").map((line) => prefix + line).join("\n");

/** The layouts a model writes a key in; every one leaked its body lines before the hold. */
const LAYOUTS: Record<string, string> = {
  "plain": `Here is the key:\n${BLOCK}\nKeep it safe, and rotate it soon after use please.`,
  "indented inside YAML": `tls:\n  enabled: true\n  key: |\n${indent(BLOCK, "    ")}\n  cert: ./cert.pem\nThat is the whole config file for you.`,
  "quoted in Markdown": `${indent(BLOCK, "> ")}\n\nThat was the quoted key, as you asked for it earlier.`,
  "escaped inside JSON": `{"private_key": ${JSON.stringify(BLOCK)}, "type": "service_account", "note": "done"}`,
  "with CRLF line breaks": `key:\r\n${BLOCK.replaceAll("\n", "\r\n")}\r\nthanks, that is all of it for today`,
  "as string literals in code": `const key =\n${BLOCK.split("\n").map((line) => `  "${line}\\n" +`).join("\n")}\n  "";\nexport default key; // loaded at start-up by the server`,
  "after a long preamble": `${"Some words before the key. ".repeat(40)}\n${BLOCK}\n${"And some words after it. ".repeat(20)}`,
};

describe("StreamRedactor", () => {
  const reply =
    "Sure. You can reach Dana at dana.lee@example.com or +1 415 555 0134. " +
    "Her card 4111 1111 1111 1111 was charged, from IP 203.0.113.42, IBAN GB82 WEST 1234 5698 7654 32. ".repeat(3) +
    `The token was ${"eyJhbGciOiJIUzI1NiJ9"}.${"eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkRhbmEifQ".repeat(6)}.${"c2lnbmF0dXJlc2lnbmF0dXJl".repeat(4)} and ` +
    `the key sk-proj-${"Ab3dE6gH9jK2mN5pQ8rS1tV4wX7yZ0".repeat(5)} too. ` +
    "Anything else?";

  for (const pieceLength of [1, 3, 7, 40, 500]) {
    test(`values split across ${pieceLength}-character pieces are redacted exactly as in one piece`, () => {
      expect(streamThrough(reply, pieceLength)).toBe(redactWhole(reply));
      expect(streamThrough(reply, pieceLength)).not.toContain("dana.lee@example.com");
    });
  }

  for (const [layout, text] of Object.entries(LAYOUTS)) {
    test(`a private key ${layout} never leaks a line, in pieces of any size, and streams as it redacts whole`, () => {
      for (const pieces of [1, 2, 5, 17, 64, 300, [1, 9, 3, 40]]) {
        const streamed = streamThrough(text, pieces);
        for (const secret of [...KEY_LINES, "ENCRYPTED", "DEK-Info", "AES-128-CBC"]) expect(streamed).not.toContain(secret);
        expect(streamed).toBe(redactWhole(text));
      }
    });
  }

  test("values behind JSON escapes in the model's text are seen, and the escapes are kept whole", () => {
    const text = `Here you go: {"card":"\\n4111 1111 1111 1111","to":"jane.doe\\u0040example.com","ssn":"\\t123-45-6789"} and that is all for now.`;
    for (const pieces of [1, 3, 11, 200]) {
      const streamed = streamThrough(text, pieces);
      expect(streamed).toBe('Here you go: {"card":"\\n[CREDIT_CARD]","to":"[EMAIL]","ssn":"\\t[SSN]"} and that is all for now.');
    }
  });

  test("a key block cut off before its footer is still held, then redacted with its key lines at the end", () => {
    const truncated = `Key:\n  -----BEGIN RSA PRIVATE KEY-----\n  ${ENCRYPTED_HEADERS.replaceAll("\n", "\n  ")}${indent(KEY_LINES.join("\n"), "  ")}`;
    const redactor = new StreamRedactor();
    let released = "";
    for (const character of truncated) released += redactor.push(character);
    expect(released).not.toContain("BEGIN");
    released += redactor.flush();
    for (const secret of [...KEY_LINES, "ENCRYPTED"]) expect(released).not.toContain(secret);
    expect(released).toBe("Key:\n  [API_KEY]");
  });

  test("text after a key block is released once the footer and the hold-back after it have arrived", () => {
    const redactor = new StreamRedactor();
    const text = `${BLOCK}\n${"after the key ".repeat(40)}`;
    let released = "";
    for (const character of text) released += redactor.push(character);
    expect(released.startsWith("[API_KEY]\nafter the key")).toBe(true);
    expect(released.length).toBeGreaterThan("[API_KEY]\n".length + 14 * 40 - 400);
  });

  test("releases text as it goes instead of holding the whole reply", () => {
    const redactor = new StreamRedactor();
    const words = Array.from({ length: 400 }, (_, index) => `word${index} `);
    let releasedBeforeEnd = "";
    for (const word of words) releasedBeforeEnd += redactor.push(word);
    // At most the hold-back and one scan step are held.
    expect(releasedBeforeEnd.length).toBeGreaterThan(words.join("").length - 400);
    expect(releasedBeforeEnd + redactor.flush()).toBe(words.join(""));
  });

  test("property: whatever the piece sizes, no value and no key line is released, and the result is the whole-text redaction", () => {
    const values = ["jane.doe@example.com", "+44 20 7946 0958", "4111 1111 1111 1111", "123-45-6789", "GB82 WEST 1234 5698 7654 32", "192.0.2.1"];
    const fragment = fc.oneof(
      fc.constantFrom(...values),
      fc.constantFrom(...Object.values(LAYOUTS)),
      fc.constantFrom("hello there", "a sentence, with commas.", "\n", "  ", "{\"a\": 1}", "- item\n", "see above"),
      fc.constantFrom('{"a":"\\n4111 1111 1111 1111"}', "mail jane.doe\\u0040example.com", '"\\t123-45-6789\\r"'),
    );
    fc.assert(
      fc.property(fc.array(fragment, { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 90 }), { minLength: 1, maxLength: 8 }), (fragments, pieces) => {
        const text = fragments.join(" ");
        const streamed = streamThrough(text, pieces);
        for (const secret of [...values, ...KEY_LINES, "u0040example", "4111 1111"]) expect(streamed).not.toContain(secret);
        expect(streamed).toBe(redactWhole(text));
      }),
      { numRuns: 150 },
    );
  });
});
