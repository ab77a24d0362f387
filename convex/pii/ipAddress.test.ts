// IP address detection: IPv4 octet ranges and boundaries, the IPv6 full, compressed and
// IPv4-embedded forms, and the versions, times, MAC addresses and scoped names that look alike.
import { describe, expect, it } from "vitest";
import { findPii } from "./findPii";
import { findIpv4Addresses, isIpv4 } from "./ipv4";
import { findIpv6Addresses, isIpv6 } from "./ipv6";
import { matched } from "./testing";

describe("isIpv4", () => {
  it.each(["0.0.0.0", "192.0.2.1", "255.255.255.255", "10.0.0.1"])("accepts %j", (address) =>
    expect(isIpv4(address)).toBe(true),
  );

  it.each(["256.1.1.1", "999.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "a.b.c.d"])(
    "rejects %j",
    (address) => expect(isIpv4(address)).toBe(false),
  );
});

describe("findIpv4Addresses", () => {
  it.each([
    ["Connection from 192.0.2.1 refused", "192.0.2.1"],
    ["curl http://198.51.100.7:8080/health", "198.51.100.7"],
    ["allow 203.0.113.5/32;", "203.0.113.5"],
    ['"ip":"10.0.0.1"', "10.0.0.1"],
    ["host 127.0.0.1.", "127.0.0.1"],
  ])("finds the address in %j", (text, address) => {
    expect(matched(text, findIpv4Addresses(text))).toEqual([["ip_address", address]]);
  });

  it("finds both ends of a range", () => {
    const text = "10.0.0.1-10.0.0.255";
    expect(matched(text, findIpv4Addresses(text)).map(([, value]) => value)).toEqual(["10.0.0.1", "10.0.0.255"]);
  });

  it.each([
    "999.1.1.1",
    "256.256.256.256",
    "1.2.3.4.5",
    "v10.4.12.1",
    "OID 1.3.6.1.4.1.311",
    "192.168.1",
    "01.02.03.04",
    "see 3.2.1.0-rc1",
    "1234.1.2.3",
  ])("finds no address in %j", (text) => {
    expect(findPii(text)).toEqual([]);
  });
});

describe("isIpv6", () => {
  it.each([
    "2001:db8::1",
    "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    "::1",
    "2001:db8::",
    "fe80::200:5eff:fe00:5213",
    "::ffff:192.0.2.128",
    "64:ff9b::198.51.100.7",
  ])("accepts %j", (address) => expect(isIpv6(address)).toBe(true));

  it.each([
    "::",
    "12:30:45",
    "00:1A:2B:3C:4D:5E",
    "1:2:3:4:5:6:7:8:9",
    "2001:db8::1::2",
    "2001:db8:::1",
    "12345::1",
    "a::b",
    "::ffff:999.0.2.1",
  ])("rejects %j", (address) => expect(isIpv6(address)).toBe(false));
});

describe("findIpv6Addresses", () => {
  it.each([
    ["from 2001:db8::7 (attempt 3)", "2001:db8::7"],
    ["curl http://[2001:db8::42]:8080/health", "2001:db8::42"],
    ["loopback ::1.", "::1"],
    ["gateway fe80::1: unreachable", "fe80::1"],
    ["mapped ::ffff:192.0.2.128 here", "::ffff:192.0.2.128"],
  ])("finds the address in %j", (text, address) => {
    expect(matched(text, findIpv6Addresses(text))).toEqual([["ip_address", address]]);
  });

  it("reports an IPv6 address with an embedded IPv4 once, as one address", () => {
    const text = "peer ::ffff:192.0.2.128 connected";
    expect(matched(text, findPii(text))).toEqual([["ip_address", "::ffff:192.0.2.128"]]);
  });

  it.each([
    "Started at 12:30:45",
    "MAC 00:1A:2B:3C:4D:5E",
    "std::vector<int>",
    "Foo::Bar::baz()",
    "localhost:3000",
    "ratio 16:9",
    "ab:cd:ef:01:23:45",
    "x2001:db8::1",
  ])("finds no address in %j", (text) => {
    expect(findPii(text)).toEqual([]);
  });
});

describe("four-part versions", () => {
  it.each([
    "Updated firmware to 2.1.2.5 on all the switches",
    '[assembly: AssemblyVersion("1.6.21.157")]',
    '<PackageReference Include="Microsoft.Extensions.Logging" Version="1.9.12.40" />',
    "See section 5.1.9.1 of the spec",
    "Actualicé el firmware a la versión 4.6.1.2",
    "Siehe Abschnitt 9.4.10.5 der Norm.",
    "Zie paragraaf 3.1.3.1.",
    "ファームウェアを2.0.0.4に更新しました。",
  ])("are not addresses in %j", (text) => {
    expect(findIpv4Addresses(text)).toEqual([]);
  });

  it.each([
    ["a version word on another line", "firmware updated\nhost 10.0.0.5 rebooted", "10.0.0.5"],
    ["a version word far before", "the build server that everyone uses is reachable at 10.0.0.5", "10.0.0.5"],
    ["a version word after", "10.0.0.5 runs firmware 2.1", "10.0.0.5"],
  ])("do not hide an address with %s", (_name, text, address) => {
    expect(matched(text, findIpv4Addresses(text))).toEqual([["ip_address", address]]);
  });
});
