// Redaction of text that is JSON or holds JSON escapes: results stay valid JSON, every escape is seen
// through (\n \t \r \" \\ \/ \uXXXX, surrogate pairs), and text that is not JSON is still redacted.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { redactText } from "./redactText";

const EMAIL = "john.doe@example.com";
const CARD = "4111 1111 1111 1111";
const SSN = "123-45-6789";
const PHONE = "+1 415 555 0134";
const VALUES = [EMAIL, CARD, SSN, PHONE, "192.0.2.1", "GB82 WEST 1234 5698 7654 32", "sk-proj-Xq7vLp2ZkR9mNc4TbW8yHd3FsJ6gQa1Ue5Ko0Ii"];

/** Every way JSON may write a character: as is, as \uXXXX (upper or lower hex), or its short escape. */
function escapeEvery(text: string, pick: (index: number) => number): string {
  let out = "";
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    const code = text.charCodeAt(index);
    const short: Record<string, string> = { "\n": "\\n", "\t": "\\t", "\r": "\\r", '"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f" };
    const unicode = `\\u${code.toString(16).padStart(4, "0")}`;
    const forms = [short[character] ?? (code < 32 ? unicode : character), unicode, unicode.toUpperCase().replace("\\U", "\\u")];
    if (short[character]) forms.push(short[character]);
    out += forms[pick(index) % forms.length];
  }
  return `"${out}"`;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe("redactText", () => {
  test.each([
    ["a newline before an address", '{"note":"contact:\\njohn.doe@example.com"}', '{"note":"contact:\\n[EMAIL]"}'],
    ["\\u0040 inside an address", '{"note":"john.doe\\u0040example.com"}', '{"note":"[EMAIL]"}'],
    ["\\n before a card", '{"card":"number:\\n4111 1111 1111 1111"}', '{"card":"number:\\n[CREDIT_CARD]"}'],
    ["\\t before an SSN", '{"ssn":"\\t123-45-6789"}', '{"ssn":"\\t[SSN]"}'],
    ["\\r\\n and \\/ around a phone", '{"p":"a\\r\\n+1 415 555 0134\\/b"}', '{"p":"a\\r\\n[PHONE]/b"}'],
    ["an escaped quote before an address", '{"q":"\\"john.doe@example.com\\""}', '{"q":"\\"[EMAIL]\\""}'],
    ["a surrogate pair next to an address", '{"e":"\\ud83d\\ude00 john.doe@example.com \\u00e9"}', '{"e":"😀 [EMAIL] é"}'],
    ["a card written as a number", '{"card": 4111111111111111, "n": 3}', '{"card": "[CREDIT_CARD]", "n": 3}'],
    ["an address in a key", '{"john.doe@example.com": true}', '{"[EMAIL]": true}'],
    ["JSON inside a JSON string", JSON.stringify({ inner: JSON.stringify({ mail: "a\njohn.doe@example.com" }) }), JSON.stringify({ inner: JSON.stringify({ mail: "a\n[EMAIL]" }) })],
  ])("JSON: %s is redacted and stays valid JSON", (_case, input, expected) => {
    const result = redactText(input);
    expect(result.text).toBe(expected);
    expect(parses(result.text)).toBe(true);
  });

  test("strings without PII keep their spelling; only the strings that held a value are re-encoded", () => {
    const input = '{"a":"caf\\u00e9 \\/ ok","b":["x\\ty", "mail john.doe@example.com"]}';
    expect(redactText(input).text).toBe('{"a":"caf\\u00e9 \\/ ok","b":["x\\ty", "mail [EMAIL]"]}');
  });

  test("text that is not JSON is redacted as text, escapes seen through, placeholders never inside an escape", () => {
    expect(redactText("contact:\\njohn.doe@example.com").text).toBe("contact:\\n[EMAIL]");
    expect(redactText("john.doe\\u0040example.com and \\t123-45-6789").text).toBe("[EMAIL] and \\t[SSN]");
    // Truncated JSON (a reply cut off by max_tokens): redacted, never more broken than it was.
    expect(redactText('{"note":"card\\n4111 1111 1111 1111 and \\u006aohn.doe@example.com').text).toBe('{"note":"card\\n[CREDIT_CARD] and [EMAIL]');
    // A backslash that is a boundary only as written is still seen.
    expect(redactText("C:\\files\\4111 1111 1111 1111").text).toBe("C:\\files\\[CREDIT_CARD]");
  });

  test("each string is judged on its own: pieces of a value in neighbouring strings do not join", () => {
    for (const pieces of [["+1 415", "555 0134"], ["4111 1111", "1111 1111"], ["jane.doe", "@example.com"], ["123-45", "-6789"]]) {
      const document = JSON.stringify({ parts: pieces });
      expect(redactText(document).text).toBe(document);
    }
  });

  test("a long document of many small values is scanned in one pass and every value is found", () => {
    const items = Array.from({ length: 5_000 }, (_, index) => ({ id: index, ok: "no", note: index % 500 === 0 ? `to u${index}@example.com` : "nothing here" }));
    const result = redactText(JSON.stringify(items));
    expect(result.counts).toEqual({ email: 10 });
    expect((JSON.parse(result.text) as typeof items).filter((item) => item.note === "to [EMAIL]")).toHaveLength(10);
  });

  test("counts each value once", () => {
    expect(redactText('{"a":"\\n4111 1111 1111 1111","b":"x@example.com","c":4111111111111111}').counts).toEqual({ credit_card: 2, email: 1 });
  });

  test("property: any escaping of any JSON document with values in it redacts to valid JSON holding none of them", () => {
    // Characters that end a value (so the detectors take it on its own), each of which JSON may escape.
    const before = fc.constantFrom("", " ", "\n", "\t", "\r\n", '"', "\\ ", "/ ", "😀", "\u0000", "\u2028", "contact:");
    const after = fc.constantFrom("", " ", "\n", "\t", "\r\n", '"', " \\", "/", " é", "😀", "\u0000", "\u2028", ".");
    const text = fc.tuple(before, fc.constantFrom(...VALUES), after).map(([start, value, end]) => start + value + end);
    const document = fc.dictionary(fc.constantFrom("note", "to", "data", "x"), fc.oneof(text, fc.array(text, { maxLength: 3 }), fc.integer()), { minKeys: 1 });
    fc.assert(
      fc.property(document, fc.array(fc.nat(), { minLength: 1, maxLength: 16 }), (value, picks) => {
        const written = JSON.stringify(value).replace(/"(?:[^"\\]|\\.)*"/g, (literal) =>
          escapeEvery(JSON.parse(literal) as string, (index) => picks[index % picks.length]!),
        );
        expect(JSON.parse(written)).toEqual(value);
        const result = redactText(written);
        expect(parses(result.text)).toBe(true);
        const decoded = JSON.stringify(JSON.parse(result.text));
        for (const secret of VALUES) expect(decoded).not.toContain(JSON.stringify(secret).slice(1, -1));
        expect(decoded).not.toContain("john.doe");
      }),
      { numRuns: 300 },
    );
  });

  test("property: arguments that are not valid JSON are still redacted, and stay as valid (or not) as they were", () => {
    fc.assert(
      fc.property(fc.constantFrom(...VALUES), fc.constantFrom("\\n", "\\t", "\\r", "\\/ ", " ", "\\\\"), fc.nat({ max: 20 }), (value, escape, cut) => {
        const whole = JSON.stringify({ note: `x${escape === "\\\\" ? " " : ""}${JSON.parse(`"${escape}"`) as string}${value}` });
        const truncated = whole.slice(0, whole.length - (cut % 3));
        const result = redactText(truncated);
        expect(result.text).not.toContain(value);
        expect(parses(result.text)).toBe(parses(truncated));
      }),
      { numRuns: 200 },
    );
  });
});
