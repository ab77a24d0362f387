// A regex run only where a match can start: every match of the pattern holds `anchor` at `offset`
// from its start, so the anchor's hits are found with `indexOf` (many times faster than the regex
// engine's scan over text that holds no match) and the pattern is tried there alone, sticky. The
// matches are the ones the global pattern's `exec` would find, in the same order.

export class AnchoredPattern {
  private readonly sticky: RegExp;

  constructor(
    pattern: RegExp,
    private readonly anchor: string,
    private readonly offset = 0,
  ) {
    this.sticky = new RegExp(pattern.source, `${pattern.flags.replace("g", "")}y`);
  }

  /** The leftmost match starting at or after `from`. */
  exec(text: string, from: number): RegExpExecArray | null {
    let hit = text.indexOf(this.anchor, from + this.offset);
    while (hit !== -1) {
      this.sticky.lastIndex = hit - this.offset;
      const match = this.sticky.exec(text);
      if (match !== null) return match;
      hit = text.indexOf(this.anchor, hit + 1);
    }
    return null;
  }
}
