// Redacts PII in a reply that arrives in pieces. Text is held back until enough has arrived after
// it that no value could still be growing across the cut, then released redacted; so a value split
// over several deltas is caught whole. Values are looked for as written and behind JSON escapes
// (a model writing JSON: "\n4111 ...", "jane\u0040example.com"), as redactText does for prose.
// A private key block is held from its header until its footer has arrived (or could no longer
// arrive), whatever its layout, so no line of a key is ever released.
//
// Cost: a piece is only appended; the held text is scanned once it has doubled since the last scan
// (and at least SCAN_STEP characters have arrived), so each character is scanned a bounded number of
// times however small the pieces and however long a value holds the cut back: linear in the reply.
import { PII_PLACEHOLDERS } from "./categories";
import { findPiiThroughEscapes, redactWrittenText } from "./redactText";
import { unfinishedPrivateKeyStart } from "./privateKey";

/**
 * Longer than any value with spaces in it that the detectors match (phone numbers, cards and IBANs
 * written in groups), except private key blocks, which are held by their own rule. Values without
 * spaces, however long (project API keys, JWTs), are safe anyway: the cut is made at a space where
 * there is one, and a value cut in two is still found from its first part.
 */
const HOLD_BACK = 160;
/** At least this much new text between scans: releases come in pieces of about this size. */
const SCAN_STEP = 160;
const FOOTER = "-----END ";
/** "-----END " plus the longest label and its dashes: past this, a footer is complete or is none. */
const FOOTER_LINE_LENGTH = 60;

export class StreamRedactor {
  private pending = "";
  /** Held text is scanned again once it is this long. */
  private scanAt = HOLD_BACK + SCAN_STEP;
  /** A private key block is being held: its footer, when it comes, brings the next scan forward. */
  private holdingKey = false;
  /** The last few characters pushed, which a footer may straddle with the next piece. */
  private tail = "";

  /** Takes the next piece of text; returns the redacted text that is now safe to release (maybe ""). */
  push(piece: string): string {
    const before = this.pending.length;
    this.pending += piece;
    this.watchForFooter(before, piece);
    if (this.pending.length < this.scanAt) return "";
    return this.release();
  }

  /** Releases whatever is still held, redacted. */
  flush(): string {
    const released = redactWrittenText(this.pending).text;
    this.pending = "";
    this.scanAt = HOLD_BACK + SCAN_STEP;
    this.holdingKey = false;
    this.tail = "";
    return released;
  }

  private release(): string {
    const pending = this.pending;
    // Cut at a space, so that a value keeps the text in front of it that a detector looks at...
    let cut = Math.max(0, pending.length - HOLD_BACK);
    const space = pending.lastIndexOf(" ", cut);
    if (space > 0) cut = space;
    // ...never inside a private key block that may still grow...
    const keyStart = unfinishedPrivateKeyStart(pending);
    this.holdingKey = keyStart !== -1 && keyStart <= cut;
    if (this.holdingKey) cut = keyStart;
    // ...and never inside a value (phone numbers and IBANs hold spaces).
    const findings = findPiiThroughEscapes(pending);
    for (const finding of findings) {
      if (finding.start < cut && finding.end > cut) cut = finding.start;
    }
    const parts: string[] = [];
    let copied = 0;
    for (const finding of findings) {
      if (finding.end > cut) break;
      parts.push(pending.slice(copied, finding.start), PII_PLACEHOLDERS[finding.category]);
      copied = finding.end;
    }
    parts.push(pending.slice(copied, Math.max(cut, copied)));
    this.pending = pending.slice(Math.max(cut, copied));
    this.scanAt = Math.max(this.pending.length + SCAN_STEP, 2 * this.pending.length, HOLD_BACK + SCAN_STEP);
    // What a placeholder uncovers next to it is found by the passes redactWrittenText makes.
    return copied === 0 ? parts.join("") : redactWrittenText(parts.join("")).text;
  }

  /**
   * Looks for a footer in the new piece (with the characters before it that a footer may straddle):
   * the held block can be released once the footer line and the hold-back after it are in. Only the
   * piece is searched, never the held text, which would cost its whole length on every piece.
   */
  private watchForFooter(pieceStart: number, piece: string): void {
    const window = this.tail + piece;
    const footer = window.indexOf(FOOTER);
    if (footer !== -1 && this.holdingKey) {
      const footerStart = pieceStart - this.tail.length + footer;
      this.scanAt = Math.min(this.scanAt, footerStart + FOOTER_LINE_LENGTH + HOLD_BACK);
    }
    this.tail = window.slice(-(FOOTER.length - 1));
  }
}
