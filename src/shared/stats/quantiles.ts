// Quantiles of latency samples. One definition everywhere (report, planner, bootstrap, plots):
// linear interpolation between order statistics (Hyndman & Fan type 7, the default of numpy and R),
// so a median of an even sample is the mean of the two middle values. Lives in src/shared so the
// workbench renderer computes the same digits as `casebench report`.

/** A sorted copy of the finite values, as a Float64Array (numeric sort, no string comparison). */
export function sortedSample(values: Iterable<number>): Float64Array {
  const out: number[] = [];
  for (const v of values) if (Number.isFinite(v)) out.push(v);
  return Float64Array.from(out).sort();
}

/** The p-quantile (0 ≤ p ≤ 1) of an ascending sample; null for an empty sample. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile p must be within [0, 1], got ${p}`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo]!;
  return a + (h - lo) * (sorted[hi]! - a);
}

/** Median of an ascending sample; null when empty. */
export function medianSorted(sorted: ArrayLike<number>): number | null {
  return quantileSorted(sorted, 0.5);
}

/** Median, p95 and p99 of any sample (unsorted is fine); nulls when it is empty. */
export function latencySummary(values: Iterable<number>): { n: number; median: number | null; p95: number | null; p99: number | null } {
  const s = sortedSample(values);
  return { n: s.length, median: quantileSorted(s, 0.5), p95: quantileSorted(s, 0.95), p99: quantileSorted(s, 0.99) };
}
