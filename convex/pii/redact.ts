// Replaces each finding with its category's placeholder and counts what was replaced, plus the
// helper that sums counts across the messages of a transcript.
import { PII_PLACEHOLDERS, type PiiCategory, type PiiCounts, type PiiFinding, type Span } from "./categories";
import { phraseMayContinueAt } from "./assignedSecrets";
import { ANY_PLACEHOLDER, withNeighbours, type HelpedBy, type LaterPassDetector, type WrittenPlaceholder } from "./besidePlaceholders";
import { DETECTORS_BESIDE_PLACEHOLDERS, findPii } from "./findPii";
import { resolveOverlaps } from "./overlaps";
import { scansAfterRedaction, scansOnLines, scanText, type TextScans } from "./textScans";

/**
 * A value glued to another may only show once its neighbour is a placeholder (a GitHub token run
 * into an address: "ghp_...jane.doe@example.com" leaves "[API_KEY].doe@example.com"), so after a
 * pass that had findings the text is scanned again, at most this many passes in all. Texts
 * without findings, most of them, are scanned once; a later pass scans only the lines that the
 * pass before wrote placeholders on (see `RESCAN_BOUNDARY`), and in `redactPii` runs each of the
 * six detectors a placeholder can help only on the lines holding a placeholder that can help it
 * (DETECTORS_BESIDE_PLACEHOLDERS). On the benchmark's 5 MB of chat-like text, where findings are
 * dense (12,758 placeholders, on lines holding 66% of the text), that is 501 lines for the
 * detector with the most, and the later pass takes 6 ms of `redactPii`'s 86 (fastest of 21, load
 * 1.6, 2026-11-30; 17.5 ms when every detector scanned every such line, docs/pii.md).
 */
export const MAX_PASSES = 4;

/**
 * The rescan bound, for every detector at once: a line. Detectors do not read across a line
 * break: every pattern's character classes, every walk (tokens, addresses, digit groups, names and
 * values, quoted values) and every look-back for context (phone and SSN labels, version words,
 * password words, `-u` before `-p`) stops at "\n", and JSON escapes never hold one. Two
 * exceptions. A private key block cannot be found by a later pass: every header was inside a
 * first-pass finding, and a placeholder (it holds "[" and "]") cannot complete a new one. A
 * password phrase may take its link from the next line ("password\n: ..."): lines are rescanned
 * together with the lines around them that such a link joins them to (`phraseMayContinueAt`). So
 * a placeholder can change only what is found on its own line and the lines joined to it, and the
 * other lines are unchanged since a scan that found nothing on them.
 */
const RESCAN_BOUNDARY = "\n";

/**
 * A redacted text, its counts, where the placeholders it wrote stand in it, in order, and its
 * shared scans when the text before had them (textScans.ts), so a later pass need not make them.
 */
export interface Redaction {
  text: string;
  counts: PiiCounts;
  written: Span[];
  scans?: TextScans;
}

/**
 * Placeholders contain no digit, "@", ":" or token prefix, so no detector matches them, and
 * detectors treat a placeholder touching a candidate as part of the same token (boundaries.ts);
 * with the passes above, redacting already-redacted text changes nothing. Passes after the first
 * run only the detectors a placeholder can help, each on the lines holding a placeholder its rule
 * accepts (DETECTORS_BESIDE_PLACEHOLDERS).
 */
export function redactPii(text: string): { text: string; counts: PiiCounts } {
  const scans = scanText(text);
  return redactFurther(redactFindings(text, findPii(text, scans), scans), DETECTORS_BESIDE_PLACEHOLDERS, MAX_PASSES - 1);
}

/** Redacts what `find` finds, then the lines that gained placeholders while it finds more (MAX_PASSES in all). */
export function redactRepeatedly(text: string, find: (text: string) => PiiFinding[]): { text: string; counts: PiiCounts } {
  return redactFurther(redactFindings(text, find(text)), everyLine(find), MAX_PASSES - 1);
}

/** A later pass of `find` on every line that gained a placeholder. */
export function everyLine(find: (text: string) => PiiFinding[]): LaterPassDetector[] {
  return [{ find, helpedBy: ANY_PLACEHOLDER }];
}

/**
 * At most `passes` passes after a first one whose result is `first`, each running every detector
 * on the lines holding a placeholder, written by the pass before, that the detector's rule accepts,
 * until one finds nothing.
 */
export function redactFurther(
  first: Redaction,
  detectors: ReadonlyArray<LaterPassDetector>,
  passes: number,
): { text: string; counts: PiiCounts } {
  const counts: PiiCounts = { ...first.counts };
  let current = first;
  for (let pass = 0; pass < passes && current.written.length > 0; pass++) {
    const next = redactFindings(current.text, findBesidePlaceholders(current, detectors), current.scans);
    addCounts(counts, next.counts);
    current = next;
  }
  return { text: current.text, counts };
}

/**
 * What the detectors find beside the placeholders of `current`, sorted and disjoint. Detectors
 * whose rules pick the same lines scan one joined copy of them.
 */
function findBesidePlaceholders(current: Redaction, detectors: ReadonlyArray<LaterPassDetector>): PiiFinding[] {
  const placeholders = withNeighbours(current.written, current.text.length);
  const views: LinesView[] = [];
  const findings: PiiFinding[] = [];
  for (const { find, helpedBy } of detectors) {
    const helped = placeholdersHelping(current, placeholders, helpedBy);
    if (helped.length === 0) continue;
    const lines = linesHolding(current.text, helped);
    let view = views.find((each) => sameSpans(each.lines, lines));
    if (view === undefined) {
      view = viewOfLines(current, lines);
      views.push(view);
    }
    findings.push(...findInView(view, find));
  }
  return resolveOverlaps(findings);
}

/**
 * The placeholders `helpedBy` accepts, but at most the first on each line: the line is scanned
 * whole for one, so the others on it need not be asked (texts dense with findings hold thousands).
 */
function placeholdersHelping(current: Redaction, placeholders: WrittenPlaceholder[], helpedBy: HelpedBy): WrittenPlaceholder[] {
  const helped: WrittenPlaceholder[] = [];
  let lineEnd = -1;
  for (const placeholder of placeholders) {
    if (placeholder.start < lineEnd || !helpedBy(current, placeholder)) continue;
    helped.push(placeholder);
    lineEnd = lineEndAt(current.text, placeholder.end);
  }
  return helped;
}

function sameSpans(left: Span[], right: Span[]): boolean {
  return left.length === right.length && left.every((span, index) => span.start === right[index]!.start && span.end === right[index]!.end);
}

/**
 * The lines holding `spans` (sorted), each once, with the lines a password phrase's link may join
 * them to; adjacent lines become one span.
 */
function linesHolding(text: string, spans: Span[]): Span[] {
  const lines: Span[] = [];
  for (const span of spans) {
    const last = lines[lines.length - 1];
    if (last !== undefined && span.start <= last.end) continue;
    let start = lineStartAt(text, span.start);
    while (start > 0 && phraseMayContinueAt(text, start)) start = lineStartAt(text, start - 1);
    let end = lineEndAt(text, span.end);
    while (end < text.length && phraseMayContinueAt(text, end + 1)) end = lineEndAt(text, end + 1);
    if (last !== undefined && start <= last.end + 1) last.end = Math.max(last.end, end);
    else lines.push({ start, end });
  }
  return lines;
}

/** Where the line holding `index` starts; a "\n" at `index` ends the line it belongs to. */
function lineStartAt(text: string, index: number): number {
  return index === 0 ? 0 : text.lastIndexOf(RESCAN_BOUNDARY, index - 1) + 1;
}

/** Where the line holding `index` ends: its "\n", or the end of the text. */
function lineEndAt(text: string, index: number): number {
  const end = text.indexOf(RESCAN_BOUNDARY, index);
  return end === -1 ? text.length : end;
}

/**
 * Whole lines of a redacted text joined by line breaks into one text to scan (no detector reads
 * across the break between two of them, so joining them changes nothing), with their shared scans
 * when the text's are known.
 */
interface LinesView {
  text: string;
  scans?: TextScans;
  lines: Span[];
}

function viewOfLines({ text, scans }: Redaction, lines: Span[]): LinesView {
  if (lines.length === 1 && lines[0]!.start === 0 && lines[0]!.end === text.length) return { text, scans, lines };
  const joined = lines.map((line) => text.slice(line.start, line.end)).join(RESCAN_BOUNDARY);
  return { text: joined, scans: scans && scansOnLines(scans, lines, joined), lines };
}

/** What `find` finds in `view`, as offsets into the redacted text. */
function findInView({ text, scans, lines }: LinesView, find: LaterPassDetector["find"]): PiiFinding[] {
  let line = 0;
  let scanStart = 0;
  return find(text, scans).map((finding) => {
    // A finding never crosses the break between two spans, so it lies in the span where it starts.
    while (finding.start > scanStart + lines[line]!.end - lines[line]!.start) {
      scanStart += lines[line]!.end - lines[line]!.start + RESCAN_BOUNDARY.length;
      line++;
    }
    const shift = lines[line]!.start - scanStart;
    return { category: finding.category, start: finding.start + shift, end: finding.end + shift };
  });
}

/** Replaces sorted, disjoint findings of `text` with their placeholders; `scans`, the text's shared scans, are carried over. */
export function redactFindings(text: string, findings: PiiFinding[], scans?: TextScans): Redaction {
  if (findings.length === 0) return { text, counts: {}, written: [], scans };
  const counts: PiiCounts = {};
  const written: Span[] = [];
  const parts: string[] = [];
  let copied = 0;
  let length = 0;
  for (const finding of findings) {
    const placeholder = PII_PLACEHOLDERS[finding.category];
    length += finding.start - copied;
    parts.push(text.slice(copied, finding.start), placeholder);
    written.push({ start: length, end: length + placeholder.length });
    length += placeholder.length;
    counts[finding.category] = (counts[finding.category] ?? 0) + 1;
    copied = finding.end;
  }
  parts.push(text.slice(copied));
  const redacted = parts.join("");
  return { text: redacted, counts, written, scans: scans && scansAfterRedaction(scans, findings, written, redacted) };
}

/** Adds `from` into `into` and returns `into`, so a transcript's counts can be folded. */
export function addCounts(into: PiiCounts, from: PiiCounts): PiiCounts {
  for (const [category, count] of Object.entries(from) as [PiiCategory, number][]) {
    into[category] = (into[category] ?? 0) + count;
  }
  return into;
}
