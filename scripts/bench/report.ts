// The bench's printed table: fixed-width rows, one section per figure.
import type { Percentiles } from "./stats";

export function table(headings: string[], rows: Array<Array<string | number>>): string {
  const cells = [headings, ...rows.map((row) => row.map((cell) => (typeof cell === "number" ? format(cell) : cell)))];
  const widths = headings.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ");
  return [line(cells[0]!), widths.map((width) => "-".repeat(width)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

export function format(value: number): string {
  if (!Number.isFinite(value)) return "-";
  if (Number.isInteger(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** "p50 / p95 / p99" in ms. */
export function spread(figures: Percentiles): string {
  return `${format(figures.p50)} / ${format(figures.p95)} / ${format(figures.p99)}`;
}

export function ratios(gateway: Percentiles, direct: Percentiles): string {
  return `${(gateway.p50 / direct.p50).toFixed(2)} / ${(gateway.p95 / direct.p95).toFixed(2)} / ${(gateway.p99 / direct.p99).toFixed(2)}`;
}
