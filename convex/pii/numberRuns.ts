// Where a text holds written numbers: runs of digits and the separators numbers are written with,
// found by one scan and shared by the digit detectors (cards, SSNs, phones, labelled numbers), which
// then run their own patterns on those runs only instead of each scanning the whole text.
import type { Span } from "./categories";
import { isDigit } from "./characters";
import { firstPairFrom } from "./sortedPairs";

/**
 * Runs of the characters numbers are written with that can hold a number of nine or more
 * characters: from a digit or "(" to the run's last digit. Each pair in `bounds` is a run's start
 * and end (past its last digit), in text order.
 */
export interface NumberRuns {
  text: string;
  bounds: number[];
}

/**
 * Nine characters from a digit or "(": the shortest value any pattern tried on runs can match. The
 * pattern has no trailing condition, so a start it rejects costs at most nine steps and a run it
 * accepts is consumed whole: linear. The run's last digit is found afterwards, in code.
 */
const RUN = /[\d(][\d ().\/-]{8,}/g;
export const SHORTEST_RUN = 9;

export function findNumberRuns(text: string): NumberRuns {
  const bounds: number[] = [];
  const pattern = new RegExp(RUN);
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    let end = pattern.lastIndex;
    while (end > match.index && !isDigit(text.charCodeAt(end - 1))) end--;
    if (end - match.index >= SHORTEST_RUN) bounds.push(match.index, end);
  }
  return { text, bounds };
}

/** The start of the first run starting at or after `from`, or -1. */
export function firstRunStartFrom(runs: NumberRuns, from: number): number {
  const pair = firstPairFrom(runs.bounds, from);
  return pair < runs.bounds.length ? runs.bounds[pair]! : -1;
}

/**
 * A global pattern's matches as its own scan of the whole text would find them, tried on the
 * number runs only. Exact for a pattern whose every match that counts is made of the runs'
 * characters, ends with a digit and is at least `shortest` characters long, and whose
 * look-arounds read at most `lookBehind` characters before a match and `lookAhead` after it: such
 * a match lies inside one run, and a slice of the run with that much context around it gives the
 * pattern the same verdict at every position as the whole text does. Slices of a string share its
 * characters, so nothing is copied.
 */
export class NumberRunMatcher {
  private readonly pattern: RegExp;
  private run = 0;

  constructor(
    private readonly runs: NumberRuns,
    pattern: RegExp,
    private readonly shape: { shortest: number; lookBehind: number; lookAhead: number },
  ) {
    this.pattern = new RegExp(pattern);
  }

  /** The leftmost match starting at or after `from`, with its index in the text; `from` must not decrease. */
  exec(from: number): RegExpExecArray | null {
    const { text, bounds } = this.runs;
    for (; this.run < bounds.length; this.run += 2) {
      const start = bounds[this.run]!;
      const end = bounds[this.run + 1]!;
      if (end <= from || end - start < this.shape.shortest) continue;
      const sliceStart = Math.max(0, start - this.shape.lookBehind);
      this.pattern.lastIndex = Math.max(from, start) - sliceStart;
      const match = this.pattern.exec(text.slice(sliceStart, end + this.shape.lookAhead));
      if (match !== null) {
        match.index += sliceStart;
        return match;
      }
    }
    return null;
  }
}

/**
 * The number runs of `runs.text` with `findings` (sorted, disjoint) replaced by the placeholders at
 * `written`, without a scan: a placeholder holds no run character, so each run of the redacted
 * text is a piece of a run of the text between findings, trimmed again to start at a digit or "("
 * and end at a digit, and kept if still nine characters or more.
 */
export function numberRunsAfterRedaction(runs: NumberRuns, findings: Span[], written: Span[], redacted: string): NumberRuns {
  const { text } = runs;
  const bounds: number[] = [];
  let finding = 0;
  // Redacted offset minus text offset, past the findings before `finding`.
  let shift = 0;
  for (let index = 0; index < runs.bounds.length; index += 2) {
    const end = runs.bounds[index + 1]!;
    let position = runs.bounds[index]!;
    while (position < end) {
      while (finding < findings.length && findings[finding]!.end <= position) {
        shift = written[finding]!.end - findings[finding]!.end;
        finding++;
      }
      const next = findings[finding];
      if (next !== undefined && next.start <= position) {
        position = next.end;
        continue;
      }
      const pieceEnd = next === undefined ? end : Math.min(end, next.start);
      let start = position;
      while (start < pieceEnd && !isDigit(text.charCodeAt(start)) && text.charCodeAt(start) !== 40) start++;
      let last = pieceEnd;
      while (last > start && !isDigit(text.charCodeAt(last - 1))) last--;
      if (last - start >= SHORTEST_RUN) bounds.push(start + shift, last + shift);
      position = pieceEnd;
    }
  }
  return { text: redacted, bounds };
}

/**
 * The number runs of `joined`: the `lines` (whole lines, in order) of `runs.text` joined by line
 * breaks. No run holds a line break, so each run lies in one line, and a line's runs move with it.
 */
export function numberRunsOnLines(runs: NumberRuns, lines: Span[], joined: string): NumberRuns {
  const bounds: number[] = [];
  let run = 0;
  let lineStart = 0;
  for (const line of lines) {
    while (run < runs.bounds.length && runs.bounds[run]! < line.start) run += 2;
    for (; run < runs.bounds.length && runs.bounds[run + 1]! <= line.end; run += 2) {
      bounds.push(runs.bounds[run]! - line.start + lineStart, runs.bounds[run + 1]! - line.start + lineStart);
    }
    lineStart += line.end - line.start + 1;
  }
  return { text: joined, bounds };
}
