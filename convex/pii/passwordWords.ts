// Password words in the supported languages, and where a text holds them: found once per text and
// shared, like the number runs, by the password-phrase scan and by the rule that tells a later
// redaction pass which placeholders a phrase may gain from (assignedSecrets.ts); carried through a
// redaction instead of searched for again.
import type { Span } from "./categories";
import { LeftmostHits } from "./leftmostHits";
import { firstPairFrom } from "./sortedPairs";

/**
 * Each word is found from an uncommon part of it ("w" + "ord" / "ort" / "oord", "ñ", "sse", "nha",
 * "ワード") and then read whole around it. Each part is its own search (leftmostHits.ts), the
 * non-ASCII ones with `indexOf`; no two parts can overlap.
 */
const ANCHOR_PATTERNS = [/[wW](?:or[dt]|OR[DT]|oord|OORD)/g, /[sS][sS][eE]\b/g, /[nN][hH][aA]\b/g];
const ANCHOR_LITERALS = ["ñ", "Ñ", "ワード"];
/** The anchors whose match depends on the character after them (`\b`), which a placeholder can change. */
const ANCHORS_BEFORE_A_BOUNDARY = /^(?:[sS][sS][eE]|[nN][hH][aA])$/;
const BOUNDED_ANCHOR_LENGTH = 3;

const PASSWORD_WORDS = [
  "password",
  "passwort",
  "kennwort",
  "wachtwoord",
  "contraseña",
  "mot de passe",
  "senha",
  "palavra-passe",
  "パスワード",
];

/** Where the anchors of a text stand: each pair in `hits` is an anchor's index and length, in text order. */
export interface PasswordAnchors {
  text: string;
  hits: number[];
}

export function findPasswordAnchors(text: string): PasswordAnchors {
  const searches = new LeftmostHits(text, [...ANCHOR_PATTERNS, ...ANCHOR_LITERALS]);
  const hits: number[] = [];
  for (let hit = searches.next(0); hit !== null; hit = searches.next(hit.index + hit.text.length)) {
    hits.push(hit.index, hit.text.length);
  }
  return { text, hits };
}

/** Whether an anchor starts in [from, to). */
export function hasPasswordAnchorIn(anchors: PasswordAnchors, from: number, to: number): boolean {
  const pair = firstPairFrom(anchors.hits, from);
  return pair < anchors.hits.length && anchors.hits[pair]! < to;
}

/**
 * The anchors of `anchors.text` with `findings` (sorted, disjoint) replaced by the placeholders at
 * `written`, without a search. A placeholder holds no anchor, so the anchors of the redacted text
 * are those outside the findings, moved, and an "sse" or "nha" right before a placeholder, whose
 * `\b` now sees "[" where the replaced value may have gone on with a letter.
 */
export function passwordAnchorsAfterRedaction(
  anchors: PasswordAnchors,
  findings: ReadonlyArray<Span>,
  written: ReadonlyArray<Span>,
  redacted: string,
): PasswordAnchors {
  const hits: number[] = [];
  let pair = 0;
  let shift = 0;
  for (let index = 0; index <= findings.length; index++) {
    const finding = findings[index];
    const end = finding === undefined ? Number.POSITIVE_INFINITY : finding.start;
    for (; pair < anchors.hits.length && anchors.hits[pair]! < end; pair += 2) {
      const start = anchors.hits[pair]!;
      const length = anchors.hits[pair + 1]!;
      // An anchor running into the finding is gone with it; those starting inside it are skipped below.
      if (start + length <= end) hits.push(start + shift, length);
    }
    if (finding === undefined) break;
    // Skip the anchors that start inside the finding.
    while (pair < anchors.hits.length && anchors.hits[pair]! < finding.end) pair += 2;
    const placeholder = written[index]!;
    const before = placeholder.start - BOUNDED_ANCHOR_LENGTH;
    // Checked on the last letter first: most placeholders follow a space or a quote.
    const last = redacted.charCodeAt(placeholder.start - 1) | 32;
    if (
      (last === 101 || last === 97) &&
      before >= 0 &&
      ANCHORS_BEFORE_A_BOUNDARY.test(redacted.slice(before, placeholder.start)) &&
      hits[hits.length - 2] !== before
    ) {
      hits.push(before, BOUNDED_ANCHOR_LENGTH);
    }
    shift = placeholder.end - finding.end;
  }
  return { text: redacted, hits };
}

/** The password word that the anchor `anchorText` at `anchor` is part of, if any. */
export function passwordWordAround(text: string, anchor: number, anchorText: string): Span | undefined {
  const lowerAnchor = anchorText.toLowerCase();
  for (const word of PASSWORD_WORDS) {
    const offset = word.indexOf(lowerAnchor);
    if (offset === -1) continue;
    const start = anchor - offset;
    if (start >= 0 && text.slice(start, start + word.length).toLowerCase() === word) {
      return { start, end: start + word.length };
    }
  }
  return undefined;
}
