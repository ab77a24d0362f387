// Email detection: the address forms people write, the boundaries around them, and the
// email-shaped strings that are not addresses.
import { describe, expect, it } from "vitest";
import { findEmails } from "./email";
import { findPii } from "./findPii";
import { matched } from "./testing";

describe("findEmails", () => {
  it.each([
    ["jane.doe@example.com", "jane.doe@example.com"],
    ["Mail j.doe+billing@example.org today", "j.doe+billing@example.org"],
    ["<ops-team@mail.example.net>", "ops-team@mail.example.net"],
    ['{"email":"USER123@EXAMPLE.COM"}', "USER123@EXAMPLE.COM"],
    ["Write to first_last@sub.example.co.uk.", "first_last@sub.example.co.uk"],
    ["mailto:user%tag@example.com?subject=hi", "user%tag@example.com"],
    ["see...bob@example.com", "bob@example.com"],
    ["Écrivez à renée@exämple.com — merci", "renée@exämple.com"],
  ])("finds the address in %j", (text, address) => {
    expect(matched(text, findEmails(text))).toEqual([["email", address]]);
  });

  it("finds several addresses and keeps each one whole", () => {
    const text = "cc a@example.com, b.c@example.org;d@example.net";
    expect(matched(text, findEmails(text)).map(([, value]) => value)).toEqual([
      "a@example.com",
      "b.c@example.org",
      "d@example.net",
    ]);
  });

  it.each([
    "@username",
    "foo@",
    "a@b",
    "user@localhost",
    "logo@2x.png",
    "icon@3x.jpg",
    "npm i @types/node@20.11.1",
    "version@1.2.3",
    "bob@example.com_suffix",
    "bob@example.com-suffix",
    "bob@-example.com",
    "user at example dot com",
  ])("finds no address in %j", (text) => {
    expect(findPii(text)).toEqual([]);
  });
});

describe("git remotes", () => {
  it.each([
    "git remote add origin git@github.com:initech/docs.git",
    "git clone ssh://git@code.example.io:2222/initech/docs.git",
    "git@github.com:northwind-labs/mobile-app.git をクローンしてください",
    "git clone git@gitlab.com:~user/repo.git",
  ])("are not addresses in %j", (text) => {
    expect(findEmails(text)).toEqual([]);
  });

  it.each([
    ["Email jane@example.com: she replied", "jane@example.com"],
    ["mailto:jane@example.com", "jane@example.com"],
  ])("leave an address followed or preceded by a colon in %j", (text, address) => {
    expect(matched(text, findEmails(text))).toEqual([["email", address]]);
  });
});
