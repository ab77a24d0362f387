// IBAN detection: the mod-97 check, the registry lengths, the compact and printed layouts, and
// IBAN-shaped codes that fail them.
import { describe, expect, it } from "vitest";
import { findIbans, isIbanChecksumValid } from "./iban";
import { matched } from "./testing";

describe("isIbanChecksumValid", () => {
  it.each(["GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606", "NO9386011117947"])(
    "accepts %j",
    (iban) => expect(isIbanChecksumValid(iban)).toBe(true),
  );

  it("accepts the printed form with spaces", () => {
    expect(isIbanChecksumValid("GB82 WEST 1234 5698 7654 32")).toBe(true);
  });

  it.each(["GB82WEST12345698765433", "GB28WEST12345698765432", "DE89370400440532013001", "gb82west12345698765432"])(
    "rejects %j",
    (iban) => expect(isIbanChecksumValid(iban)).toBe(false),
  );
});

describe("findIbans", () => {
  it.each([
    "GB82 WEST 1234 5698 7654 32",
    "GB82WEST12345698765432",
    "DE89 3704 0044 0532 0130 00",
    "NL91 ABNA 0417 1643 00",
    "NO93 8601 1117 947",
    "MT84 MALT 0110 0001 2345 MTLC AST0 01S",
  ])("finds %j", (iban) => {
    for (const text of [iban, `IBAN: ${iban}.`, `"iban":"${iban}"`]) {
      expect(matched(text, findIbans(text))).toEqual([["iban", iban]]);
    }
  });

  it("stops a printed IBAN at its country's length even when capitals follow", () => {
    const text = "GB82 WEST 1234 5698 7654 32 BIC WESTGB2L";
    expect(matched(text, findIbans(text))).toEqual([["iban", "GB82 WEST 1234 5698 7654 32"]]);
  });

  it.each([
    "GB82 WEST 1234 5698 7654 33",
    "GB82 WEST 1234 5698 7654",
    "GB82WEST123456987654321",
    "XX12 3456 7890 1234 56",
    "US12 3456 7890 1234",
    "flight BA12 3456",
    "GB82 WEST 12345698 7654 32",
    "XGB82WEST12345698765432",
  ])("finds no IBAN in %j", (text) => {
    expect(findIbans(text)).toEqual([]);
  });
});
