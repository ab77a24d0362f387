// Secret detection: each provider's key prefix, JWTs and PEM private key blocks, and the prose,
// slugs and public PEM blocks that share their prefixes.
import { describe, expect, it } from "vitest";
import { findApiKeys } from "./apiKey";
import { findPii } from "./findPii";
import { findPrivateKeys } from "./privateKey";
import { matched } from "./testing";

const RANDOM = "Xq7vLp2ZkR9mNc4TbW8yHd3FsJ6gQa1Ue5Ko0Ii";
const JWT =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

describe("findApiKeys", () => {
  it.each([
    `sk-${RANDOM.slice(0, 32)}`,
    `sk-proj-${RANDOM}-${RANDOM}_${RANDOM}`,
    `sk-ant-api03-${RANDOM}${RANDOM}-AA`,
    "AKIAIOSFODNN7EXAMPLE",
    "ASIAY34FZKBOKMUTVV7A",
    `ghp_${RANDOM.slice(0, 36)}`,
    `gho_${RANDOM.slice(0, 36)}`,
    `ghu_${RANDOM.slice(0, 36)}`,
    `ghs_${RANDOM.slice(0, 36)}`,
    `ghr_${RANDOM.slice(0, 36)}`,
    `github_pat_11ABCDEFGHIJ0123456789_${RANDOM}${RANDOM.slice(0, 20)}`,
    `xoxb-123456789012-1234567890123-${RANDOM.slice(0, 24)}`,
    `xoxp-123456789012-${RANDOM.slice(0, 24)}`,
    `sk_live_${RANDOM.slice(0, 24)}`,
    `rk_live_${RANDOM.slice(0, 24)}`,
    `sk_test_${RANDOM.slice(0, 24)}`,
    JWT,
  ])("finds %j in several surroundings", (key) => {
    for (const text of [key, `export API_KEY=${key}`, `Authorization: Bearer ${key}`, `{"token":"${key}"}`, `'${key}';`]) {
      expect(matched(text, findApiKeys(text))).toEqual([["api_key", key]]);
    }
  });

  it("keeps the dot that ends a sentence out of a JWT", () => {
    const text = `token ${JWT}.`;
    expect(matched(text, findApiKeys(text))).toEqual([["api_key", JWT]]);
  });

  it("keeps the empty signature of an unsigned JWT", () => {
    const unsigned = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbm9ueW1vdXMifQ.";
    expect(matched(`jwt ${unsigned}`, findApiKeys(`jwt ${unsigned}`))).toEqual([["api_key", unsigned]]);
  });

  it("names a token inside an email-shaped remote URL as a key", () => {
    const token = `ghp_${RANDOM.slice(0, 36)}`;
    const text = `git remote add origin https://${token}@github.com/org/repo.git`;
    expect(matched(text, findPii(text))).toEqual([["api_key", `${token}@github.com`]]);
  });

  it.each([
    "pip install sk-learn",
    "the task-force met",
    "sk-this-is-not-a-real-key-at-all-2024",
    "sk-proj-",
    "the AKIA prefix",
    "AKIA1234",
    "AKIAIOSFODNN7EXAMPLE1",
    "ASIAN markets rallied",
    "ghp_abc is too short",
    "xoxb- is the bot prefix",
    "xoxo, Sam",
    "the sk_live_ prefix marks live keys",
    "github_pat_ is the new format",
    "eyJhbGciOiJIUzI1NiJ9 is only a header",
    "eyJ",
    `mask${RANDOM}sk-${RANDOM}`,
  ])("finds no key in %j", (text) => {
    expect(findPii(text)).toEqual([]);
  });
});

describe("findPrivateKeys", () => {
  const body = `MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\nKUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQ==`;

  it.each(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY"])(
    "redacts a whole %s block",
    (label) => {
      const block = `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----`;
      const text = `key:\n${block}\nthanks`;
      expect(matched(text, findPrivateKeys(text))).toEqual([["api_key", block]]);
    },
  );

  it("redacts a block whose newlines are escaped inside JSON", () => {
    const block = `-----BEGIN PRIVATE KEY-----\\n${body.replace("\n", "\\n")}\\n-----END PRIVATE KEY-----`;
    const text = `{"private_key":"${block}","type":"service_account"}`;
    expect(matched(text, findPrivateKeys(text))).toEqual([["api_key", block]]);
  });

  it("redacts a truncated block's header and body, and leaves the prose after it", () => {
    const text = `-----BEGIN RSA PRIVATE KEY-----\n${body}\nand then it was cut off`;
    expect(matched(text, findPrivateKeys(text))).toEqual([
      ["api_key", `-----BEGIN RSA PRIVATE KEY-----\n${body}\nand`],
    ]);
  });

  it.each([
    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUR4\n-----END CERTIFICATE-----",
    "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
    "-----BEGIN PRIVATE KEY",
  ])("finds no private key in %j", (text) => {
    expect(findPrivateKeys(text)).toEqual([]);
  });
});
