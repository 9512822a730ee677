// The plot statistics against values worked out by hand (the arithmetic is in the comments).
import { describe, expect, it } from 'vitest';
import { binLayout, capAndTrim, ecdf, histogram, iqrFilter, linearFit, meanSd, niceStep, thinSteps } from './distribution.ts';
import { gaussianKde, kdeAt, silvermanBandwidth } from './kde.ts';
import { sortedSample } from './quantiles.ts';

describe("Silverman's bandwidth", () => {
  it('is 0.9 · min(σ, IQR / 1.34) · n^(−1/5)', () => {
    // [1,2,3,4,5]: σ = √(10 / 4) = 1.5811; Q1 = x[1] = 2, Q3 = x[3] = 4 (type 7: (n−1)·p = 1 and 3),
    // IQR / 1.34 = 2 / 1.34 = 1.4925 < σ; n^(−1/5) = 5^(−0.2) = 0.72478;
    // h = 0.9 × 1.4925 × 0.72478 = 0.97358.
    const b = silvermanBandwidth(sortedSample([5, 3, 1, 4, 2]))!;
    expect(b.sd).toBeCloseTo(1.5811388, 6);
    expect(b.iqr).toBe(2);
    expect(b.h).toBeCloseTo(0.9735846, 6);
  });

  it('falls back to σ when the IQR is 0, and gives none for equal values or a single value', () => {
    // [1,1,1,1,5]: IQR = 0; mean 1.8, σ = √((4 × 0.64 + 10.24) / 4) = √3.2 = 1.78885;
    // h = 0.9 × 1.78885 × 0.72478 = 1.16687.
    expect(silvermanBandwidth(sortedSample([1, 1, 1, 1, 5]))!.h).toBeCloseTo(1.1668727, 6);
    expect(silvermanBandwidth(sortedSample([7, 7, 7]))).toBeNull();
    expect(silvermanBandwidth(sortedSample([7]))).toBeNull();
  });
});

describe('Gaussian KDE', () => {
  it('at a point is the mean of the kernels: [0, 2], h = 1, x = 1 gives φ(1) = 0.24197', () => {
    // each value is one bandwidth away: (1 / (2 · 1 · √(2π))) · 2 · e^(−½) = e^(−½) / √(2π) = 0.2419707
    expect(kdeAt([0, 2], 1, 1)).toBeCloseTo(0.2419707, 7);
    // at x = 0: (e^0 + e^(−2)) / (2√(2π)) = (1 + 0.135335) / 5.013257 = 0.2264666
    expect(kdeAt([0, 2], 0, 1)).toBeCloseTo(0.2264666, 6);
  });

  it('evaluates on an even grid with the bandwidth it states, and integrates to about 1', () => {
    const k = gaussianKde(sortedSample([0, 2]), { bandwidth: 1, lo: -6, hi: 8, points: 141 })!;
    expect(k.method).toBe('exact');
    expect(k.bandwidth).toBe(1);
    expect(k.xs[70]).toBeCloseTo(1, 12); // −6 + 70 × 0.1
    expect(k.density[70]).toBeCloseTo(0.2419707, 7);
    let area = 0;
    for (let j = 1; j < k.xs.length; j++) area += ((k.density[j]! + k.density[j - 1]!) / 2) * (k.xs[j]! - k.xs[j - 1]!);
    expect(area).toBeCloseTo(1, 3);
  });

  it('binned estimate (used for large samples) matches the exact one to 1e-3 of the peak', () => {
    // A deterministic skewed sample of 5,000 latencies.
    const xs = sortedSample(
      Array.from({ length: 5000 }, (_, i) => 200 + (300 * ((i * 7919) % 5000) ** 1.7) / 5000 ** 1.7 + ((i * 31) % 17)),
    );
    const exact = gaussianKde(xs, { method: 'exact' })!;
    const binned = gaussianKde(xs, { method: 'binned' })!;
    expect(gaussianKde(xs)!.method).toBe('binned');
    const peak = Math.max(...exact.density);
    let worst = 0;
    for (let j = 0; j < exact.xs.length; j++) worst = Math.max(worst, Math.abs(exact.density[j]! - binned.density[j]!));
    expect(worst / peak).toBeLessThan(1e-3);
  });

  it('draws nothing for a sample without spread', () => {
    expect(gaussianKde(sortedSample([3, 3]))).toBeNull();
    expect(gaussianKde(sortedSample([]))).toBeNull();
  });
});

describe('IQR filter (contracts §6)', () => {
  it('keeps Q1 − 1.5·IQR … Q3 + 1.5·IQR and counts what it drops', () => {
    // 1..9 and 100: Q1 at (n−1)·0.25 = 2.25 → 3 + 0.25 = 3.25; Q3 at 6.75 → 7 + 0.75 = 7.75;
    // IQR = 4.5, fences 3.25 − 6.75 = −3.5 and 7.75 + 6.75 = 14.5: only 100 goes.
    const f = iqrFilter(sortedSample([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]))!;
    expect(f).toMatchObject({ q1: 3.25, q3: 7.75, iqr: 4.5, lo: -3.5, hi: 14.5, kept: 9, removedLow: 0, removedHigh: 1, from: 0, to: 9 });
  });

  it('keeps values on the fences and drops both tails', () => {
    // [0, 10, 10, 10, 10, 20, 40]: Q1 at 1.5 → 10, Q3 at 4.5 → 10 + 0.5 × 10 = 15; IQR 5;
    // fences 2.5 and 22.5: 0 and 40 go, 20 stays.
    const f = iqrFilter(sortedSample([0, 10, 10, 10, 10, 20, 40]))!;
    expect(f).toMatchObject({ lo: 2.5, hi: 22.5, kept: 5, removedLow: 1, removedHigh: 1 });
    const g = iqrFilter(sortedSample([1, 2, 3, 4, 5]))!; // fences −1 and 7 exactly include all
    expect(g.removedLow + g.removedHigh).toBe(0);
  });
});

describe('capping and 5 % trimming (contracts §6)', () => {
  it('drops floor(5 % of n) from each tail and clamps what stays at the cap', () => {
    // 1..20: 5 % of 20 = 1 from each end → 2..19 (18 values); cap 15 clamps 16, 17, 18, 19.
    const t = capAndTrim(sortedSample(Array.from({ length: 20 }, (_, i) => i + 1)), 15, 0.05);
    expect(t.trimmedEach).toBe(1);
    expect(t.values.length).toBe(18);
    expect(t.values[0]).toBe(2);
    expect(t.capped).toBe(4);
    expect([...t.values.slice(-5)]).toEqual([15, 15, 15, 15, 15]);
  });

  it('rounds the trimmed count down: 39 values lose 1 a tail, 40 lose 2, 19 lose none', () => {
    const n = (k: number) => capAndTrim(sortedSample(Array.from({ length: k }, (_, i) => i)), 2000, 0.05).trimmedEach;
    expect([n(19), n(39), n(40), n(100)]).toEqual([0, 1, 2, 5]);
  });
});

describe('ECDF', () => {
  it('steps once per distinct value, to count / n', () => {
    // [3, 1, 3, 2] → 1: 1/4, 2: 2/4, 3: 4/4 (two values at 3).
    expect(ecdf(sortedSample([3, 1, 3, 2]))).toEqual([
      { x: 1, p: 0.25, count: 1, at: 1 },
      { x: 2, p: 0.5, count: 2, at: 1 },
      { x: 3, p: 1, count: 4, at: 2 },
    ]);
  });

  it('thins long curves to exact corners, keeping both ends', () => {
    const steps = ecdf(sortedSample(Array.from({ length: 1000 }, (_, i) => i)));
    const thin = thinSteps(steps, 11);
    expect(thin.length).toBe(11);
    expect(thin[0]).toEqual(steps[0]);
    expect(thin.at(-1)).toEqual(steps.at(-1));
    // index round(5 × 999 / 10) = 500 → x 500, p 501 / 1000
    expect(thin[5]).toEqual({ x: 500, p: 0.501, count: 501, at: 1 });
  });
});

describe('histogram bins', () => {
  it('uses 1-2-5 steps and closes only the last bin', () => {
    expect(niceStep(1000, 40)).toBe(25 * 2); // 1000 / 40 = 25 → next of 10, 20, 50 is 50
    expect(niceStep(95, 40)).toBe(5); // 2.375 → 5
    // [0, 1, 9.5, 10, 19, 20] in bins of 10 from 0: [0, 10) holds 0, 1, 9.5; [10, 20] holds 10, 19, 20.
    const s = sortedSample([0, 1, 9.5, 10, 19, 20]);
    const layout = binLayout(0, 20, 2);
    expect(layout).toEqual({ start: 0, step: 10, count: 2 });
    expect(histogram(s, layout)).toEqual([
      { x0: 0, x1: 10, count: 3, from: 0, to: 3 },
      { x0: 10, x1: 20, count: 3, from: 3, to: 6 },
    ]);
  });

  it('starts on a multiple of the step', () => {
    // span 487 − 113 = 374, / 40 = 9.35 → step 10; start floor(113 / 10) × 10 = 110; (487 − 110) / 10 → 38 bins
    expect(binLayout(113, 487, 40)).toEqual({ start: 110, step: 10, count: 38 });
  });
});

describe('least-squares line', () => {
  it('fits slope and intercept by hand', () => {
    // x̄ = 2.5, ȳ = 4.75; Sxy = (−1.5)(−2.75) + (−0.5)(−0.75) + (0.5)(0.25) + (1.5)(3.25) = 9.5;
    // Sxx = 5 → slope 1.9, intercept 4.75 − 1.9 × 2.5 = 0; Syy = 18.75 → r² = 9.5² / (5 × 18.75) = 0.96267.
    const f = linearFit([1, 2, 3, 4], [2, 4, 5, 8])!;
    expect(f.slope).toBeCloseTo(1.9, 12);
    expect(f.intercept).toBeCloseTo(0, 12);
    expect(f.r2).toBeCloseTo(0.9626667, 6);
    expect(f).toMatchObject({ n: 4, xMin: 1, xMax: 4 });
  });

  it('has no slope without spread in x, and skips incomplete pairs', () => {
    expect(linearFit([3, 3, 3], [1, 2, 3])).toBeNull();
    expect(linearFit([1, Number.NaN, 2], [10, 0, 20])).toMatchObject({ n: 2, slope: 10 });
  });

  it('mean and sample sd: [2, 4, 4, 4, 5, 5, 7, 9] → mean 5, sd √(32 / 7) = 2.138', () => {
    const m = meanSd([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(m.mean).toBe(5);
    expect(m.sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });
});
