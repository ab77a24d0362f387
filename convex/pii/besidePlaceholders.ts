// What a later redaction pass knows of the placeholders the pass before wrote, and how a detector
// says which of them can help it. A later pass scans, for each detector, only the lines holding a
// placeholder that its rule accepts (redact.ts): the rule, kept beside the detector's own code,
// names every place near a placeholder where that detector reads.
import type { PiiFinding, Span } from "./categories";
import type { TextScans } from "./textScans";

/**
 * A placeholder the pass before wrote, with where its written neighbours stand. A rule's walks
 * away from a placeholder stop at its neighbours, so all the walks of a pass together read each
 * character a bounded number of times: linear in the text, however many placeholders it holds.
 * A walk stopped there loses nothing when the neighbour's own rule accepts what the walk would
 * have reached.
 */
export interface WrittenPlaceholder extends Span {
  /** The end of the placeholder written before it, or 0. */
  previousEnd: number;
  /** The start of the placeholder written after it, or the text's length. */
  nextStart: number;
}

/**
 * Whether the detector can find something on a line with this placeholder that it found nothing of
 * before the placeholder was written. False must be certain; true may be a false alarm, which
 * costs only a scan of the line.
 */
export type HelpedBy = (scanned: ScannedText, placeholder: WrittenPlaceholder) => boolean;

/** The redacted text a later pass reads, with the shared scans of it that are known (textScans.ts). */
export interface ScannedText {
  text: string;
  scans?: TextScans;
}

/** A detector of a later pass and its rule. */
export interface LaterPassDetector {
  find: (text: string, scans?: TextScans) => PiiFinding[];
  helpedBy: HelpedBy;
}

/** Every placeholder may help: the detector scans every line that gained one. */
export const ANY_PLACEHOLDER: HelpedBy = () => true;

/** The placeholders at `written` (sorted, disjoint) with their neighbours. */
export function withNeighbours(written: ReadonlyArray<Span>, textLength: number): WrittenPlaceholder[] {
  return written.map(({ start, end }, index) => ({
    start,
    end,
    previousEnd: written[index - 1]?.end ?? 0,
    nextStart: written[index + 1]?.start ?? textLength,
  }));
}
