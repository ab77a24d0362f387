// Builds the labelled PII corpus at convex/pii/fixtures/corpus.json: synthetic or reserved values
// (example domains, 555-01xx and Ofcom drama numbers, network test cards, registry example IBANs,
// documentation IP ranges, fabricated tokens) placed in varied surroundings, plus hard negatives
// that look like PII and are not. Deterministic: a seeded generator makes the fabricated tokens.
// Run: npx tsx scripts/bench/pii/make-corpus.ts
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isIbanChecksumValid } from "../../../convex/pii/iban";
import { isLuhnValid } from "../../../convex/pii/luhn";
import type { CorpusCase } from "../../../convex/pii/score";
import type { PiiCategory } from "../../../convex/pii/categories";
import { seededRandom } from "./seeded-random";

const OUTPUT = fileURLToPath(new URL("../../../convex/pii/fixtures/corpus.json", import.meta.url));

const random = seededRandom(20240501);

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const BASE64URL = `${ALPHANUMERIC}-_`;
const BASE64 = `${ALPHANUMERIC}+/`;

function randomText(alphabet: string, length: number): string {
  let text = "";
  for (let index = 0; index < length; index++) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

function base64Url(json: object): string {
  return Buffer.from(JSON.stringify(json)).toString("base64url");
}

// ---- Positive values, by category ----

const EMAILS = [
  "jane.doe@example.com", "john.smith@example.org", "ops-team@mail.example.net", "first_last@sub.example.com",
  "USER123@EXAMPLE.COM", "j.doe+billing@example.org", "support@shop.example", "noreply@notifications.example.test",
  "billing.dept@accounts.example.com", "a.b.c@example.net", "x@example.com", "dev+ci@build.example.org",
  "maria.garcia@correo.example", "li.wei@mail.example.test", "user%tag@example.com", "team@eu.example.com",
  "sales@example.invalid", "admin@intranet.example.org", "hr@corp.example.net", "test.user.2024@example.com",
  "a1b2c3@example.org", "security@example.com", "alerts@monitoring.example.net", "jp@example.test",
  "Finance.Team@Example.Org", "info@company.example", "customer.care@help.example.com",
  "data-protection@privacy.example.org", "bob@example.net", "alice_w@example.com", "k.tanaka@jp.example.com",
  "m.mueller@de.example.org", "invoices+2024@example.com", "qa-bot@ci.example.test", "x.y@z.example.net",
  "long.name.with.many.parts@deeply.nested.sub.example.com", "marketing@example.org", "devnull@example.invalid",
  "pat.lee@example.com", "sam@mail.example", "r2d2@droids.example", "contact@example.net", "yuki.sato@example.com",
  "eng-oncall@pager.example.org", "hello@example.com", "renee.dupont@exemple.example", "o.k@example.net",
];

const PHONES = [
  "(415) 555-0134", "415-555-0199", "415.555.0142", "+1 415 555 0123", "+1-212-555-0187", "+14155550100",
  "1-800-555-0199", "(212) 555-0147", "646.555.0163", "+1 (312) 555-0110", "202-555-0175", "(617) 555-0128",
  "020 7946 0958", "+44 20 7946 0321", "07700 900123", "+44 7700 900456", "0113 496 0789", "0117 496 0234",
  "0161 496 0555", "01632 960123", "+44 (0)20 7946 0111", "028 9018 0345", "0044 20 7946 0999", "+447700900789",
  "030 123456", "030 12345678", "+49 30 12345678", "089 1234567", "0171 1234567", "+49 171 1234567",
  "030/1234567", "040 123 456 78", "+49-89-1234-5678", "01 99 00 12 34", "+33 1 99 00 56 78", "06 39 98 12 34",
  "01.99.00.45.67", "+33 6 39 98 76 54", "04 99 00 11 22", "+61 491 570 156", "+353 20 910 1234",
  "+31 20 123 4567", "+34 612 345 678", "+39 06 1234 5678", "+81 3-1234-5678", "+91 98765 43210",
  "+55 11 91234-5678", "(020) 7946 0432", "0118 496 0672", "+1.415.555.0156", "713-555-0102", "(303) 555-0119",
];

const CARD_NUMBERS = [
  "4111111111111111", "4242424242424242", "4012888888881881", "4000056655665556", "4222222222222",
  "4000002500003155", "4000000760000002", "4000001240000000", "5555555555554444", "5105105105105100",
  "5200828282828210", "2223003122003222", "5454545454545454", "2223000048400011", "378282246310005",
  "371449635398431", "378734493671000", "340000000000009", "6011111111111117", "6011000990139424",
  "6011981111111113", "30569309025904", "38520000023237", "36227206271667", "3056930009020004",
  "3530111333300000", "3566002020360505", "3566111111111113", "6200000000000005", "6250941006528599",
  "6205500000000000004", "4000000000003220", "4000003800000008", "5200000000001096",
];

/** Writes a card the way people do: bare, in fours with spaces or dashes, or 4-6-5 for Amex. */
function formatCard(number: string, style: number): string {
  if (style === 0) return number;
  const separator = style === 1 ? " " : "-";
  if (number.length === 15 || number.length === 14) {
    return [number.slice(0, 4), number.slice(4, 10), number.slice(10)].join(separator);
  }
  return number.match(/.{1,4}/g)?.join(separator) ?? number;
}

function makeSsns(count: number): string[] {
  const ssns = ["123-45-6789", "219-09-9999", "536 22 8726", "001-01-0001", "665-99-9999", "667-12-3456", "899-01-2345"];
  while (ssns.length < count) {
    let area = 1 + Math.floor(random() * 899);
    if (area === 666) area = 667;
    const group = 1 + Math.floor(random() * 99);
    const serial = 1 + Math.floor(random() * 9999);
    const separator = ssns.length % 4 === 0 ? " " : "-";
    ssns.push(
      [String(area).padStart(3, "0"), String(group).padStart(2, "0"), String(serial).padStart(4, "0")].join(separator),
    );
  }
  return ssns;
}

// The example IBANs published for each country in the SWIFT registry and national bank docs.
const IBANS = [
  "GB82 WEST 1234 5698 7654 32", "DE89 3704 0044 0532 0130 00", "FR14 2004 1010 0505 0001 3M02 606",
  "NL91 ABNA 0417 1643 00", "BE68 5390 0754 7034", "ES91 2100 0418 4502 0005 1332", "IT60 X054 2811 1010 0000 0123 456",
  "CH93 0076 2011 6238 5295 7", "AT61 1904 3002 3457 3201", "DK50 0040 0440 1162 43", "FI21 1234 5600 0007 85",
  "NO93 8601 1117 947", "SE45 5000 0000 0583 9825 7466", "PL61 1090 1014 0000 0712 1981 2874",
  "PT50 0002 0123 1234 5678 9015 4", "IE29 AIBK 9311 5212 3456 78", "LU28 0019 4006 4475 0000",
  "GR16 0110 1250 0000 0001 2300 695", "CZ65 0800 0000 1920 0014 5399", "HU42 1177 3016 1111 1018 0000 0000",
  "SK31 1200 0000 1987 4263 7541", "SI56 2633 0001 2039 086", "HR12 1001 0051 8630 0016 0",
  "RO49 AAAA 1B31 0075 9384 0000", "BG80 BNBG 9661 1020 3456 78", "EE38 2200 2210 2014 5685",
  "LT12 1000 0111 0100 1000", "LV80 BANK 0000 4351 9500 1", "MT84 MALT 0110 0001 2345 MTLC AST0 01S",
  "CY17 0020 0128 0000 0012 0052 7600", "IS14 0159 2600 7654 5510 7303 39", "LI21 0881 0000 2324 013A A",
  "MC58 1122 2000 0101 2345 6789 030", "SM86 U032 2509 8000 0000 0270 100", "TR33 0006 1005 1978 6457 8413 26",
  "SA03 8000 0000 6080 1016 7519", "AE07 0331 2345 6789 0123 456", "IL62 0108 0000 0009 9999 999",
  "KW81 CBKU 0000 0000 0000 1234 5601 01", "QA58 DOHB 0000 1234 5678 90AB CDEF G", "BH67 BMAG 0000 1299 1234 56",
  "JO94 CBJO 0010 0000 0000 0131 0003 02", "BR97 0036 0305 0000 1000 9795 493P 1", "MU17 BOMM 0101 1010 3030 0200 000M UR",
  "PK36 SCBL 0000 0011 2345 6702", "GE29 NB00 0000 0101 9049 17", "AZ21 NABZ 0000 0000 1370 1000 1944",
  "AL47 2121 1009 0000 0002 3569 8741", "AD12 0001 2030 2003 5910 0100", "BA39 1290 0794 0102 8494",
];

const IPV4_ADDRESSES = [
  "192.0.2.1", "198.51.100.23", "203.0.113.254", "10.0.0.1", "172.16.254.3", "192.168.1.100", "127.0.0.1",
  "0.0.0.0", "255.255.255.255", "192.0.2.10", "198.51.100.7", "100.64.0.1", "203.0.113.5", "10.12.34.56",
  "192.168.0.254", "172.31.255.1", "198.18.0.42", "192.0.2.200", "203.0.113.77", "10.255.0.9",
  "169.254.10.20", "198.51.100.250", "192.168.100.1", "10.0.2.15", "203.0.113.18", "192.0.2.99",
];

const IPV6_ADDRESSES = [
  "2001:db8::1", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:db8:85a3::8a2e:370:7334", "fe80::1", "::1",
  "::ffff:192.0.2.128", "2001:db8::", "2001:db8::42", "fe80::200:5eff:fe00:5213", "64:ff9b::198.51.100.7",
  "2001:db8:0:0:1:0:0:1", "fd00::abcd:1234", "2001:DB8:ABCD:12::7", "2001:db8:1234:5678:9abc:def0:1234:5678",
  "fe80::a00:27ff:fe4e:66a1", "2001:db8::ff00:42:8329", "fd12:3456:789a:1::1", "2001:db8:cafe::17",
  "::ffff:10.0.0.1", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001", "2001:db8:3c4d:15::1a2f:1a2b", "fe80::1ff:fe23:4567:890a",
  "2001:db8::8:800:200c:417a", "2001:db8:0:1::101",
];

function makeApiKeys(): string[] {
  const jwt = (payload: object) =>
    `${base64Url({ alg: "HS256", typ: "JWT" })}.${base64Url(payload)}.${randomText(BASE64URL, 43)}`;
  const pem = (label: string, lines: number, newline: string) =>
    [
      `-----BEGIN ${label}-----`,
      ...Array.from({ length: lines }, () => randomText(BASE64, 64)),
      `${randomText(BASE64, 20)}==`,
      `-----END ${label}-----`,
    ].join(newline);
  return [
    `sk-proj-${randomText(BASE64URL, 74)}T3BlbkFJ${randomText(BASE64URL, 74)}`,
    `sk-proj-${randomText(ALPHANUMERIC, 48)}`,
    `sk-${randomText(ALPHANUMERIC, 20)}T3BlbkFJ${randomText(ALPHANUMERIC, 20)}`,
    `sk-${randomText(ALPHANUMERIC, 48)}`,
    `sk-svcacct-${randomText(BASE64URL, 90)}`,
    `sk-admin-${randomText(BASE64URL, 60)}`,
    `sk-ant-api03-${randomText(BASE64URL, 93)}AA`,
    `sk-ant-api03-${randomText(BASE64URL, 93)}AA`,
    `sk-ant-admin01-${randomText(BASE64URL, 93)}AA`,
    "AKIAIOSFODNN7EXAMPLE",
    "AKIAI44QH8DHBEXAMPLE",
    `AKIA${randomText("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`,
    `ASIA${randomText("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`,
    `ASIA${randomText("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`,
    `ghp_${randomText(ALPHANUMERIC, 36)}`,
    `ghp_${randomText(ALPHANUMERIC, 36)}`,
    `gho_${randomText(ALPHANUMERIC, 36)}`,
    `ghu_${randomText(ALPHANUMERIC, 36)}`,
    `ghs_${randomText(ALPHANUMERIC, 36)}`,
    `ghr_${randomText(ALPHANUMERIC, 36)}`,
    `github_pat_11${randomText("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20)}_${randomText(ALPHANUMERIC, 59)}`,
    `github_pat_11${randomText("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20)}_${randomText(ALPHANUMERIC, 59)}`,
    `xoxb-${randomText("0123456789", 12)}-${randomText("0123456789", 13)}-${randomText(ALPHANUMERIC, 24)}`,
    `xoxp-${randomText("0123456789", 12)}-${randomText("0123456789", 12)}-${randomText("0123456789", 13)}-${randomText("abcdef0123456789", 32)}`,
    `xoxa-2-${randomText(ALPHANUMERIC, 40)}7`,
    `xoxr-${randomText("0123456789", 10)}-${randomText(ALPHANUMERIC, 30)}`,
    `xoxs-${randomText("0123456789", 12)}-${randomText(ALPHANUMERIC, 32)}`,
    `sk_live_${randomText(ALPHANUMERIC, 24)}`,
    `sk_live_51${randomText(ALPHANUMERIC, 97)}`,
    `rk_live_${randomText(ALPHANUMERIC, 24)}`,
    `sk_test_${randomText(ALPHANUMERIC, 24)}`,
    `rk_test_51${randomText(ALPHANUMERIC, 60)}`,
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    jwt({ sub: "user_8812", iat: 1714550400, exp: 1714554000 }),
    jwt({ iss: "https://auth.example.com", aud: "gateway", scope: "chat:write" }),
    jwt({ tenant: "acme", role: "admin", iat: 1714550400 }),
    `${base64Url({ alg: "RS256", kid: "key-1" })}.${base64Url({ sub: "svc", exp: 1893456000 })}.${randomText(BASE64URL, 342)}`,
    `${base64Url({ alg: "none" })}.${base64Url({ sub: "anonymous" })}.`,
    pem("RSA PRIVATE KEY", 6, "\n"),
    pem("PRIVATE KEY", 4, "\n"),
    pem("EC PRIVATE KEY", 2, "\n"),
    pem("OPENSSH PRIVATE KEY", 5, "\n"),
    pem("ENCRYPTED PRIVATE KEY", 3, "\n"),
    pem("RSA PRIVATE KEY", 3, "\\n"),
    pem("PRIVATE KEY", 2, "\\n"),
  ];
}

// ---- Surroundings ----

type Context = (value: string) => string;

/** Used for every category: sentence positions, punctuation, markup, JSON, non-ASCII text. */
const GENERIC_CONTEXTS: Context[] = [
  (value) => value,
  (value) => `Please use ${value} for this.`,
  (value) => `{"value":"${value}","ok":true}`,
  (value) => `Contact: ${value}`,
  (value) => `(${value})`,
  (value) => `- ${value}\n- done`,
  (value) => `Mon collègue a noté ${value} — merci ! 🙂`,
  (value) => `«${value}»`,
  (value) => `| ${value} | active |`,
  (value) => `<td>${value}</td>`,
  (value) => `"${value}",`,
  (value) => `The value is ${value}.`,
  (value) => `Ticket 4821: the customer wrote "${value}" in the form.`,
  (value) => `日本語のテキスト ${value} です`,
  (value) => `${value}\nthanks`,
  (value) => `Ça coûte 12,50 € — voir ${value}; ok?`,
];

const CATEGORY_CONTEXTS: Record<PiiCategory, Context[]> = {
  email: [
    (value) => `Send the report to ${value} by 2024-05-01.`,
    (value) => `<a href="mailto:${value}">write to us</a>`,
    (value) => `From: Support Desk <${value}>`,
    (value) => `user.email = "${value}"`,
    (value) => `Reply-To:${value}`,
    (value) => `email=${value}&plan=pro`,
  ],
  phone: [
    (value) => `Call me at ${value} after 5pm.`,
    (value) => `Phone: ${value} (mobile)`,
    (value) => `tel:${value}`,
    (value) => `Ring ${value}, ask for billing.`,
    (value) => `"phone": "${value}"`,
    (value) => `Numéro : ${value}`,
  ],
  credit_card: [
    (value) => `Card number: ${value}, exp 12/27`,
    (value) => `charged to ${value} on 2024-05-01`,
    (value) => `{"card": "${value}", "cvc": "123"}`,
    (value) => `pay with ${value} please`,
    (value) => `cc=${value}`,
  ],
  ssn: [
    (value) => `SSN: ${value}`,
    (value) => `social security number ${value} on file`,
    (value) => `ssn=${value}&dob=1990-01-01`,
    (value) => `My SSN is ${value}.`,
  ],
  iban: [
    (value) => `IBAN: ${value}`,
    (value) => `Please wire 1.250,00 EUR to ${value} (BIC DEUTDEFF).`,
    (value) => `"iban":"${value}"`,
    (value) => `Kontonummer ${value} bitte.`,
  ],
  ip_address: [
    (value) => `Connection from ${value} refused`,
    (value) => `client_ip=${value} status=403`,
    (value) => `ping ${value}`,
    (value) => `"remote_addr": "${value}"`,
  ],
  api_key: [
    (value) => `export OPENAI_API_KEY=${value}`,
    (value) => `Authorization: Bearer ${value}`,
    (value) => `const token = '${value}';`,
    (value) => `api_key: ${value}`,
    (value) => `headers = {"x-api-key": "${value}"}`,
  ],
};

/** Contexts that only make sense for one shape of value. */
const IPV4_CONTEXTS: Context[] = [(value) => `curl http://${value}:8080/health`, (value) => `allow ${value}/32;`];
const IPV6_CONTEXTS: Context[] = [(value) => `curl http://[${value}]:8080/health`, (value) => `listen [${value}]:443;`];

function placeIn(category: PiiCategory, values: string[], extra: Context[] = []): CorpusCase[] {
  const contexts = [...CATEGORY_CONTEXTS[category], ...extra, ...GENERIC_CONTEXTS];
  return values.map((value, index) => {
    const context = contexts[(index * 7 + category.length) % contexts.length] ?? ((text: string) => text);
    return { text: context(value), entities: [{ category, value }] };
  });
}

/** Several values in one text, as in a pasted form or a support thread. */
function mixedCases(): CorpusCase[] {
  return [
    {
      text: "Name: —, email: jane.doe@example.com, phone: (415) 555-0134, card 4111 1111 1111 1111 exp 09/28.",
      entities: [
        { category: "email", value: "jane.doe@example.com" },
        { category: "phone", value: "(415) 555-0134" },
        { category: "credit_card", value: "4111 1111 1111 1111" },
      ],
    },
    {
      text: '{"user":{"email":"ops@example.org","ssn":"123-45-6789","iban":"DE89370400440532013000"},"ip":"203.0.113.9"}',
      entities: [
        { category: "email", value: "ops@example.org" },
        { category: "ssn", value: "123-45-6789" },
        { category: "iban", value: "DE89370400440532013000" },
        { category: "ip_address", value: "203.0.113.9" },
      ],
    },
    {
      text: "2024-05-01T12:30:45Z WARN login failed for bob@example.net from 2001:db8::7 (attempt 3 of 5)",
      entities: [
        { category: "email", value: "bob@example.net" },
        { category: "ip_address", value: "2001:db8::7" },
      ],
    },
    {
      text: "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_REGION=eu-west-1\nSUPPORT_PHONE=+44 20 7946 0018",
      entities: [
        { category: "api_key", value: "AKIAIOSFODNN7EXAMPLE" },
        { category: "phone", value: "+44 20 7946 0018" },
      ],
    },
    {
      text: "Überweisung an GB82WEST12345698765432, Rückfragen unter 030 12345678 oder kontakt@firma.example.",
      entities: [
        { category: "iban", value: "GB82WEST12345698765432" },
        { category: "phone", value: "030 12345678" },
        { category: "email", value: "kontakt@firma.example" },
      ],
    },
    {
      text: "Customer 🙂 paid with 5555-5555-5555-4444, SSN 078-05-1120, reach at 212.555.0188 or 198.51.100.14.",
      entities: [
        { category: "credit_card", value: "5555-5555-5555-4444" },
        { category: "ssn", value: "078-05-1120" },
        { category: "phone", value: "212.555.0188" },
        { category: "ip_address", value: "198.51.100.14" },
      ],
    },
  ];
}

// ---- Hard negatives: shaped like PII, but not ----

const HARD_NEGATIVES = [
  // Order, invoice, ticket and tracking numbers
  "Your order ORD-2024-000123 has shipped.", "Order #100234567 was cancelled.", "PO-88812-A approved",
  "Refund for order 2024051234 is pending.", "Invoice INV-2024-0042 is due.", "Invoice 000482913 attached.",
  "Tracking: 1Z999AA10123456784", "USPS tracking 9400111899223397658538", "FedEx 123456789012 out for delivery",
  "Case CS-0042-7781 escalated", "RMA 55-0134-22 received", "Ticket #4155550134",
  "Booking ref 4111-AB-2024", "Policy no. 123-456-789-0", "SKU 4006381333931",
  // Dates and times
  "Due 2024-05-01.", "Signed on 05/01/2024.", "Datum: 01.05.2024", "Meeting May 1, 2024 at 10:00",
  "2024/05/01 backup", "Build 20240501 passed", "Timestamp 2024-05-01T12:30:45Z", "Mon, 01 May 2024 12:30:45 GMT",
  "Started at 12:30:45", "ETA 09:15", "took 23:59:59.999", "elapsed 00:12:30.500", "Open 10:00-12:00 and 14:00-18:00",
  "from 1999-2024", "unix time 1714550400", "epoch ms 1714550400123", "Q1 2024-03-31", "Week 2024-W18",
  "01.05.2024 12:30", "le 01/05/2024 à 08h30", "2024-05-01 09:30:00.000000+00:00",
  // Versions and identifiers
  "Upgrade to 1.2.3 now.", "running v10.4.12.1 in prod", "release 2.0.0-beta.4", "node 20.11.1 and npm 10.2.4",
  "schema 1.2.3.4.5", "Chrome 124.0.6367.91", "Windows 10.0.19045.4291", "iOS 17.4.1", "OID 1.3.6.1.4.1.311",
  "see RFC 2616 section 14.9.3", "ver. v1.2.3.4", "pip install numpy==1.26.4", "\"^1.2.3 || ~2.0.0\"",
  "HTTP/1.1 200 OK", "libssl.so.1.1.1", "python3.11", "Kubernetes 1.29.3-gke.1282001",
  // UUIDs, hashes, base64
  "id 550e8400-e29b-41d4-a716-446655440000", "request_id=123e4567-e89b-12d3-a456-426614174000",
  "UUID 6BA7B810-9DAD-11D1-80B4-00C04FD430C8", "commit 3f786850e387550fdab836ed7e6dc881de23001b",
  "fixed in a1b2c3d", "sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "md5 d41d8cd98f00b204e9800998ecf8427e", "data: dGhpcyBpcyBub3QgYSBzZWNyZXQ=",
  "etag W/\"5e15153d-120f\"", "trace 4bf92f3577b34da6a3ce929d0e0e4736", "span 00f067aa0ba902b7",
  "eyJhbGciOiJIUzI1NiJ9 is only a header", "ObjectId(507f1f77bcf86cd799439011)",
  // Prices and amounts
  "Total: $1,299.99", "Price €1.299,99", "£12.50 each", "USD 4,500,000.00", "1 299,99 € TTC",
  "balance 1234567.89", "population 8,045,311,447", "costs $4,111.11 per year", "$0.99/month",
  "revenue 5555554444 USD", "-122.4194, 37.7749", "lat 51.5074 lon -0.1278", "π ≈ 3.14159", "6.022e23 molecules",
  "temperature -40.5°C", "1,000,000 requests", "+12.5%", "+1234 lines, -567 lines", "score 98.6 / 100",
  // Numbers that fail the card checks
  "4111 1111 1111 1112", "5555-5555-5555-4445", "1234 5678 9012 3456", "0000 0000 0000 0000",
  "9999 9999 9999 9995", "Account 1234567890123452", "gift card 6035 3112 3456 7890", "12345678901234567890",
  "ISBN 978-3-16-148410-0", "ISBN 0-306-40615-2", "ISBN 9780306406157", "EAN 5901234123457",
  // Numbers that fail the SSN ranges or shape
  "000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "123-45-0000", "987-65-4321",
  "SSN 123456789 (no dashes)", "ZIP 94103-1234", "call 911", "room 555", "ext. 0134", "PIN 1234",
  "1-2-3-4", "12-34-56", "version 123-45-6789-1",
  // IBAN look-alikes
  "GB82 WEST 1234 5698 7654 33", "DE89 3704 0044 0532 0130 01", "XX12 3456 7890 1234 56",
  "GB82 WEST 1234 5698 7654", "DE89370400440532013001", "NL91ABNA041716430", "model AB12 CDEF",
  "flight BA12 3456", "ISO AB12", "US12 3456 7890 1234",
  // IP look-alikes
  "999.1.1.1", "256.256.256.256", "1.2.3.4.5", "192.168.1", "10.0.0.256", "01.02.03.04",
  "MAC 00:1A:2B:3C:4D:5E", "MAC 00-1A-2B-3C-4D-5E", "color #ff5733", "::", "std::vector<int>",
  "Foo::Bar::baz()", "localhost:3000", "ab:cd:ef:01:23:45", "1:2:3:4:5:6:7:8:9", "2001:db8::1::2",
  "12:30", "a::b", "ratio 16:9", "Matthew 5:3-12", "C:\\Users\\me\\file.txt", "see 3.2.1.0-rc1",
  // Secret look-alikes
  "pip install sk-learn", "the task-force met", "sk-this-is-not-a-real-key", "the AKIA prefix",
  "ghp_abc is too short", "xoxb- is the bot prefix", "the sk_live_ prefix marks live keys",
  "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUR4\n-----END CERTIFICATE-----",
  "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
  "sk-proj-", "Bearer <token>", "api_key: YOUR_API_KEY", "password: ********", "AKIA1234",
  "ASIAN markets rallied", "SKU sk-2024-blue-xl", "eyJ", "xoxo, Sam", "github_pat_ is the new format",
  // Email look-alikes
  "@username", "mention @team-lead please", "foo@", "a@b", "logo@2x.png", "icon@3x.jpg",
  "npm i @types/node@20.11.1", "version@1.2.3", "user at example dot com", "ssh -p 2222 host",
  // Prose with numbers
  "We shipped 3 releases in 2024 across 12 regions.", "Chapter 7, verses 1-20.", "Gate B12, seat 14C.",
  "Call back in 15 minutes.", "The 4 x 100 m relay took 37.04 s.", "Room 101, floor 3, building 2.",
];

function buildCorpus(): CorpusCase[] {
  const cards = CARD_NUMBERS.flatMap((number, index) => [formatCard(number, index % 3)]).concat(
    CARD_NUMBERS.slice(0, 16).map((number, index) => formatCard(number, (index + 1) % 3)),
  );
  const ibans = IBANS.map((iban, index) => (index % 3 === 2 ? iban.replace(/ /g, "") : iban));
  return [
    ...placeIn("email", EMAILS),
    ...placeIn("phone", PHONES),
    ...placeIn("credit_card", cards),
    ...placeIn("ssn", makeSsns(42)),
    ...placeIn("iban", ibans),
    ...placeIn("ip_address", IPV4_ADDRESSES, IPV4_CONTEXTS),
    ...placeIn("ip_address", IPV6_ADDRESSES, IPV6_CONTEXTS),
    ...placeIn("api_key", makeApiKeys()),
    ...mixedCases(),
    ...HARD_NEGATIVES.map((text) => ({ text, entities: [] })),
  ];
}

/** The corpus must only hold values that are valid for their category, or the scores mean nothing. */
function checkValues(corpus: CorpusCase[]): void {
  for (const { text, entities } of corpus) {
    for (const { category, value } of entities) {
      if (!text.includes(value)) throw new Error(`value ${value} is not in its text`);
      const compact = value.replace(/[ -]/g, "");
      if (category === "credit_card" && !isLuhnValid(compact)) throw new Error(`card ${value} fails Luhn`);
      if (category === "iban" && !isIbanChecksumValid(value.replace(/ /g, ""))) {
        throw new Error(`IBAN ${value} fails mod-97`);
      }
    }
  }
}

const corpus = buildCorpus();
checkValues(corpus);
writeFileSync(OUTPUT, `${JSON.stringify(corpus, null, 1)}\n`);
const positives = corpus.flatMap((entry) => entry.entities);
const negatives = corpus.filter((entry) => entry.entities.length === 0).length;
console.log(`wrote ${corpus.length} cases: ${positives.length} labelled values, ${negatives} hard negatives`);
