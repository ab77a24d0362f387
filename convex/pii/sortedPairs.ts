// The shared scans keep what they find as one flat array of pairs sorted by their first number (a
// start, then an end or a length): cheaper to build and to carry through a redaction than objects.

/** The index of the first pair whose start is at or after `from` (binary search), or `pairs.length` if none. */
export function firstPairFrom(pairs: ReadonlyArray<number>, from: number): number {
  let low = 0;
  let high = pairs.length / 2;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (pairs[middle * 2]! < from) low = middle + 1;
    else high = middle;
  }
  return low * 2;
}
