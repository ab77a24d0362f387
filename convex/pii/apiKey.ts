// Provider credentials recognisable by their prefix: OpenAI "sk-" / "sk-proj-", Anthropic
// "sk-ant-", Stripe "sk_live_" / "rk_live_" (and their test twins), AWS access key ids
// "AKIA" / "ASIA", GitHub "ghp_" / "gho_" / "ghu_" / "ghs_" / "ghr_" / "github_pat_", Slack
// "xox[abprs]-", and JWTs (base64url header and payload starting "eyJ"). Each prefix is found by
// searching for its rarest characters; the token after it is walked once in code and then judged,
// so the scan never backtracks.
import { isGluedAfter, isGluedBefore } from "./boundaries";
import type { PiiFinding } from "./categories";
import { isAlphanumeric, isDigit, isLetter, isUpperLetter } from "./characters";

/**
 * Each prefix is found from one character in it that `indexOf` finds quickly because prose rarely
 * holds it ("-", "_", "J", or "IA"), at `offset` in the prefix; the prefixes are looked up by the
 * character before the hit, so the other hits of a common anchor ("-" in "2024-05-01") cost one
 * map lookup each, not a string comparison per prefix.
 */
interface Prefix {
  prefix: string;
  offset: number;
}
const ANCHORED_PREFIXES: ReadonlyArray<{ anchor: string; byCharacterBefore: Map<number, Prefix[]> }> = [
  anchored("-", ["sk-", "xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-"]),
  anchored("_", ["sk_live_", "sk_test_", "rk_live_", "rk_test_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]),
  anchored("IA", ["AKIA", "ASIA"]),
  anchored("J", ["eyJ"]),
];

/** The prefixes found from `anchor`, by the character before the anchor in each (none starts with its anchor). */
function anchored(anchor: string, prefixes: string[]): { anchor: string; byCharacterBefore: Map<number, Prefix[]> } {
  const byCharacterBefore = new Map<number, Prefix[]>();
  for (const prefix of prefixes) {
    const offset = prefix.indexOf(anchor);
    const before = prefix.charCodeAt(offset - 1);
    byCharacterBefore.set(before, [...(byCharacterBefore.get(before) ?? []), { prefix, offset }]);
  }
  return { anchor, byCharacterBefore };
}

const MIN_OPENAI_BODY = 20;
// Real "sk-" keys are random text; a slug like "sk-this-is-a-test-key" has no long segment.
const MIN_OPENAI_SEGMENT = 16;
const MIN_STRIPE_BODY = 16;
const AWS_KEY_LENGTH = 20;
const MIN_GITHUB_BODY = 30;
const MIN_GITHUB_PAT_BODY = 22;
const MIN_SLACK_BODY = 10;
const MIN_JWT_SEGMENT = 10;

/** `[A-Za-z0-9_-]`: the base64url alphabet every one of these tokens is written in. */
function isTokenCharacter(code: number): boolean {
  return isAlphanumeric(code) || code === 95 || code === 45;
}

export function findApiKeys(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  for (const { anchor, byCharacterBefore } of ANCHORED_PREFIXES) {
    let hit = text.indexOf(anchor);
    while (hit !== -1) {
      let resumeAt = hit + 1;
      for (const { prefix, offset } of byCharacterBefore.get(text.charCodeAt(hit - 1)) ?? []) {
        const start = hit - offset;
        if (start < 0 || !text.startsWith(prefix, start)) continue;
        const end = tokenEnd(text, start, prefix);
        // Whether or not the token was a key, its characters are not searched again.
        resumeAt = Math.max(resumeAt, end);
        const keyEnd = judge(text, start, end, prefix);
        if (keyEnd !== -1) findings.push({ category: "api_key", start, end: keyEnd });
        break;
      }
      hit = text.indexOf(anchor, resumeAt);
    }
  }
  return findings;
}

/** Where the token that starts with `prefix` at `start` ends; `start` itself when it is inside a word. */
function tokenEnd(text: string, start: number, prefix: string): number {
  // A prefix inside a longer word ("task-", "bergh_", "HAKIA", "x.eyJ") is not a token start.
  const before = text.charCodeAt(start - 1);
  if (isTokenCharacter(before) || before === 46 || isGluedBefore(text, start)) return start;
  const isJwt = prefix === "eyJ";
  let end = start + prefix.length;
  while (isTokenCharacter(text.charCodeAt(end)) || (isJwt && text.charCodeAt(end) === 46)) end++;
  return end;
}

function judge(text: string, start: number, end: number, prefix: string): number {
  if (end === start || isGluedAfter(text, end)) return -1;
  if (prefix === "eyJ") return jwtEnd(text, start, end);
  return isKey(prefix, text.slice(start, end)) ? end : -1;
}

function isKey(prefix: string, token: string): boolean {
  const body = token.slice(prefix.length);
  switch (prefix) {
    case "sk-":
      return isOpenAiBody(body);
    case "AKIA":
    case "ASIA":
      return token.length === AWS_KEY_LENGTH && everyCode(body, (code) => isUpperLetter(code) || isDigit(code));
    case "github_pat_":
      return body.length >= MIN_GITHUB_PAT_BODY && everyCode(body, (code) => isAlphanumeric(code) || code === 95);
    default:
      if (prefix.startsWith("gh")) return body.length >= MIN_GITHUB_BODY && everyCode(body, isAlphanumeric);
      if (prefix.startsWith("xox")) return body.length >= MIN_SLACK_BODY && /\d/.test(body);
      return body.length >= MIN_STRIPE_BODY && everyCode(body, isAlphanumeric);
  }
}

/** Covers "sk-ant-...", "sk-proj-..." and legacy "sk-..." alike: long, mixed, random-looking. */
function isOpenAiBody(body: string): boolean {
  if (body.length < MIN_OPENAI_BODY || !/\d/.test(body) || !everyCode(body, isTokenCharacter)) return false;
  let hasLetter = false;
  for (let index = 0; index < body.length && !hasLetter; index++) hasLetter = isLetter(body.charCodeAt(index));
  return hasLetter && body.split(/[-_]/).some((segment) => segment.length >= MIN_OPENAI_SEGMENT);
}

/**
 * A JWT is header.payload[.signature]; both JSON segments start "eyJ" (base64url of `{"`). A
 * trailing dot is kept only when the signature is empty (an unsigned token), since otherwise it
 * ends the sentence.
 */
function jwtEnd(text: string, start: number, runEnd: number): number {
  const segments = text.slice(start, runEnd).split(".");
  const [header = "", payload = "", signature] = segments;
  if (header.length < MIN_JWT_SEGMENT || payload.length < MIN_JWT_SEGMENT || !payload.startsWith("eyJ")) return -1;
  const length = header.length + 1 + payload.length + (signature === undefined ? 0 : 1 + signature.length);
  return start + length;
}

function everyCode(value: string, test: (code: number) => boolean): boolean {
  for (let index = 0; index < value.length; index++) {
    if (!test(value.charCodeAt(index))) return false;
  }
  return true;
}
