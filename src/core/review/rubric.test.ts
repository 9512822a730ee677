import { describe, expect, it } from 'vitest';
import { checkScore, RUBRIC } from './rubric.ts';

const refused = (r: ReturnType<typeof checkScore>): string => (r.ok ? 'accepted' : r.reason);
const score = (r: ReturnType<typeof checkScore>): number | string => (r.ok ? r.value.score : r.reason);

describe('the manual-review rubric (contracts §6)', () => {
  it('scores platform, product and asset ids 0 or 1 and refuses anything else with the rule', () => {
    expect(refused(checkScore({ task: 'platform', score: 0.5 }))).toBe('platform is scored 0 or 1');
    expect(refused(checkScore({ task: 'asset_ids', score: 2 }))).toBe('asset_ids is scored 0 or 1');
    expect(score(checkScore({ task: 'product', score: 1 }))).toBe(1);
    expect(score(checkScore({ task: 'product', score: 0 }))).toBe(0);
    expect(refused(checkScore({ task: 'platform', score: Number.NaN }))).toMatch(/score must be a number/);
  });

  it('scores severity exact 1, one level off 0.5, else 0', () => {
    expect(refused(checkScore({ task: 'severity', score: 0.25 }))).toMatch(/severity is scored 0, 0.5 or 1/);
    expect(score(checkScore({ task: 'severity', correctValue: 'high' }, { answer: 'high' }))).toBe(1);
    expect(score(checkScore({ task: 'severity', correctValue: 'high' }, { answer: 'urgent' }))).toBe(0.5);
    expect(score(checkScore({ task: 'severity', correctValue: 'high' }, { answer: 'normal' }))).toBe(0.5);
    expect(score(checkScore({ task: 'severity', correctValue: 'HIGH' }, { answer: 'low' }))).toBe(0);
  });

  it('derives an exact score from the correct value and refuses a score that contradicts it', () => {
    expect(score(checkScore({ task: 'platform', correctValue: 'AWS' }, { answer: 'aws' }))).toBe(1);
    expect(score(checkScore({ task: 'asset_ids', correctValue: ['b', 'a', 'a'] }, { answer: ['a', 'b'] }))).toBe(1);
    expect(score(checkScore({ task: 'product', correctValue: 'Amazon S3' }, { answer: 'S3', platform: 'aws' }))).toBe(1);
    expect(refused(checkScore({ task: 'platform', score: 1, correctValue: 'gcp' }, { answer: 'aws' }))).toMatch(
      /contradicts the correct value you entered \(gcp\)/,
    );
    expect(refused(checkScore({ task: 'platform', correctValue: 'heroku' }, { answer: 'aws' }))).toMatch(
      /aws, gcp, azure, other:<vendor> or null/,
    );
    expect(refused(checkScore({ task: 'platform' }, { answer: 'aws' }))).toMatch(/needs a score \(0 or 1\) or the correct value/);
    // null is a correct value ("no platform"), not "none entered".
    const none = checkScore({ task: 'platform', correctValue: null }, { answer: null });
    expect(none.ok && none.value.correctValue).toBe(null);
    expect(score(none)).toBe(1);
  });

  it('scores technical details 1 − missing/M with missing ⊆ expected', () => {
    const expected = ['error message', 'region', 'account id'];
    expect(score(checkScore({ task: 'technical_details', expected, missing: ['region'] }))).toBeCloseTo(2 / 3, 12);
    expect(score(checkScore({ task: 'technical_details', expected, missing: [] }))).toBe(1);
    expect(score(checkScore({ task: 'technical_details', expected, missing: expected }))).toBe(0);
    expect(refused(checkScore({ task: 'technical_details', expected, missing: ['stack trace'] }))).toBe(
      'missing must be a subset of the expected details: "stack trace" is not expected',
    );
    expect(refused(checkScore({ task: 'technical_details', missing: [] }))).toMatch(/needs a score/);
    expect(refused(checkScore({ task: 'technical_details', expected, missing: ['region'], score: 0.5 }))).toBe(
      'score 0.5 does not match 1 − 1/3 = 0.667',
    );
    expect(refused(checkScore({ task: 'platform', score: 1, missing: [] }))).toMatch(/technical_details only/);
  });

  it('accepts count-only technical-details lines (imports) only when the score is 1 − k/M', () => {
    expect(score(checkScore({ task: 'technical_details', score: 0.75, expectedCount: 4 }))).toBe(0.75);
    expect(refused(checkScore({ task: 'technical_details', score: 0.4, expectedCount: 4 }))).toMatch(/not 1 − k\/4/);
    expect(refused(checkScore({ task: 'technical_details', score: 0.5, expectedCount: 2, missing: ['a', 'b', 'c'] }))).toMatch(
      /3 details but only 2/,
    );
  });

  it('scores a ticket with no technical details (M = 0): 1 when the answer says none, 0 when it invents some', () => {
    const none = { present: [], missing: ['lambda function name'] };
    const invented = { present: ['No Lambda function details are provided'], missing: [] };
    // Derived from the answer when no score is given.
    expect(score(checkScore({ task: 'technical_details', expected: [], missing: [] }, { answer: none }))).toBe(1);
    expect(score(checkScore({ task: 'technical_details', expected: [] }, { answer: invented }))).toBe(0);
    // A score that contradicts the answer is refused with the reason.
    expect(refused(checkScore({ task: 'technical_details', expected: [], score: 1 }, { answer: invented }))).toMatch(
      /score 1 contradicts M = 0: the answer names "No Lambda function details are provided"/,
    );
    expect(refused(checkScore({ task: 'technical_details', expected: [], score: 0 }, { answer: none }))).toMatch(
      /score 0 contradicts M = 0/,
    );
    // Nothing can be missing, and only 0 or 1 fit.
    expect(refused(checkScore({ task: 'technical_details', expected: [], missing: ['region'] }, { answer: none }))).toMatch(
      /no technical details \(M = 0\)/,
    );
    expect(refused(checkScore({ task: 'technical_details', expectedCount: 0, score: 0.5 }))).toMatch(/1 \(the answer says none\) or 0/);
    const stored = checkScore({ task: 'technical_details', expectedCount: 0, score: 1 });
    expect(stored.ok && stored.value).toMatchObject({ score: 1, expectedCount: 0, missing: [] });
    expect(refused(checkScore({ task: 'technical_details', expectedCount: -1, score: 1 }))).toMatch(/whole number, 0 when it has none/);
  });

  it('accepts a plain technical-details score in [0, 1] (spreadsheets, other tools); a missing list given with it must fit', () => {
    for (const s of [0, 0.3, 2 / 3, 1]) expect(score(checkScore({ task: 'technical_details', score: s }))).toBe(s);
    expect(refused(checkScore({ task: 'technical_details', score: 1.5 }))).toMatch(/scored from 0 to 1, not 1.5/);
    expect(refused(checkScore({ task: 'technical_details', score: -0.1 }))).toMatch(/scored from 0 to 1/);
    // With names but no M: M follows from the score when it is whole.
    const third = checkScore({ task: 'technical_details', score: 2 / 3, missing: ['region'] });
    expect(third.ok && third.value.expectedCount).toBe(3);
    expect(score(checkScore({ task: 'technical_details', score: 0, missing: ['region', 'error'] }))).toBe(0);
    expect(refused(checkScore({ task: 'technical_details', score: 0.4, missing: ['region'] }))).toMatch(/not 1 − 1\/M for any whole M/);
    expect(refused(checkScore({ task: 'technical_details', score: 0.5, missing: [] }))).toMatch(
      /missing lists no details, so the score is 1/,
    );
    expect(refused(checkScore({ task: 'technical_details', score: 1, missing: ['region'] }))).toMatch(/not 1 − 1\/M/);
  });

  it('describes every task for the screen', () => {
    expect(RUBRIC.severity.scores).toEqual([0, 0.5, 1]);
    expect(RUBRIC.platform.scores).toEqual([0, 1]);
    expect(RUBRIC.technical_details.scores).toBeNull();
  });
});
