// Redacts PII in a reply that arrives in pieces. Text is held back until enough has arrived after
// it that no value could still be growing across the cut, then released redacted; so a value split
// over several deltas is caught whole. Values longer than the hold-back (private key blocks) can
// slip through in streams; the stored reply is redacted whole.
import { findPii } from "./findPii";
import { redactPii } from "./redact";

/**
 * Longer than any value with spaces in it that the detectors match (phone numbers, cards and IBANs
 * written in groups). Values without spaces, however long (project API keys, JWTs), are safe anyway:
 * the cut is always made at a space, never inside a word.
 */
const HOLD_BACK = 160;

export class StreamRedactor {
  private pending = "";

  /** Takes the next piece of text; returns the redacted text that is now safe to release (maybe ""). */
  push(piece: string): string {
    this.pending += piece;
    if (this.pending.length <= HOLD_BACK) return "";
    // Cut at a space, so that a value keeps the text in front of it that a detector looks at...
    let cut = this.pending.length - HOLD_BACK;
    const space = this.pending.lastIndexOf(" ", cut);
    if (space > 0) cut = space;
    // ...and never inside a value (phone numbers and IBANs hold spaces).
    for (const finding of findPii(this.pending)) {
      if (finding.start < cut && finding.end > cut) cut = finding.start;
    }
    const released = redactPii(this.pending.slice(0, cut)).text;
    this.pending = this.pending.slice(cut);
    return released;
  }

  /** Releases whatever is still held, redacted. */
  flush(): string {
    const released = redactPii(this.pending).text;
    this.pending = "";
    return released;
  }
}
