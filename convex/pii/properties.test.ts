// Property tests over generated texts mixing PII values, near misses and noise: redaction leaves
// none of the values it found, and the redacted text has nothing left to find. (Where a value is
// glued to other text, the same characters may be a finding in one place and not in another:
// "x192.0.2.1 192.0.2.1" has one address. So the first property uses delimited pieces.)
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findPii, redactPii } from "./index";

const VALUES = [
  "jane.doe@example.com",
  "renée@exämple.com",
  "(415) 555-0134",
  "+44 20 7946 0958",
  "020 7946 0958",
  "01 23 45 67 89",
  "4111 1111 1111 1111",
  "378282246310005",
  "123-45-6789",
  "GB82 WEST 1234 5698 7654 32",
  "DE89370400440532013000",
  "192.0.2.1",
  "2001:db8::1",
  "::ffff:192.0.2.128",
  "AKIAIOSFODNN7EXAMPLE",
  "sk-proj-Xq7vLp2ZkR9mNc4TbW8yHd3FsJ6gQa1Ue5Ko0Ii",
  "ghp_Xq7vLp2ZkR9mNc4TbW8yHd3FsJ6gQa1Ue5Ko",
  "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
  "-----BEGIN PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLI\n-----END PRIVATE KEY-----",
  "npm_Xq7vLp2ZkR9mNc4TbW8yHd3FsJ6gQa1Ue5Ko",
  "AIzaSyXq7vLp2ZkR9mNc4TbW8yHd3FsJ6gQa1Ue5K",
  "DB_PASSWORD=shadow337",
  "API_TOKEN: l0psr4SpT9jyZBy34SdMj3ZQ95T1rpVW4HmQHglF",
  "postgres://app:k6Gqxabq-AQoy5giw@db.internal/app",
  "mot de passe : Zomer2025!",
  "SSN: 694404502",
  "Móvil: 662 984 210",
  "tel:12063739158",
];

const NEAR_MISSES = [
  "2024-05-01",
  "12:30:45",
  "1.2.3.4.5",
  "v10.4.12.1",
  "$1,299.99",
  "ORD-2024-000123",
  "000-12-3456",
  "4111 1111 1111 1112",
  "550e8400-e29b-41d4-a716-446655440000",
  "std::vector",
  "sk-learn",
  "@user",
  "[EMAIL]",
  "[API_KEY]",
  "firmware 2.1.2.5",
  "git@github.com:org/repo.git",
  "token_type=bearer",
  "password: ********",
  "5392 0984 0222 5124",
];

// Between pieces: delimiters that end a value, so every value stands on its own...
const DELIMITERS = [" ", "\n", ", ", "; ", " (", ") ", "\"", " — ", " 🙂 ", " é "];
// ...or glued to its neighbours, where context decides what is a value and what is not.
const GLUE = ["", ".", "-", "@", ":", "/", "_", "0", "a", "A", "+", "#"];

const piece = fc.oneof(
  fc.constantFrom(...VALUES),
  fc.constantFrom(...NEAR_MISSES),
  fc.string({ maxLength: 12 }),
  fc.stringMatching(/^[0-9 .:+\-()@a-fA-F]{0,16}$/),
);

function joined(separators: string[]): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(piece, fc.constantFrom(...separators)), { maxLength: 12 })
    .map((pairs) => pairs.map(([text, separator]) => text + separator).join(""));
}

describe("redactPii properties", () => {
  it("leaves none of the values it found in delimited text", () => {
    // Detection depends on context (four parts after "firmware" are a version, not an address), so the
    // same digits may be found in one place and rightly kept in another: every found occurrence goes.
    const occurrences = (text: string, value: string) => text.split(value).length - 1;
    fc.assert(
      fc.property(joined(DELIMITERS), (input) => {
        const found = findPii(input).map((finding) => input.slice(finding.start, finding.end));
        const output = redactPii(input).text;
        for (const value of new Set(found)) {
          const foundTimes = found.filter((other) => other === value).length;
          expect(occurrences(output, value)).toBeLessThanOrEqual(occurrences(input, value) - foundTimes);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("leaves nothing for a second pass to find, however the pieces are glued", () => {
    fc.assert(
      fc.property(joined([...DELIMITERS, ...GLUE]), (input) => {
        expect(findPii(redactPii(input).text)).toEqual([]);
      }),
      { numRuns: 5000 },
    );
  });

  it("returns findings that are sorted, disjoint and inside the text", () => {
    fc.assert(
      fc.property(joined([...DELIMITERS, ...GLUE]), (input) => {
        const findings = findPii(input);
        findings.forEach((finding, index) => {
          expect(finding.start).toBeLessThan(finding.end);
          expect(finding.end).toBeLessThanOrEqual(input.length);
          expect(finding.start).toBeGreaterThanOrEqual(findings[index - 1]?.end ?? 0);
        });
      }),
      { numRuns: 1000 },
    );
  });
});
