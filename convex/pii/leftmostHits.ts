// The hits of several searches over one text, leftmost first, as one regex with alternatives would
// find them (when no two searches can match overlapping text), but each search run on its own:
// `indexOf` for literals, which is many times faster than a regex scan, and a regex per family of
// alternatives, which costs what it would cost inside the combined regex. Each search's next hit is
// kept until the scan passes it, so every search walks the text once: linear in the text.

export interface Hit {
  index: number;
  text: string;
}

export class LeftmostHits {
  private readonly searches: Array<RegExp | string>;
  /** The next hit of each search at or after where it last searched from; null once it has no more. */
  private readonly hits: Array<Hit | null>;

  /** `searches`: literals, and global regexes (copied, so their `lastIndex` is this scan's own). */
  constructor(
    private readonly text: string,
    searches: ReadonlyArray<RegExp | string>,
  ) {
    this.searches = searches.map((search) => (typeof search === "string" ? search : new RegExp(search)));
    this.hits = searches.map(() => ({ index: -1, text: "" }));
  }

  /** The leftmost hit starting at or after `from`; `from` must not decrease from one call to the next. */
  next(from: number): Hit | null {
    let leftmost: Hit | null = null;
    for (let search = 0; search < this.searches.length; search++) {
      let hit = this.hits[search] ?? null;
      if (hit !== null && hit.index < from) {
        hit = this.find(search, from);
        this.hits[search] = hit;
      }
      if (hit !== null && (leftmost === null || hit.index < leftmost.index)) leftmost = hit;
    }
    return leftmost;
  }

  private find(search: number, from: number): Hit | null {
    const searched = this.searches[search];
    if (typeof searched === "string") {
      const index = this.text.indexOf(searched, from);
      return index === -1 ? null : { index, text: searched };
    }
    if (searched === undefined) return null;
    searched.lastIndex = from;
    const match = searched.exec(this.text);
    return match === null ? null : { index: match.index, text: match[0] };
  }
}
