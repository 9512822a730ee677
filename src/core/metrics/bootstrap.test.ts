import { describe, expect, it } from 'vitest';
import { bootstrapMedianCI, bootstrapProportionCI, mulberry32, seedFor } from './bootstrap.ts';
import { medianSorted, quantileSorted, sortedSample } from './quantiles.ts';

describe('seeded PRNG', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(mulberry32(8)()).not.toBe(xs[0]);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('gives each table cell its own stream from one base seed', () => {
    expect(seedFor(1, 'platform', 'groq:x')).toBe(seedFor(1, 'platform', 'groq:x'));
    expect(seedFor(1, 'platform', 'groq:x')).not.toBe(seedFor(1, 'product', 'groq:x'));
    expect(seedFor(1, 'ab', 'c')).not.toBe(seedFor(1, 'a', 'bc'));
    expect(seedFor(2, 'platform', 'groq:x')).not.toBe(seedFor(1, 'platform', 'groq:x'));
  });
});

describe('bootstrap CIs', () => {
  it('is deterministic: the same data and seed give the same interval', () => {
    expect(bootstrapProportionCI(70, 100, { seed: 3 })).toEqual(bootstrapProportionCI(70, 100, { seed: 3 }));
    const s = sortedSample(Array.from({ length: 201 }, (_, i) => 100 + ((i * 37) % 101)));
    expect(bootstrapMedianCI(s, { seed: 3 })).toEqual(bootstrapMedianCI(s, { seed: 3 }));
  });

  it('brackets a proportion about as wide as the normal approximation says (±1.96·√(p(1−p)/n))', () => {
    const [lo, hi] = bootstrapProportionCI(700, 1000)!;
    const half = 1.96 * Math.sqrt((0.7 * 0.3) / 1000); // ≈ 0.0284
    expect(lo).toBeLessThan(0.7);
    expect(hi).toBeGreaterThan(0.7);
    expect(Math.abs(0.7 - half - lo)).toBeLessThan(0.01);
    expect(Math.abs(0.7 + half - hi)).toBeLessThan(0.01);
  });

  it('collapses to the point for all-agree, none-agree and single values, and is null over nothing', () => {
    expect(bootstrapProportionCI(50, 50)).toEqual([1, 1]);
    expect(bootstrapProportionCI(0, 50)).toEqual([0, 0]);
    expect(bootstrapProportionCI(0, 0)).toBeNull();
    expect(bootstrapMedianCI([250])).toEqual([250, 250]);
    expect(bootstrapMedianCI([])).toBeNull();
  });

  it('brackets the sample median, matching a bootstrap done the slow way (resample, sort, take the median)', () => {
    for (const n of [500, 501, 40]) {
      const rng = mulberry32(11);
      const s = sortedSample(Array.from({ length: n }, () => 200 + 400 * rng() * rng()));
      const med = medianSorted(s)!;
      const [lo, hi] = bootstrapMedianCI(s)!;
      expect(lo).toBeLessThanOrEqual(med);
      expect(hi).toBeGreaterThanOrEqual(med);
      const slow = mulberry32(99);
      const meds: number[] = [];
      for (let r = 0; r < 2000; r++) meds.push(medianSorted(sortedSample(Array.from({ length: n }, () => s[Math.floor(slow() * n)]!)))!);
      const m = sortedSample(meds);
      const [slo, shi] = [quantileSorted(m, 0.025)!, quantileSorted(m, 0.975)!];
      expect(Math.abs(lo - slo), `n=${n} low end`).toBeLessThan(0.2 * (shi - slo));
      expect(Math.abs(hi - shi), `n=${n} high end`).toBeLessThan(0.2 * (shi - slo));
    }
  });

  it('draws the resample median from its exact distribution: for [1, 2, 3], P(1) = P(3) = 7/27, P(2) = 13/27', () => {
    // P(median = 1) = P(at least two of three draws are the 1) = 3·(1/3)²·(2/3) + (1/3)³ = 7/27 ≈ 0.26.
    expect(bootstrapMedianCI([1, 2, 3], { resamples: 20_000, confidence: 0.44 })).toEqual([2, 2]); // quantiles 0.28, 0.72
    expect(bootstrapMedianCI([1, 2, 3], { resamples: 20_000, confidence: 0.6 })).toEqual([1, 3]); // quantiles 0.20, 0.80
  });

  it('takes the mean of the two middle order statistics of an even resample', () => {
    // Two values: a resample's median is 10, 15 or 20 with probabilities ¼, ½, ¼.
    const [lo, hi] = bootstrapMedianCI([10, 20], { resamples: 4000 })!;
    expect(lo).toBe(10);
    expect(hi).toBe(20);
    const [lo2, hi2] = bootstrapMedianCI([10, 20], { resamples: 4000, confidence: 0.4 })!;
    expect([lo2, hi2]).toEqual([15, 15]);
  });
});
