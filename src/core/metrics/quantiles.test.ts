import { describe, expect, it } from 'vitest';
import { latencySummary, medianSorted, quantileSorted, sortedSample } from './quantiles.ts';

describe('quantiles (linear interpolation, type 7)', () => {
  it('takes the middle value of an odd sample and the mean of the two middle values of an even one', () => {
    expect(medianSorted(sortedSample([5, 1, 3]))).toBe(3);
    expect(medianSorted(sortedSample([4, 1, 3, 2]))).toBe(2.5);
  });

  it('interpolates p95 and p99 between order statistics, as computed by hand', () => {
    const s = sortedSample(Array.from({ length: 20 }, (_, i) => i + 1)); // 1..20
    // h = 19 × 0.95 = 18.05 → x[18] + 0.05 × (x[19] − x[18]) = 19 + 0.05
    expect(quantileSorted(s, 0.95)).toBeCloseTo(19.05, 10);
    // h = 19 × 0.99 = 18.81 → 19 + 0.81
    expect(quantileSorted(s, 0.99)).toBeCloseTo(19.81, 10);
    expect(quantileSorted(s, 0)).toBe(1);
    expect(quantileSorted(s, 1)).toBe(20);
  });

  it('sorts numbers numerically (100 after 20) and ignores non-finite values', () => {
    expect([...sortedSample([100, 20, 3, Number.NaN, Infinity])]).toEqual([3, 20, 100]);
  });

  it('returns nulls for an empty sample instead of inventing a latency', () => {
    expect(latencySummary([])).toEqual({ n: 0, median: null, p95: null, p99: null });
    expect(latencySummary([42])).toEqual({ n: 1, median: 42, p95: 42, p99: 42 });
  });

  it('refuses a p outside [0, 1]', () => {
    expect(() => quantileSorted([1, 2], 1.5)).toThrow(/within \[0, 1\]/);
  });
});
