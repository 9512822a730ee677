import { describe, expect, it } from 'vitest';
import { describeAgreement, money } from './shadowLogic.ts';

describe('Shadow view words', () => {
  it('says why there is no agreement yet, and the share with how many pairs it is over', () => {
    expect(describeAgreement({ agreement: null, nCompared: 0, answered: 0 })).toBe('no answers yet');
    expect(describeAgreement({ agreement: null, nCompared: 0, answered: 3 })).toBe('no pair to compare yet');
    expect(describeAgreement({ agreement: 0.92, nCompared: 25, answered: 26 })).toBe('agrees 92.0 % (of 25)');
  });
  it('shows sub-cent spend with four decimals, never as $0.00', () => {
    expect(money(0.00011)).toBe('$0.0001');
    expect(money(0)).toBe('$0.00');
    expect(money(1.5)).toBe('$1.50');
  });
});
