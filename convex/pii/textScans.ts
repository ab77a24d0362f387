// The scans of a text that several detectors share: its number runs (cards, SSNs, phones,
// labelled numbers) and its password words (password phrases, and the later-pass rule that
// depends on them). Each is made once per text, passed to every detector, and carried through a
// redaction instead of being made again.
import type { Span } from "./categories";
import { findNumberRuns, numberRunsAfterRedaction, numberRunsOnLines, type NumberRuns } from "./numberRuns";
import { findPasswordAnchors, passwordAnchorsAfterRedaction, type PasswordAnchors } from "./passwordWords";

/** The shared scans already made of a text; a detector makes the ones missing itself. */
export interface TextScans {
  runs?: NumberRuns;
  passwordAnchors?: PasswordAnchors;
}

export function scanText(text: string): Required<TextScans> {
  return { runs: findNumberRuns(text), passwordAnchors: findPasswordAnchors(text) };
}

/** The scans of the text with `findings` (sorted, disjoint) replaced by the placeholders at `written`. */
export function scansAfterRedaction(scans: TextScans, findings: Span[], written: Span[], redacted: string): TextScans {
  return {
    runs: scans.runs && numberRunsAfterRedaction(scans.runs, findings, written, redacted),
    passwordAnchors: scans.passwordAnchors && passwordAnchorsAfterRedaction(scans.passwordAnchors, findings, written, redacted),
  };
}

/**
 * The scans of `joined`: whole `lines` of the text joined by line breaks. The number runs move with
 * their lines; the password words are left to be found again, since a later pass reads few lines
 * for them.
 */
export function scansOnLines(scans: TextScans, lines: Span[], joined: string): TextScans {
  return { runs: scans.runs && numberRunsOnLines(scans.runs, lines, joined) };
}
