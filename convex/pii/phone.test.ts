// Phone detection: international, North American and European national formats, and the dates,
// times, versions, prices and ids that share their digits.
import { describe, expect, it } from "vitest";
import { findPii } from "./findPii";
import { findPhones } from "./phone";
import { matched } from "./testing";

describe("findPhones", () => {
  it.each([
    "+1 415 555 0134",
    "+14155550134",
    "+1-212-555-0187",
    "+1 (312) 555-0110",
    "+44 20 7946 0958",
    "+44 (0)20 7946 0111",
    "+49 30 12345678",
    "+33 6 39 98 76 54",
    "+81 3-1234-5678",
    "(415) 555-0134",
    "(415)555-0134",
    "415-555-0134",
    "415.555.0134",
    "415 555 0134",
    "1-800-555-0199",
    "020 7946 0958",
    "07700 900123",
    "0117 496 0234",
    "(020) 7946 0432",
    "030 123456",
    "030/1234567",
    "0171 1234567",
    "01 23 45 67 89",
    "01.99.00.45.67",
    "0044 20 7946 0999",
  ])("finds %j whole", (phone) => {
    const text = `Call ${phone}, thanks.`;
    expect(matched(text, findPhones(text))).toEqual([["phone", phone]]);
  });

  it("finds a number at the very start and end of the text", () => {
    expect(matched("+44 7700 900456", findPhones("+44 7700 900456"))).toEqual([["phone", "+44 7700 900456"]]);
  });

  it("stops an international number at the 15 digits E.164 allows", () => {
    const text = "+1 415 555 0134 2024 55";
    expect(matched(text, findPhones(text))).toEqual([["phone", "+1 415 555 0134 2024"]]);
  });

  it.each([
    "2024-05-01",
    "05/01/2024",
    "01.05.2024",
    "01.05.2024 12:30",
    "12:30:45",
    "v10.4.12.1",
    "1.2.3",
    "$1,299.99",
    "€1.299,99",
    "ORD-2024-000123",
    "Invoice 000482913",
    "4155550134",
    "unix time 1714550400",
    "550e8400-e29b-41d4-a716-446655440000",
    "ZIP 94103-1234",
    "call 911",
    "+12.5%",
    "+1234 lines",
    "0000 0000 0000 0000",
    "ISBN 0-306-40615-2",
    "UTC+05:30",
    "123-45-6789",
  ])("finds no phone in %j", (text) => {
    expect(findPhones(text)).toEqual([]);
  });

  it("leaves a 16-digit card to the card detector", () => {
    const text = "4111 1111 1111 1111";
    expect(matched(text, findPii(text))).toEqual([["credit_card", text]]);
  });
});
