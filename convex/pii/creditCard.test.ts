// Card detection and its validators: the Luhn check, the issuer prefixes, the written layouts,
// and numbers of the right length that are not cards.
import { describe, expect, it } from "vitest";
import { hasKnownIssuer } from "./cardIssuers";
import { findCreditCards } from "./creditCard";
import { isLuhnValid } from "./luhn";
import { matched } from "./testing";

describe("isLuhnValid", () => {
  it.each(["4111111111111111", "5555555555554444", "378282246310005", "79927398713", "4111 1111 1111 1111"])(
    "accepts %j",
    (number) => expect(isLuhnValid(number)).toBe(true),
  );

  it.each(["4111111111111112", "5555555555554445", "79927398710", "1234567812345678", ""])("rejects %j", (number) =>
    expect(isLuhnValid(number)).toBe(false),
  );

  it("checks only the given range of a longer text", () => {
    expect(isLuhnValid("card 4111111111111111 ok", 5, 21)).toBe(true);
  });
});

describe("hasKnownIssuer", () => {
  it.each([
    [4111, 16],
    [4222, 13],
    [5555, 16],
    [2223, 16],
    [3782, 15],
    [6011, 16],
    [3056, 14],
    [3530, 16],
    [6200, 16],
  ])("knows prefix %i with %i digits", (prefix, length) => expect(hasKnownIssuer(prefix, length)).toBe(true));

  it.each([
    [1234, 16],
    [9999, 16],
    [3782, 16],
    [5555, 15],
    [7000, 16],
  ])("does not know prefix %i with %i digits", (prefix, length) => expect(hasKnownIssuer(prefix, length)).toBe(false));
});

describe("findCreditCards", () => {
  it.each([
    "4111111111111111",
    "4111 1111 1111 1111",
    "4111-1111-1111-1111",
    "4222222222222",
    "3782 822463 10005",
    "3782-822463-10005",
    "378282246310005",
    "3056 930902 5904",
    "6205 5000 0000 0000 004",
    "6205500000000000004",
  ])("finds %j", (card) => {
    const text = `Card: ${card}, exp 12/27`;
    expect(matched(text, findCreditCards(text))).toEqual([["credit_card", card]]);
  });

  it("keeps a CVV written after the number out of it", () => {
    const text = "4111 1111 1111 1111 123";
    expect(matched(text, findCreditCards(text))).toEqual([["credit_card", "4111 1111 1111 1111"]]);
  });

  it("finds a card that starts at a later group of a longer digit run", () => {
    const text = "ref 1234 4111 1111 1111 1111";
    expect(matched(text, findCreditCards(text))).toEqual([["credit_card", "4111 1111 1111 1111"]]);
  });

  it.each([
    "4111 1111 1111 1112",
    "1234567890123452",
    "9999 9999 9999 9995",
    "ORD-4111111111111111",
    "4111111111111111.5",
    "41111111111111111111",
    "4111 1111-1111 1111",
    "v4111111111111111",
  ])("finds no card in %j", (text) => {
    expect(findCreditCards(text)).toEqual([]);
  });
});
