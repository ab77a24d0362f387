// Secrets of widely used services, recognised by their documented prefix, alphabet and length:
// each format is found whole wherever it stands, and look-alikes (too short, glued into a word,
// a placeholder) are not.
import { describe, expect, it } from "vitest";
import { findPii } from "./findPii";
import { findServiceTokens } from "./serviceTokens";
import { matched } from "./testing";

const MIXED = "Xq7vLp2ZkR9mNc4TbW8yHd3FsJ6gQa1Ue5Ko0IiYt";
const LETTERS = "XqvLpZkRmNcTbWyHdFsJgQaUeKoIiYtPwErTyUiOpAsDf";
const HEX = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const mixed = (length: number) => MIXED.repeat(4).slice(0, length);
const hex = (length: number) => HEX.repeat(2).slice(0, length);

describe("findServiceTokens", () => {
  it.each([
    ["GitLab personal access token", `glpat-${mixed(20)}`],
    ["GitLab runner token", `glrt-${mixed(20)}`],
    ["GitLab deploy token", `gldt-${mixed(20)}`],
    ["Slack app token", `xapp-1-A${mixed(10)}-1234567890-${hex(64)}`],
    ["Slack webhook URL", `https://hooks.slack.com/services/T0123ABCD/B0123ABCD/${mixed(24)}`],
    ["Stripe webhook secret", `whsec_${mixed(32)}`],
    ["Google API key", `AIza${mixed(35)}`],
    ["Google OAuth access token", `ya29.${mixed(40)}`],
    ["npm token", `npm_${mixed(36)}`],
    ["PyPI token", `pypi-AgEIcHlwaS5vcmc${mixed(40)}${mixed(30)}`],
    ["Hugging Face token", `hf_${LETTERS.slice(0, 34)}`],
    ["SendGrid key", `SG.${mixed(22)}.${mixed(43)}`],
    ["Mailgun key, old format", `key-${hex(32)}`],
    ["Mailgun key, new format", `${hex(32)}-${hex(8)}-${hex(8)}`],
    ["Shopify token", `shpat_${hex(32)}`],
    ["DigitalOcean token", `dop_v1_${hex(64)}`],
    ["Databricks token", `dapi${hex(32)}`],
    ["Linear key", `lin_api_${mixed(40)}`],
    ["Notion token", `ntn_${mixed(46)}`],
    ["Atlassian token", `ATATT3xFfGF0${mixed(40)}${mixed(40)}${mixed(40)}=1A2B3C4D`],
    ["Postman key", `PMAK-${hex(24)}-${hex(34)}`],
    ["Vault token", `hvs.${mixed(40)}`],
    ["Sentry user token", `sntryu_${hex(64)}`],
    ["Groq key", `gsk_${mixed(52)}`],
    ["Replicate token", `r8_${mixed(37)}`],
    ["Perplexity key", `pplx-${mixed(48)}`],
    ["Tailscale key", `tskey-auth-${mixed(30)}`],
    ["Mapbox secret token", `sk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6ImNrMTIzNDU2In0.${mixed(22)}`],
    ["Telegram bot token", `123456789:AA${mixed(33)}`],
  ])("finds a %s whole", (_name, token) => {
    for (const text of [token, `key: ${token}.`, `"${token}"`, `export X=${token}\n`, `(${token})`]) {
      expect(matched(text, findServiceTokens(text))).toEqual([["api_key", token]]);
    }
  });

  it("finds an AWS secret access key pasted right after its key id", () => {
    const secret = `${mixed(30)}/${mixed(9)}`;
    const text = `the key AKIALCTZUXFNDJVRJFLA / ${secret} leaked`;
    expect(matched(text, findServiceTokens(text))).toEqual([["api_key", secret]]);
  });

  it.each([
    ["a short body", `glpat-${mixed(10)}`],
    ["an npm token one character short", `npm_${mixed(35)}`],
    ["a prefix inside a word", `xnpm_${mixed(36)}`],
    ["a token glued to a word", `npm_${mixed(36)}_x`],
    ["a Hugging Face token of one case", `hf_${"a".repeat(34)}`],
    ["a SendGrid key with the wrong segment lengths", `SG.${mixed(20)}.${mixed(43)}`],
    ["a publishable Mapbox token", `pk.eyJ1IjoiYWNtZSJ9.${mixed(22)}`],
    ["a UUID", "550e8400-e29b-41d4-a716-446655440000"],
    ["prose with dashes", "key-value pairs and a state-of-the-art glpat- mention"],
    ["a Slack URL that is not a webhook", "https://hooks.slack.com/docs"],
  ])("does not take %s for a key", (_name, text) => {
    expect(findServiceTokens(text)).toEqual([]);
  });

  it("names the whole token a key when another detector sees part of it", () => {
    const token = `https://hooks.slack.com/services/T0123ABCD/B0123ABCD/${mixed(24)}`;
    expect(matched(token, findPii(token))).toEqual([["api_key", token]]);
  });
});
