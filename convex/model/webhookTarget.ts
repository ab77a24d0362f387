// Which URLs a webhook tool may call: the SSRF guard, checked when a seed is applied and again just
// before every call. Pure: no Convex, no network, no environment (the caller passes `allowPrivate`).
// The URL is canonicalised by the WHATWG `URL` parser, and the host is classified again here, so
// every IPv4 spelling (decimal 2130706433, hex 0x7f.1, octal 0177.0.0.1, short 127.1) and every
// IPv6 form (mapped, compatible, NAT64, 6to4) is judged by the address it denotes. Host names are
// judged by name only: a name that resolves to a private address cannot be caught here (see
// docs/security.md, "Webhook tools and SSRF").

export interface TargetRules {
  /** GATEWAY_ALLOW_PRIVATE_WEBHOOKS=1: loopback, private and link-local targets are allowed (local demo, tests). */
  allowPrivate: boolean;
}

/** `url` is the canonical form to fetch: exactly the string that was checked. */
export type TargetCheck = { ok: true; url: string } | { ok: false; reason: string };

/** Longer URLs are refused outright. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** The Fetch standard's "bad ports" (SMTP, IRC, ...), refused in every mode. */
const BAD_PORTS = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111,
  113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548,
  554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665,
  6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** Names that only ever mean something inside a network (RFC 6761, RFC 8375, cloud metadata, common LAN suffixes). */
const INTERNAL_SUFFIXES = ["localhost", "local", "localdomain", "internal", "intranet", "lan", "home", "corp", "private", "arpa"];

/** Public DNS names known to resolve to loopback or to any address written into them. */
const LOOPBACK_DNS_SERVICES = ["localtest.me", "lvh.me", "nip.io", "sslip.io", "xip.io", "vcap.me"];

export function checkWebhookTarget(raw: string, rules: TargetRules): TargetCheck {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) return refuse(`the URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse("it is not a valid absolute URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return refuse(`the scheme '${url.protocol.slice(0, -1)}' is not http or https`);
  if (url.username !== "" || url.password !== "") return refuse("the URL carries credentials (user@host); put secrets in the tool's secret");
  const port = url.port === "" ? null : Number(url.port);
  if (port !== null && port !== 80 && port !== 443 && (port < 1024 || BAD_PORTS.has(port))) {
    return refuse(`port ${port} is not allowed (use 80, 443 or a port from 1024 up)`);
  }
  const host = url.hostname;
  // The URL parser maps internationalised names to punycode; anything else left is suspect.
  if (host === "" || /[^\x21-\x7e]/.test(host)) return refuse("the host is not a plain ASCII name or address");
  const refusal = host.startsWith("[") ? classifyIPv6Host(host.slice(1, -1)) : classifyHost(host);
  if (refusal !== null && !(rules.allowPrivate && refusal.private)) return refuse(refusal.reason);
  return { ok: true, url: url.href };
}

function refuse(reason: string): TargetCheck {
  return { ok: false, reason };
}

/** `private`: the refusal is lifted by GATEWAY_ALLOW_PRIVATE_WEBHOOKS (a place inside a network, not a malformed host). */
interface Refusal {
  reason: string;
  private: boolean;
}

function classifyHost(host: string): Refusal | null {
  const name = host.toLowerCase().replace(/\.$/, "");
  // `127.0.0.1..` or `localhost..` pass the URL parser as names; resolvers treat them unpredictably.
  if (name.split(".").includes("")) return { reason: `'${host}' has an empty label`, private: false };
  if (endsInNumber(name)) {
    const address = parseIPv4(name);
    if (address === null) return { reason: `'${host}' is not a valid IPv4 address`, private: false };
    const range = specialIPv4Range(address);
    return range === null ? null : { reason: `${formatIPv4(address)} is ${range}`, private: true };
  }
  if (!name.includes(".")) return { reason: `'${name}' is a single-label name, which resolves inside a network`, private: true };
  const suffix = INTERNAL_SUFFIXES.find((candidate) => name === candidate || name.endsWith(`.${candidate}`));
  if (suffix !== undefined) return { reason: `'${name}' is an internal name (.${suffix})`, private: true };
  const service = LOOPBACK_DNS_SERVICES.find((candidate) => name === candidate || name.endsWith(`.${candidate}`));
  if (service !== undefined) return { reason: `'${name}' uses ${service}, which resolves to loopback or private addresses`, private: true };
  return null;
}

function classifyIPv6Host(text: string): Refusal | null {
  const address = parseIPv6(text);
  if (address === null) return { reason: `'[${text}]' is not a valid IPv6 address`, private: false };
  const range = specialIPv6Range(address);
  return range === null ? null : { reason: `[${text}] is ${range}`, private: true };
}

// ---- IPv4 ----------------------------------------------------------------------------------------

/** IPv4 special-purpose ranges (IANA registry, RFC 6890 and successors) no webhook may target. */
const IPV4_RANGES: Array<[string, number, string]> = [
  ["0.0.0.0", 8, "in 0.0.0.0/8 ('this network')"],
  ["10.0.0.0", 8, "a private address (10.0.0.0/8)"],
  ["100.64.0.0", 10, "a shared carrier-grade NAT address (100.64.0.0/10)"],
  ["127.0.0.0", 8, "a loopback address (127.0.0.0/8)"],
  ["169.254.0.0", 16, "a link-local address (169.254.0.0/16, cloud metadata)"],
  ["172.16.0.0", 12, "a private address (172.16.0.0/12)"],
  ["192.0.0.0", 24, "an IETF protocol assignment (192.0.0.0/24)"],
  ["192.0.2.0", 24, "a documentation address (192.0.2.0/24)"],
  ["192.88.99.0", 24, "a 6to4 relay address (192.88.99.0/24)"],
  ["192.168.0.0", 16, "a private address (192.168.0.0/16)"],
  ["198.18.0.0", 15, "a benchmarking address (198.18.0.0/15)"],
  ["198.51.100.0", 24, "a documentation address (198.51.100.0/24)"],
  ["203.0.113.0", 24, "a documentation address (203.0.113.0/24)"],
  ["224.0.0.0", 4, "a multicast address (224.0.0.0/4)"],
  ["240.0.0.0", 4, "a reserved or broadcast address (240.0.0.0/4)"],
];

const IPV4_PARSED = IPV4_RANGES.map(([base, prefix, description]) => ({ base: parseIPv4(base)!, prefix, description }));

/** The range's description when the address is special-purpose, else null. */
export function specialIPv4Range(address: number): string | null {
  for (const { base, prefix, description } of IPV4_PARSED) {
    const shift = 32 - prefix;
    if (Math.floor(address / 2 ** shift) === Math.floor(base / 2 ** shift)) return description;
  }
  return null;
}

/** The WHATWG URL standard's "ends in a number" test: such a host must be an IPv4 address. */
function endsInNumber(host: string): boolean {
  const parts = host.split(".");
  if (parts.at(-1) === "" && parts.length > 1) parts.pop();
  const last = parts.at(-1)!;
  return /^[0-9]+$/.test(last) || /^0x[0-9a-f]*$/i.test(last);
}

/** The WHATWG IPv4 parser: 1 to 4 parts, each decimal, 0x-hex or 0-octal; the last fills the remaining bytes. */
export function parseIPv4(host: string): number | null {
  const parts = host.split(".");
  if (parts.at(-1) === "" && parts.length > 1) parts.pop();
  if (parts.length > 4) return null;
  const numbers: number[] = [];
  for (const part of parts) {
    const number = parseIPv4Number(part);
    if (number === null) return null;
    numbers.push(number);
  }
  const last = numbers.pop()!;
  if (numbers.some((number) => number > 255) || last >= 256 ** (4 - numbers.length)) return null;
  return numbers.reduce((total, number, index) => total + number * 256 ** (3 - index), last);
}

function parseIPv4Number(part: string): number | null {
  if (part === "") return null;
  let digits = part;
  let radix = 10;
  if (/^0x/i.test(part)) {
    digits = part.slice(2);
    radix = 16;
    if (digits === "") return 0;
  } else if (part.length > 1 && part.startsWith("0")) {
    digits = part.slice(1);
    radix = 8;
  }
  const valid = radix === 16 ? /^[0-9a-f]+$/i : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return null;
  // Anything past 2^32 is invalid whatever its position, so stop before precision is lost.
  if (digits.replace(/^0+/, "").length > 12) return null;
  return parseInt(digits, radix);
}

export function formatIPv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

// ---- IPv6 ----------------------------------------------------------------------------------------

/** Eight 16-bit groups; accepts `::` compression and a dotted IPv4 tail. No zone ids (URLs cannot carry them). */
export function parseIPv6(text: string): number[] | null {
  const halves = text.toLowerCase().split("::");
  if (halves.length > 2) return null;
  const groupsOf = (half: string): number[] | null => {
    if (half === "") return [];
    const groups: number[] = [];
    const pieces = half.split(":");
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && piece.includes(".")) {
        const v4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(piece) ? piece.split(".").map(Number) : null;
        if (v4 === null || v4.some((octet) => octet > 255)) return null;
        groups.push(v4[0]! * 256 + v4[1]!, v4[2]! * 256 + v4[3]!);
      } else if (/^[0-9a-f]{1,4}$/.test(piece)) {
        groups.push(parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return groups;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (head === null || tail === null) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** The range's description when the address is anything but ordinary global unicast, else null. */
export function specialIPv6Range(groups: number[]): string | null {
  const [first, second] = groups as [number, number];
  const zeroUpTo = (count: number) => groups.slice(0, count).every((group) => group === 0);
  const embedded = () => formatIPv4(groups[6]! * 65536 + groups[7]!);
  if (zeroUpTo(8)) return "the unspecified address (::)";
  if (zeroUpTo(7) && groups[7] === 1) return "the loopback address (::1)";
  if (zeroUpTo(5) && groups[5] === 0xffff) return `an IPv4-mapped address (::ffff:0:0/96) for ${embedded()}`;
  if (zeroUpTo(6)) return `an IPv4-compatible address (::/96) for ${embedded()}`;
  if (first === 0x64 && second === 0xff9b) return `a NAT64 address (64:ff9b::/96, 64:ff9b:1::/48) for ${embedded()}`;
  if (first === 0x100 && groups.slice(1, 4).every((group) => group === 0)) return "a discard-only address (100::/64)";
  if ((first & 0xfe00) === 0xfc00) return "a unique local address (fc00::/7)";
  if ((first & 0xffc0) === 0xfe80) return "a link-local address (fe80::/10)";
  if ((first & 0xffc0) === 0xfec0) return "a site-local address (fec0::/10)";
  if ((first & 0xff00) === 0xff00) return "a multicast address (ff00::/8)";
  if ((first & 0xe000) !== 0x2000) return "outside global unicast (2000::/3)";
  if (first === 0x2001 && second < 0x200) return "an IETF protocol assignment (2001::/23, Teredo included)";
  if (first === 0x2001 && second === 0xdb8) return "a documentation address (2001:db8::/32)";
  if (first === 0x2002) return `a 6to4 address (2002::/16) for ${formatIPv4(second * 65536 + groups[2]!)}`;
  if (first === 0x3ffe) return "a retired 6bone address (3ffe::/16)";
  if (first === 0x3fff && second < 0x1000) return "a documentation address (3fff::/20)";
  return null;
}
