// Regexes built from literal text (service prefixes, blocked terms, a library's placeholders).

/** `text` as a regex that matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
