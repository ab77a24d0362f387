// What output scanning costs the relay, and that it stays linear: the relay's own work per delta
// (ReplyBuilder, the stream redactor, chunk serialisation and encoding, exactly as sseResponse writes)
// for 200 KB replies in tiny deltas, scanning off and on, at 20 KB and 200 KB; 50,000 one-character
// deltas; and the other text scans of the hardening work (blocked terms, JSON-aware redaction) on
// adversarial text at 20 KB and 200 KB. Runs in-process, no gateway needed:
//   npx tsx scripts/bench/outputScanCost.ts    (also part of `npm run bench`)
import type { TextStreamPart, ToolSet } from "ai";
import { findBlockedTerm } from "../../convex/model/blockedTerms";
import { ReplyBuilder } from "../../convex/openai/replyBuilder";
import { ChunkWriter } from "../../convex/gateway/sseResponse";
import { StreamRedactor } from "../../convex/pii/streamRedactor";
import { redactText } from "../../convex/pii/redactText";

const SMALL = 20_000;
const LARGE = 200_000;
const DELTA_LENGTH = 4;
const TINY_DELTAS = 50_000;
const RUNS = 5;

const KEY_LINE = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun";

/** Replies a model may stream, each `length` characters long. */
const REPLIES: Record<string, (length: number) => string> = {
  "PEM block, footer last": (length) => pemBlock(length, "-----END RSA PRIVATE KEY-----"),
  "PEM block, no footer": (length) => pemBlock(length, ""),
  "prose with PII": (length) => repeatTo("Mail jane.doe@example.com or call +1 415 555 0134 about card 4111 1111 1111 1111. ", length),
  "one word, no spaces": (length) => repeatTo("QWxhZGRpbjpvcGVuIHNlc2FtZQ", length),
  "indented YAML": (length) => repeatTo("  - name: item\n    value: 12345 words here\n", length),
};

export interface StreamCost {
  reply: string;
  scan: boolean;
  /** Fastest of RUNS, ms, for the whole reply in DELTA_LENGTH-character deltas. */
  smallMs: number;
  largeMs: number;
  /** largeMs / smallMs: 10 is linear, 100 quadratic. */
  ratio: number;
  microsecondsPerDelta: number;
}

export interface TextScanCost {
  scan: string;
  smallMs: number;
  largeMs: number;
  ratio: number;
}

export interface OutputScanFigures {
  streams: StreamCost[];
  tinyDeltas: Array<{ scan: boolean; deltas: number; microsecondsPerDelta: number }>;
  textScans: TextScanCost[];
}

export function measureOutputScanning(): OutputScanFigures {
  const streams: StreamCost[] = [];
  for (const [reply, make] of Object.entries(REPLIES)) {
    for (const scan of [false, true]) {
      const small = fastest(() => relay(make(SMALL), DELTA_LENGTH, scan));
      const large = fastest(() => relay(make(LARGE), DELTA_LENGTH, scan));
      streams.push({ reply, scan, smallMs: small, largeMs: large, ratio: large / Math.max(small, 0.05), microsecondsPerDelta: (large * 1000) / (LARGE / DELTA_LENGTH) });
    }
  }
  const tinyDeltas = [false, true].map((scan) => {
    const text = repeatTo("Hello there, how are you today? ", TINY_DELTAS);
    return { scan, deltas: TINY_DELTAS, microsecondsPerDelta: (fastest(() => relay(text, 1, scan)) * 1000) / TINY_DELTAS };
  });
  const terms = Array.from({ length: 50 }, (_, index) => `blocked phrase number ${index}`).concat(["forbidden", "Project Falcon"]);
  const textScans: TextScanCost[] = [
    textScan("blocked terms (52), prose", (length) => repeatTo("Some ordinary words, with punctuation; and more. ", length), (text) => findBlockedTerm(terms, [{ role: "user", content: text }])),
    textScan("blocked terms, near misses", (length) => repeatTo("project falco blocked phrase number forbidde ", length), (text) => findBlockedTerm(terms, [{ role: "user", content: text }])),
    textScan("blocked terms, phrase then separators", (length) => `project${"-".repeat(length - 7)}`, (text) => findBlockedTerm(terms, [{ role: "user", content: text }])),
    textScan("blocked terms, escapes and zero-width", (length) => repeatTo("\\u0066\u200Bo\\n", length), (text) => findBlockedTerm(terms, [{ role: "user", content: text }])),
    textScan("redactText, JSON of small strings", (length) => jsonOfStrings(length), (text) => redactText(text)),
    textScan("redactText, JSON nested in strings", (length) => nestedJson(length), (text) => redactText(text)),
    textScan("redactText, JSON array of two-letter strings", (length) => `[${repeatTo('"ab",', length - 6)}"ab"]`, (text) => redactText(text)),
    textScan("redactText, JSON array of 7-digit numbers", (length) => `[${repeatTo("1234567,", length - 9)}1234567]`, (text) => redactText(text)),
    textScan("redactText, escapes in text", (length) => repeatTo("a\\n\\u0040\\t", length), (text) => redactText(text)),
  ];
  return { streams, tinyDeltas, textScans };
}

/** The relay's per-delta work for one reply: builder, redactor, chunk JSON, SSE framing, UTF-8 encoding. */
function relay(text: string, deltaLength: number, scan: boolean): void {
  const encoder = new TextEncoder();
  let bytes = 0;
  const out = new ChunkWriter((chunk) => (bytes += encoder.encode(chunk).length), { id: "chatcmpl-bench", created: 0, model: "bot" }, false, () => false);
  const builder = new ReplyBuilder(scan ? new StreamRedactor() : null);
  for (let offset = 0; offset < text.length; offset += deltaLength) {
    const event = builder.accept({ type: "text-delta", id: "t", text: text.slice(offset, offset + deltaLength) } as TextStreamPart<ToolSet>);
    if (event?.kind === "delta") out.delta(event.delta);
  }
  const finish = builder.accept({
    type: "finish",
    finishReason: "stop",
    rawFinishReason: "stop",
    totalUsage: { inputTokens: 1, outputTokens: 1, totalTokens: 2, inputTokenDetails: { noCacheTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 }, outputTokenDetails: { textTokens: 1, reasoningTokens: 0 } },
  } as TextStreamPart<ToolSet>);
  if (finish?.kind === "finish") {
    if (finish.content) out.delta({ content: finish.content });
    out.finish(finish.finishReason, finish.usage);
  }
  if (bytes === 0) throw new Error("nothing was written");
}

function textScan(scan: string, make: (length: number) => string, run: (text: string) => unknown): TextScanCost {
  const small = make(SMALL);
  const large = make(LARGE);
  const smallMs = fastest(() => run(small));
  const largeMs = fastest(() => run(large));
  return { scan, smallMs, largeMs, ratio: largeMs / Math.max(smallMs, 0.05) };
}

function fastest(run: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < RUNS; attempt++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

function pemBlock(length: number, footer: string): string {
  const header = "Here is the key:\n-----BEGIN RSA PRIVATE KEY-----\n";
  const tail = footer === "" ? "" : `\n${footer}\nDone.`;
  return header + repeatTo(`${KEY_LINE}\n`, length - header.length - tail.length) + tail;
}

function jsonOfStrings(length: number): string {
  const items: string[] = [];
  let size = 2;
  for (let index = 0; size < length; index++) {
    const item = JSON.stringify({ id: index, note: index % 10 === 0 ? `mail u${index}@example.com\n` : "ok, nothing here" });
    items.push(item);
    size += item.length + 1;
  }
  return `[${items.join(",")}]`;
}

function nestedJson(length: number): string {
  let value = "x";
  while (value.length < length) value = JSON.stringify({ inner: value, mail: "a@example.com" });
  return value;
}

function repeatTo(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

function format(value: number): string {
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

export function printOutputScanning(figures: OutputScanFigures): void {
  console.log(`\nOutput scanning: relay work for a reply in ${DELTA_LENGTH}-character deltas (fastest of ${RUNS}), scanning off / on`);
  console.log("reply | scan | 20 KB ms | 200 KB ms | 200/20 | µs per delta");
  for (const row of figures.streams) {
    console.log(`${row.reply} | ${row.scan ? "on" : "off"} | ${format(row.smallMs)} | ${format(row.largeMs)} | ${row.ratio.toFixed(1)}x | ${row.microsecondsPerDelta.toFixed(2)}`);
  }
  for (const row of figures.tinyDeltas) console.log(`${row.deltas} one-character deltas, scanning ${row.scan ? "on" : "off"}: ${row.microsecondsPerDelta.toFixed(2)} µs per delta`);
  console.log(`\nText scans at 20 KB and 200 KB (fastest of ${RUNS})`);
  console.log("scan | 20 KB ms | 200 KB ms | 200/20");
  for (const row of figures.textScans) console.log(`${row.scan} | ${format(row.smallMs)} | ${format(row.largeMs)} | ${row.ratio.toFixed(1)}x`);
}

if (import.meta.url === `file://${process.argv[1]}`) printOutputScanning(measureOutputScanning());
