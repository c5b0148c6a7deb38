// Percentiles and formatting for the benchmark's report.

export interface Percentiles {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p97_5: number;
  p99: number;
}

/** Nearest-rank percentile of ascending `sorted` (p in 0..100). */
function at(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

export function percentiles(samples: ArrayLike<number>): Percentiles {
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    mean: sorted.length > 0 ? sum / sorted.length : Number.NaN,
    p50: at(sorted, 50),
    p95: at(sorted, 95),
    p97_5: at(sorted, 97.5),
    p99: at(sorted, 99),
  };
}

export function median(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Milliseconds with two decimals. */
export const ms = (value: number): string => value.toFixed(2);

/** A signed difference in milliseconds: "+0.42" / "-0.10". */
export const signedMs = (value: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;

/** Left-aligned first column, right-aligned others. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
