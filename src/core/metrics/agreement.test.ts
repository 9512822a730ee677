import { describe, expect, it } from 'vitest';
import { agreementRate, cohensKappa, comparisonKey, labelKey } from './agreement.ts';

const rep = (k: string, n: number): string[] => Array.from({ length: n }, () => k);

describe('comparisonKey (contracts §6)', () => {
  it('compares asset ids as sets: order, duplicates and padding do not matter', () => {
    expect(comparisonKey('asset_ids', ['b', 'a', ' a'])).toBe(comparisonKey('asset_ids', ['a', 'b']));
    expect(comparisonKey('asset_ids', ['a'])).not.toBe(comparisonKey('asset_ids', ['a', 'b']));
    expect(comparisonKey('asset_ids', [])).toBe(comparisonKey('asset_ids', null));
  });

  it('compares technical details by "has details" only', () => {
    expect(comparisonKey('technical_details', { present: ['error text'], missing: [] })).toBe(
      comparisonKey('technical_details', { present: ['region', 'version'], missing: ['x'] }),
    );
    expect(comparisonKey('technical_details', { present: [], missing: ['region'] })).toBe('no details');
  });

  it('treats "no platform" (null) as an answer of its own', () => {
    expect(comparisonKey('platform', null)).toBe(comparisonKey('platform', null));
    expect(comparisonKey('platform', null)).not.toBe(comparisonKey('platform', 'aws'));
  });

  it('folds gold labels like answers: case, catalog aliases, sets, has-details', () => {
    expect(labelKey('platform', { platform: ' AWS ' })).toBe(comparisonKey('platform', 'aws'));
    expect(labelKey('product', { platform: 'aws', product: 'Amazon S3' })).toBe(comparisonKey('product', 'S3'));
    expect(labelKey('severity', { severity: 'High' })).toBe(comparisonKey('severity', 'high'));
    expect(labelKey('asset_ids', { asset_ids: ['y', 'x'] })).toBe(comparisonKey('asset_ids', ['x', 'y']));
    expect(labelKey('technical_details', { has_technical_details: true })).toBe('has details');
    expect(labelKey('severity', { platform: 'aws' })).toBeUndefined();
    expect(labelKey('platform', undefined)).toBeUndefined();
  });
});

describe('agreement rate and Cohen’s κ', () => {
  it('counts equal pairs over all pairs', () => {
    expect(agreementRate(['a', 'b', 'c', 'a'], ['a', 'b', 'x', 'y'])).toEqual({ agree: 2, n: 4, rate: 0.5 });
    expect(agreementRate([], [])).toEqual({ agree: 0, n: 0, rate: null });
  });

  it('reproduces the textbook two-rater example: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no → κ = 0.4', () => {
    // pₒ = 35/50 = 0.7; pₑ = 0.5·0.6 + 0.5·0.4 = 0.5; κ = (0.7 − 0.5)/(1 − 0.5) = 0.4
    const a = [...rep('yes', 20), ...rep('yes', 5), ...rep('no', 10), ...rep('no', 15)];
    const b = [...rep('yes', 20), ...rep('no', 5), ...rep('yes', 10), ...rep('no', 15)];
    expect(cohensKappa(a, b)).toBeCloseTo(0.4, 12);
  });

  it('handles three categories, computed by hand', () => {
    // pairs: (aws,aws)×4, (gcp,gcp)×3, (azure,azure)×1, (aws,gcp)×1, (gcp,azure)×1 → pₒ = 8/10
    // A: aws 5, gcp 4, azure 1; B: aws 4, gcp 4, azure 2 → pₑ = (20 + 16 + 2)/100 = 0.38
    // κ = (0.8 − 0.38)/(1 − 0.38) = 0.42/0.62
    const a = [...rep('aws', 4), ...rep('gcp', 3), 'azure', 'aws', 'gcp'];
    const b = [...rep('aws', 4), ...rep('gcp', 3), 'azure', 'gcp', 'azure'];
    expect(cohensKappa(a, b)).toBeCloseTo(0.42 / 0.62, 12);
  });

  it('is 0 when agreement is what chance predicts, negative below it, and undefined when both always say the same one thing', () => {
    expect(cohensKappa(['a', 'a', 'b', 'b'], ['a', 'b', 'a', 'b'])).toBeCloseTo(0, 12);
    expect(cohensKappa(['a', 'b'], ['b', 'a'])).toBeCloseTo(-1, 12);
    expect(cohensKappa(['a', 'a', 'a'], ['a', 'a', 'a'])).toBeNull();
    expect(cohensKappa([], [])).toBeNull();
  });
});
