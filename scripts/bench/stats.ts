// Percentiles of a sample, by nearest rank: every figure is a time that was really measured.

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
}

export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}

export function percentiles(values: number[]): Percentiles {
  return { count: values.length, p50: percentile(values, 0.5), p95: percentile(values, 0.95), p99: percentile(values, 0.99) };
}

export function median(values: number[]): number {
  return percentile(values, 0.5);
}
