// The descriptive statistics behind the latency plots (contracts §6): IQR filtering for violins,
// capping + tail trimming for histograms, the empirical CDF, histogram bins and a least-squares
// line. Pure and free of Node so the workbench renderer and `casebench report --format html`
// compute the same numbers. Every function takes an ascending sample (see sortedSample) and
// answers with index ranges into it where it selects values, so a caller holding the calls in the
// same order can map a bin or a step back to the calls behind it.
import { quantileSorted } from './quantiles.ts';

/** First index whose value is ≥ x (n when none is). */
export function lowerBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is > x (n when none is). */
export function upperBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Mean and sample standard deviation (n − 1 in the denominator); sd is 0 below two values. */
export function meanSd(values: ArrayLike<number>): { mean: number; sd: number } {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, sd: 0 };
  let mean = 0;
  // Welford: one pass, no catastrophic cancellation on latencies in the thousands.
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    const d = x - mean;
    mean += d / (i + 1);
    m2 += d * (x - mean);
  }
  return { mean, sd: n > 1 ? Math.sqrt(m2 / (n - 1)) : 0 };
}

/** The IQR filter of contracts §6: values in [lo, hi] are kept, sorted[from … to) is what remains. */
export interface IqrFilter {
  q1: number;
  q3: number;
  iqr: number;
  /** Q1 − k·IQR and Q3 + k·IQR. */
  lo: number;
  hi: number;
  from: number;
  to: number;
  kept: number;
  removedLow: number;
  removedHigh: number;
}

/** Keeps Q1 − k·IQR … Q3 + k·IQR (k = 1.5, both ends inclusive) of an ascending sample; null when it is empty. */
export function iqrFilter(sorted: ArrayLike<number>, k = 1.5): IqrFilter | null {
  const n = sorted.length;
  if (n === 0) return null;
  const q1 = quantileSorted(sorted, 0.25)!;
  const q3 = quantileSorted(sorted, 0.75)!;
  const iqr = q3 - q1;
  const lo = q1 - k * iqr;
  const hi = q3 + k * iqr;
  const from = lowerBound(sorted, lo);
  const to = upperBound(sorted, hi);
  return { q1, q3, iqr, lo, hi, from, to, kept: to - from, removedLow: from, removedHigh: n - to };
}

/** The histogram sample of contracts §6: sorted[from … to) kept, each value min(value, cap). */
export interface CapTrim {
  capMs: number;
  trimShare: number;
  /** Values dropped from each tail: floor(trimShare · n). */
  trimmedEach: number;
  from: number;
  to: number;
  /** Kept values, capped, ascending. */
  values: Float64Array;
  /** Kept values that were above the cap (drawn at the cap). */
  capped: number;
}

/**
 * Caps at capMs and drops floor(trimShare · n) values from each end of an ascending sample
 * (contracts §6: 2000 ms and 5 %). Capping is a clamp, so it keeps the order and the two steps
 * commute; the count of clamped values is reported so a plot can say how many sit on the cap.
 */
export function capAndTrim(sorted: ArrayLike<number>, capMs = 2000, trimShare = 0.05): CapTrim {
  if (!(trimShare >= 0 && trimShare < 0.5)) throw new RangeError(`trim share must be within [0, 0.5), got ${trimShare}`);
  const n = sorted.length;
  const k = Math.floor(trimShare * n + 1e-9);
  const from = k;
  const to = n - k;
  const values = new Float64Array(Math.max(0, to - from));
  let capped = 0;
  for (let i = from; i < to; i++) {
    const x = sorted[i]!;
    if (x > capMs) capped++;
    values[i - from] = Math.min(x, capMs);
  }
  return { capMs, trimShare, trimmedEach: k, from, to, values, capped };
}

/** One step of the empirical CDF: F(x) = count / n, where count values are ≤ x; sorted[index − at + 1 … index] equal x. */
export interface EcdfStep {
  x: number;
  p: number;
  count: number;
  /** How many values equal x (the height of the step is at / n). */
  at: number;
}

/** The empirical CDF of an ascending sample: one step per distinct value. */
export function ecdf(sorted: ArrayLike<number>): EcdfStep[] {
  const n = sorted.length;
  const out: EcdfStep[] = [];
  let i = 0;
  while (i < n) {
    const x = sorted[i]!;
    let j = i + 1;
    while (j < n && sorted[j] === x) j++;
    out.push({ x, p: j / n, count: j, at: j - i });
    i = j;
  }
  return out;
}

/**
 * At most max steps of an ECDF, always keeping the first and the last, evenly spread by rank.
 * Every kept step is an exact corner of the full step function, so a step-after line through them
 * never leaves the true curve by more than one thinned stretch (n / max values).
 */
export function thinSteps(steps: EcdfStep[], max: number): EcdfStep[] {
  const L = steps.length;
  if (L <= max || max < 2) return steps;
  const out: EcdfStep[] = [];
  let last = -1;
  for (let i = 0; i < max; i++) {
    const idx = Math.round((i * (L - 1)) / (max - 1));
    if (idx !== last) out.push(steps[idx]!);
    last = idx;
  }
  return out;
}

/** 1, 2 or 5 × 10^k: the smallest such step that cuts span into at most target pieces. */
export function niceStep(span: number, target: number): number {
  if (!(span > 0) || !(target >= 1)) return 1;
  const raw = span / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * mag >= raw * (1 - 1e-12)) return m * mag;
  return 10 * mag;
}

/** A bin [x0, x1) (the last one closed) holding sorted[from … to). */
export interface HistBin {
  x0: number;
  x1: number;
  count: number;
  from: number;
  to: number;
}

/** Bin layout: count bins of width step starting at start. */
export interface BinLayout {
  start: number;
  step: number;
  count: number;
}

/** Nice bins covering [min, max] with about target bins (edges on multiples of the step). */
export function binLayout(min: number, max: number, target = 40): BinLayout {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) return { start: 0, step: 1, count: 1 };
  const step = niceStep(max - min, target);
  const start = Math.floor(min / step) * step;
  const count = Math.max(1, Math.ceil((max - start) / step - 1e-9));
  return { start, step, count };
}

/** Counts an ascending sample into the bins of a layout; values outside it are not counted. */
export function histogram(sorted: ArrayLike<number>, layout: BinLayout): HistBin[] {
  const { start, step, count } = layout;
  const out: HistBin[] = [];
  let from = lowerBound(sorted, start);
  for (let b = 0; b < count; b++) {
    const x0 = start + b * step;
    const x1 = start + (b + 1) * step;
    // The last bin is closed (with a hair of slack for the rounding of start + count · step).
    const to = b === count - 1 ? upperBound(sorted, x1 + step * 1e-9) : lowerBound(sorted, x1);
    out.push({ x0, x1, count: to - from, from, to });
    from = to;
  }
  return out;
}

/** Least-squares line y = intercept + slope · x, with r²; null for fewer than two points or no spread in x. */
export interface LinearFit {
  n: number;
  slope: number;
  intercept: number;
  /** Share of the variance of y the line explains; null when y does not vary. */
  r2: number | null;
  xMin: number;
  xMax: number;
}

/** Ordinary least squares of ys on xs (pairs with a non-finite member are skipped). */
export function linearFit(xs: ArrayLike<number>, ys: ArrayLike<number>): LinearFit | null {
  let n = 0;
  let mx = 0;
  let my = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  let xMin = Infinity;
  let xMax = -Infinity;
  const len = Math.min(xs.length, ys.length);
  for (let i = 0; i < len; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    n++;
    // Running co-moments (Welford): stable for large token counts × latencies.
    const dx = x - mx;
    mx += dx / n;
    const dy = y - my;
    my += dy / n;
    sxx += dx * (x - mx);
    syy += dy * (y - my);
    sxy += dx * (y - my);
    if (x < xMin) xMin = x;
    if (x > xMax) xMax = x;
  }
  if (n < 2 || !(sxx > 0)) return null;
  const slope = sxy / sxx;
  return { n, slope, intercept: my - slope * mx, r2: syy > 0 ? (sxy * sxy) / (sxx * syy) : null, xMin, xMax };
}
