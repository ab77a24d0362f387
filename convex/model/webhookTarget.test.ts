// The SSRF guard's table: every special-purpose range, every IPv4 spelling the WHATWG parser accepts,
// internal names, credentials, schemes and ports, with and without GATEWAY_ALLOW_PRIVATE_WEBHOOKS.
import { describe, expect, test } from "vitest";
import { checkWebhookTarget, formatIPv4, parseIPv4, parseIPv6, specialIPv6Range } from "./webhookTarget";

const STRICT = { allowPrivate: false };
const LOCAL = { allowPrivate: true };

/** Refused in the default mode, allowed with the opt-in flag: places inside a network. */
const PRIVATE_TARGETS: Array<[string, RegExp]> = [
  // IPv4 ranges
  ["http://0.0.0.0/", /0\.0\.0\.0\/8/],
  ["http://0.1.2.3/", /0\.0\.0\.0\/8/],
  ["http://10.0.0.1/", /10\.0\.0\.0\/8/],
  ["http://10.255.255.255/", /10\.0\.0\.0\/8/],
  ["http://100.64.0.1/", /100\.64\.0\.0\/10/],
  ["http://100.127.255.254/", /100\.64\.0\.0\/10/],
  ["http://100.100.100.200/", /100\.64\.0\.0\/10/],
  ["http://127.0.0.1/", /loopback/],
  ["http://127.255.255.254:8080/", /loopback/],
  ["http://169.254.169.254/latest/meta-data/", /link-local/],
  ["http://169.254.0.1/", /link-local/],
  ["http://172.16.0.1/", /172\.16\.0\.0\/12/],
  ["http://172.31.255.255/", /172\.16\.0\.0\/12/],
  ["http://192.0.0.1/", /192\.0\.0\.0\/24/],
  ["http://192.0.2.1/", /documentation/],
  ["http://192.88.99.1/", /6to4 relay/],
  ["http://192.168.1.1/", /192\.168\.0\.0\/16/],
  ["http://198.18.0.1/", /benchmarking/],
  ["http://198.19.255.255/", /benchmarking/],
  ["http://198.51.100.7/", /documentation/],
  ["http://203.0.113.7/", /documentation/],
  ["http://224.0.0.1/", /multicast/],
  ["http://239.255.255.250/", /multicast/],
  ["http://240.0.0.1/", /reserved or broadcast/],
  ["http://255.255.255.255/", /reserved or broadcast/],
  // IPv4 spellings, all canonicalised to what they denote
  ["http://2130706433/", /127\.0\.0\.1 is a loopback/],
  ["http://0x7f000001/", /127\.0\.0\.1 is a loopback/],
  ["http://0x7f.1/", /127\.0\.0\.1 is a loopback/],
  ["http://0177.0.0.1/", /127\.0\.0\.1 is a loopback/],
  ["http://0177.0000.0000.0001/", /127\.0\.0\.1 is a loopback/],
  ["http://127.1/", /127\.0\.0\.1 is a loopback/],
  ["http://127.0.1/", /127\.0\.0\.1 is a loopback/],
  ["http://127.0.0.1./", /loopback/],
  ["http://0/", /0\.0\.0\.0/],
  ["http://0x0/", /0\.0\.0\.0/],
  ["http://2852039166/", /169\.254\.169\.254 is a link-local/],
  ["http://0xa9fea9fe/", /169\.254\.169\.254/],
  ["http://0251.0376.0251.0376/", /169\.254\.169\.254/],
  ["http://169.254.43518/", /169\.254\.169\.254/],
  ["http://%31%32%37.0.0.1/", /loopback/],
  ["http://①②⑦.0.0.1/", /loopback/],
  ["http://0xA.0.0.1/", /10\.0\.0\.0\/8/],
  ["http://127。0。0。1/", /127\.0\.0\.1 is a loopback/],
  ["http://0X7F.1/", /127\.0\.0\.1 is a loopback/],
  ["http://127.0.0.1%2e/", /loopback/],
  ["http://127.0.0.1\\@evil.example/", /127\.0\.0\.1 is a loopback/],
  ["http://012.1/", /10\.0\.0\.1 is a private/],
  // IPv6
  ["http://[::]/", /unspecified/],
  ["http://[::1]/", /loopback/],
  ["http://[0:0:0:0:0:0:0:1]/", /loopback/],
  ["http://[::ffff:127.0.0.1]/", /IPv4-mapped.*127\.0\.0\.1/],
  ["http://[::ffff:7f00:1]/", /IPv4-mapped/],
  ["http://[::ffff:169.254.169.254]/", /IPv4-mapped.*169\.254\.169\.254/],
  ["http://[::ffff:8.8.8.8]/", /IPv4-mapped/],
  ["http://[::127.0.0.1]/", /IPv4-compatible/],
  ["http://[0:0:0:0:0:ffff:127.0.0.1]/", /IPv4-mapped.*127\.0\.0\.1/],
  ["http://[::ffff:0:127.0.0.1]/", /outside global unicast/],
  ["http://[::10.0.0.1]/", /IPv4-compatible/],
  ["http://[64:ff9b::10.0.0.1]/", /NAT64.*10\.0\.0\.1/],
  ["http://[64:ff9b::7f00:1]/", /NAT64.*127\.0\.0\.1/],
  ["http://[64:ff9b:1::a00:1]/", /NAT64/],
  ["http://[2002:7f00:1::]/", /6to4.*127\.0\.0\.1/],
  ["http://[2002:a9fe:a9fe::1]/", /6to4.*169\.254\.169\.254/],
  ["http://[fc00::1]/", /unique local/],
  ["http://[fd12:3456:789a::1]/", /unique local/],
  ["http://[fe80::1]/", /link-local/],
  ["http://[febf::1]/", /link-local/],
  ["http://[fec0::1]/", /site-local/],
  ["http://[ff02::1]/", /multicast/],
  ["http://[100::1]/", /discard/],
  ["http://[2001::1]/", /IETF protocol assignment/],
  ["http://[2001:db8::1]/", /documentation/],
  ["http://[3fff::1]/", /documentation/],
  ["http://[4000::1]/", /global unicast/],
  ["http://[fd00:ec2::254]/", /unique local/],
  // Names
  ["http://localhost/", /single-label/],
  ["http://localhost%2e/", /single-label/],
  ["http://ⅼocalhost/", /single-label/],
  ["http://LocalHost.LocalDomain/", /\.localdomain/],
  ["http://localhost:3211/", /single-label/],
  ["http://LOCALHOST./", /single-label/],
  ["http://ⓛocalhost/", /single-label/],
  ["http://api.localhost/", /internal name \(\.localhost\)/],
  ["http://a.b.localhost./", /\.localhost/],
  ["http://metadata.google.internal/computeMetadata/v1/", /\.internal/],
  ["http://metadata/", /single-label/],
  ["http://instance-data/", /single-label/],
  ["http://printer.local/", /\.local\b/],
  ["http://router.home.arpa/", /\.arpa/],
  ["http://1.0.0.127.in-addr.arpa/", /\.arpa/],
  ["http://box.localdomain/", /\.localdomain/],
  ["http://db.corp/", /\.corp/],
  ["http://127.0.0.1.nip.io/", /nip\.io/],
  ["http://app.localtest.me/", /localtest\.me/],
  ["http://lvh.me/", /lvh\.me/],
  // Userinfo tricks: the host is what counts (and credentials are refused anyway)
  ["http://acme.example@127.0.0.1/", /credentials/],
  ["https://good@127.0.0.1/", /credentials/],
  ["https://user:pass@10.0.0.1/", /credentials/],
];

/** Refused in both modes: never a usable webhook target. */
const MALFORMED_TARGETS: Array<[string, RegExp]> = [
  ["not a url", /not a valid absolute URL/],
  ["/relative/path", /not a valid absolute URL/],
  ["ftp://hooks.example/", /scheme 'ftp'/],
  ["file:///etc/passwd", /scheme 'file'/],
  ["gopher://hooks.example:70/", /scheme 'gopher'/],
  ["javascript:alert(1)", /scheme 'javascript'/],
  ["data:text/plain,hi", /scheme 'data'/],
  ["ws://hooks.example/", /scheme 'ws'/],
  ["https://user@hooks.example/", /credentials/],
  ["https://user:secret@hooks.example/", /credentials/],
  ["https://:secret@hooks.example/", /credentials/],
  ["https://hooks.example:0/", /port 0/],
  ["https://hooks.example:22/", /port 22/],
  ["https://hooks.example:25/", /port 25/],
  ["https://hooks.example:1023/", /port 1023/],
  ["https://hooks.example:6667/", /port 6667/],
  ["https://hooks.example:10080/", /port 10080/],
  ["http://1.2.3.4.5/", /not a valid absolute URL/],
  ["http://256.0.0.1/", /not a valid absolute URL/],
  ["http://[fe80::1%25eth0]/", /not a valid absolute URL/],
  ["http://127.0.0.1../", /empty label/],
  ["http://localhost../", /empty label/],
  ["http://a..localhost/", /empty label/],
  [`https://hooks.example/${"a".repeat(2048)}`, /longer than 2048/],
  ["https://good@127.0.0.1/", /credentials/],
];

const ALLOWED_TARGETS: Array<[string, string]> = [
  ["https://acme.example/hooks/order", "https://acme.example/hooks/order"],
  ["https://hooks.example:8443/x?y=1", "https://hooks.example:8443/x?y=1"],
  ["https://HOOKS.Example:443/", "https://hooks.example/"],
  ["http://hooks.example:80/", "http://hooks.example/"],
  ["https://8.8.8.8/", "https://8.8.8.8/"],
  ["https://134744072/", "https://8.8.8.8/"],
  ["https://1.1.1.1:8080/", "https://1.1.1.1:8080/"],
  ["https://100.63.255.255/", "https://100.63.255.255/"],
  ["https://100.128.0.0/", "https://100.128.0.0/"],
  ["https://172.15.255.255/", "https://172.15.255.255/"],
  ["https://172.32.0.0/", "https://172.32.0.0/"],
  ["https://169.253.255.255/", "https://169.253.255.255/"],
  ["https://[2606:4700:4700::1111]/", "https://[2606:4700:4700::1111]/"],
  ["https://[2a00:1450:4001:80b::200e]:8443/", "https://[2a00:1450:4001:80b::200e]:8443/"],
  ["https://münchen.example/", "https://xn--mnchen-3ya.example/"],
  ["https://localhost.example.com/", "https://localhost.example.com/"],
  ["https://hooks.example#@127.0.0.1/", "https://hooks.example/#@127.0.0.1/"],
];

describe("webhook target check", () => {
  test.each(PRIVATE_TARGETS)("refuses %s by default, allows it only with the private opt-in unless malformed", (url, reason) => {
    const strict = checkWebhookTarget(url, STRICT);
    expect(strict).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    const local = checkWebhookTarget(url, LOCAL);
    // Credentials are refused in every mode; everything else here is a place inside a network.
    expect(local.ok).toBe(!/credentials/.test(strict.ok ? "" : strict.reason));
  });

  test.each(MALFORMED_TARGETS)("refuses %s in every mode", (url, reason) => {
    expect(checkWebhookTarget(url, STRICT)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    expect(checkWebhookTarget(url, LOCAL)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  test.each(ALLOWED_TARGETS)("allows %s as %s", (url, canonical) => {
    expect(checkWebhookTarget(url, STRICT)).toEqual({ ok: true, url: canonical });
  });

  test("the opt-in returns the canonical URL that is fetched", () => {
    expect(checkWebhookTarget("http://127.1:4000/hook", LOCAL)).toEqual({ ok: true, url: "http://127.0.0.1:4000/hook" });
  });

  test("every address of a refused IPv4 block is refused, its neighbours are not", () => {
    const edges: Array<[string, boolean]> = [
      ["9.255.255.255", true], ["10.0.0.0", false], ["11.0.0.0", true],
      ["100.63.255.255", true], ["100.64.0.0", false], ["100.127.255.255", false], ["100.128.0.0", true],
      ["126.255.255.255", true], ["128.0.0.0", true],
      ["172.15.255.255", true], ["172.16.0.0", false], ["172.31.255.255", false], ["172.32.0.0", true],
      ["192.167.255.255", true], ["192.169.0.0", true], ["198.17.255.255", true], ["198.20.0.0", true],
      ["223.255.255.255", true], ["224.0.0.0", false],
    ];
    for (const [address, allowed] of edges) expect([address, checkWebhookTarget(`https://${address}/`, STRICT).ok]).toEqual([address, allowed]);
  });
});

describe("address parsers", () => {
  test("IPv4 follows the WHATWG parser", () => {
    expect(parseIPv4("127.0.0.1")).toBe(0x7f000001);
    expect(parseIPv4("2130706433")).toBe(0x7f000001);
    expect(parseIPv4("0x7f.1")).toBe(0x7f000001);
    expect(parseIPv4("0177.0.0.1")).toBe(0x7f000001);
    expect(parseIPv4("127.1")).toBe(0x7f000001);
    expect(parseIPv4("127.0.0.1.")).toBe(0x7f000001);
    expect(parseIPv4("0x")).toBe(0);
    expect(parseIPv4("4294967295")).toBe(0xffffffff);
    expect(parseIPv4("4294967296")).toBeNull();
    expect(parseIPv4("256.1")).toBeNull();
    expect(parseIPv4("1.2.3.4.5")).toBeNull();
    expect(parseIPv4("09.0.0.1")).toBeNull();
    expect(parseIPv4("0x1g.0.0.1")).toBeNull();
    expect(parseIPv4("1..1")).toBeNull();
    expect(parseIPv4("00000000000000000000000001")).toBe(1);
    expect(formatIPv4(0xa9fea9fe)).toBe("169.254.169.254");
  });

  test("IPv6 accepts compression and dotted tails, rejects the rest", () => {
    expect(parseIPv6("::1")).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6("::ffff:127.0.0.1")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    expect(parseIPv6("2001:db8::")).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0]);
    expect(parseIPv6("1:2:3:4:5:6:7:8")).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const bad of ["1:2:3:4:5:6:7", "1::2::3", "12345::", "::ffff:1.2.3.256", "1:2:3:4:5:6:7:8::", "g::1", ":1"]) {
      expect([bad, parseIPv6(bad)]).toEqual([bad, null]);
    }
    expect(specialIPv6Range(parseIPv6("2606:4700::1111")!)).toBeNull();
  });
});
