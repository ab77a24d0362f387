// Secret detection: each provider's key prefix, JWTs and PEM private key blocks, and the prose,
// slugs and public PEM blocks that share their prefixes.
import { describe, expect, it } from "vitest";
import { findApiKeys } from "./apiKey";
import { findPii } from "./findPii";
import { findPrivateKeys } from "./privateKey";
import { redactPii } from "./redact";
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

  it("names a token inside an email-shaped remote URL as a key, and not the host as an address", () => {
    const token = `ghp_${RANDOM.slice(0, 36)}`;
    const text = `git remote add origin https://${token}@github.com/org/repo.git`;
    expect(matched(text, findPii(text))).toEqual([["api_key", token]]);
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

  it("redacts a truncated block's header and body, and leaves the prose line after it", () => {
    const text = `-----BEGIN RSA PRIVATE KEY-----\n${body}\nand then it was cut off`;
    expect(matched(text, findPrivateKeys(text))).toEqual([["api_key", `-----BEGIN RSA PRIVATE KEY-----\n${body}`]]);
  });

  const encryptedHeaders = "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F2D1A0B9C8E7F6A5B4C3D2E1F0A9B8C\n\n";
  const indent = (text: string, prefix: string) => text.split("\n").map((line) => prefix + line).join("\n");

  it.each([
    ["indented inside YAML", (block: string) => `tls:\n  key: |\n${indent(block, "    ")}\n  cert: none`],
    ["with RFC 1421 encryption headers", (block: string) => `Here:\n${block}\nDone.`],
    ["quoted in Markdown", (block: string) => `> ${block.replaceAll("\n", "\n> ")}\n\nok`],
    ["with CRLF line breaks", (block: string) => `key:\r\n${block.replaceAll("\n", "\r\n")}\r\nthanks`],
  ])("redacts every line of a block %s, with or without its footer", (_layout, layout) => {
    const header = "-----BEGIN RSA PRIVATE KEY-----";
    const whole = layout(`${header}\n${encryptedHeaders}${body}\n-----END RSA PRIVATE KEY-----`);
    const truncated = layout(`${header}\n${encryptedHeaders}${body}`);
    for (const text of [whole, truncated]) {
      const redacted = redactPii(text).text;
      for (const line of [...body.split("\n"), "ENCRYPTED", "DEK-Info"]) expect(redacted).not.toContain(line);
      expect(redacted).toContain("[API_KEY]");
    }
  });

  it.each([
    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUR4\n-----END CERTIFICATE-----",
    "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
    "-----BEGIN PRIVATE KEY",
  ])("finds no private key in %j", (text) => {
    expect(findPrivateKeys(text)).toEqual([]);
  });
});
