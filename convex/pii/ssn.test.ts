// SSN detection: the dashed and spaced forms within the issued ranges, and the SSN-shaped numbers
// that fall outside them.
import { describe, expect, it } from "vitest";
import { findSsns, isValidSsn } from "./ssn";
import { matched } from "./testing";

describe("isValidSsn", () => {
  it.each([
    ["123", "45", "6789"],
    ["001", "01", "0001"],
    ["665", "99", "9999"],
    ["899", "01", "2345"],
  ])("accepts %s-%s-%s", (area, group, serial) => expect(isValidSsn(area, group, serial)).toBe(true));

  it.each([
    ["000", "12", "3456"],
    ["666", "12", "3456"],
    ["900", "12", "3456"],
    ["987", "65", "4321"],
    ["123", "00", "4567"],
    ["123", "45", "0000"],
  ])("rejects %s-%s-%s", (area, group, serial) => expect(isValidSsn(area, group, serial)).toBe(false));
});

describe("findSsns", () => {
  it.each(["123-45-6789", "536 22 8726", "078-05-1120"])("finds %j", (ssn) => {
    for (const text of [ssn, `SSN: ${ssn}.`, `{"ssn":"${ssn}"}`]) {
      expect(matched(text, findSsns(text))).toEqual([["ssn", ssn]]);
    }
  });

  it.each([
    "123456789",
    "000-12-3456",
    "666-12-3456",
    "900-12-3456",
    "123-00-4567",
    "123-45-0000",
    "123-45 6789",
    "1123-45-6789",
    "123-45-67890",
    "version 123-45-6789-1",
    "ORD-123-45-6789",
  ])("finds no SSN in %j", (text) => {
    expect(findSsns(text)).toEqual([]);
  });
});
