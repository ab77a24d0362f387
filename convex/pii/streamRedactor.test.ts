import { describe, expect, test } from "vitest";
import { StreamRedactor } from "./streamRedactor";
import { redactPii } from "./redact";

function streamThrough(text: string, pieceLength: number): string {
  const redactor = new StreamRedactor();
  let out = "";
  for (let index = 0; index < text.length; index += pieceLength) out += redactor.push(text.slice(index, index + pieceLength));
  return out + redactor.flush();
}

describe("StreamRedactor", () => {
  const reply =
    "Sure. You can reach Dana at dana.lee@example.com or +1 415 555 0134. " +
    "Her card 4111 1111 1111 1111 was charged, from IP 203.0.113.42, IBAN GB82 WEST 1234 5698 7654 32. ".repeat(3) +
    `The token was ${"eyJhbGciOiJIUzI1NiJ9"}.${"eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkRhbmEifQ".repeat(6)}.${"c2lnbmF0dXJlc2lnbmF0dXJl".repeat(4)} and ` +
    `the key sk-proj-${"Ab3dE6gH9jK2mN5pQ8rS1tV4wX7yZ0".repeat(5)} too. ` +
    "Anything else?";

  for (const pieceLength of [1, 3, 7, 40, 500]) {
    test(`values split across ${pieceLength}-character pieces are redacted exactly as in one piece`, () => {
      expect(streamThrough(reply, pieceLength)).toBe(redactPii(reply).text);
      expect(streamThrough(reply, pieceLength)).not.toContain("dana.lee@example.com");
    });
  }

  test("releases text as it goes instead of holding the whole reply", () => {
    const redactor = new StreamRedactor();
    const words = Array.from({ length: 400 }, (_, index) => `word${index} `);
    let releasedBeforeEnd = "";
    for (const word of words) releasedBeforeEnd += redactor.push(word);
    expect(releasedBeforeEnd.length).toBeGreaterThan(words.join("").length - 200);
    expect(releasedBeforeEnd + redactor.flush()).toBe(words.join(""));
  });
});
