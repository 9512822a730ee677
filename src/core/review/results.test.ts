import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/store.ts';
import { submitScore, type ScoreInput } from './reviewsRepo.ts';
import { reviewResults, reviewScores, wilsonInterval } from './results.ts';
import { BASE, fixtureStore, LARGE, RUN, SMALL } from './workspace.fixture.ts';

let store: Store;
let clock = Date.parse('2026-11-25T09:00:00Z');
const now = (): Date => new Date((clock += 60_000));
const score = (x: Omit<ScoreInput, 'runId'>): void => void submitScore(store, { runId: RUN, ...x }, { now });

beforeEach(() => {
  store = fixtureStore(join(mkdtempSync(join(tmpdir(), 'cb-review-')), 'w.db'));
});
afterEach(() => store.close());

/**
 * The hand-computed fixture:
 *
 * platform, LARGE (alice): T1 1, T2 1, T3 0, T4 1           → mean 3/4 = 0.75, n 4
 * platform, BASE  (alice): T3 0                               → mean 0, n 1
 * severity, SMALL: T1 alice 0.5 (correct "high", answer "urgent": one level off) and bob 1 → answer 0.75
 *                  T2 alice correct "urgent", answer "normal": two levels off → 0
 *                  T3 alice 1;  T4 alice correct "normal", answer "high" → 0.5
 *                  → mean (0.75 + 0 + 1 + 0.5)/4 = 0.5625, n 4 answers, 5 reviews
 * technical details, LARGE (bob): T1 expects 3, misses 1 → 2/3, n 1
 *
 * 95 % Wilson interval, z = 1.96, for mean p over n answers:
 *   centre = (p + z²/2n)/(1 + z²/n), half = z·√(p(1−p)/n + z²/4n²)/(1 + z²/n)
 *   p = 0.75, n = 4: 1 + 3.8415/4 = 1.9604; centre = (0.75 + 0.4802)/1.9604 = 0.6275;
 *     half = 1.96·√(0.046875 + 0.060023)/1.9604 = 1.96·0.32695/1.9604 = 0.3269 → [0.301, 0.954]
 *   p = 0.5625, n = 4: centre = (0.5625 + 0.4802)/1.9604 = 0.5319;
 *     half = 1.96·√(0.061523 + 0.060023)/1.9604 = 1.96·0.34864/1.9604 = 0.3486 → [0.183, 0.880]
 */
function seedReviews(): void {
  for (const [t, s] of [
    ['T1', 1],
    ['T2', 1],
    ['T3', 0],
    ['T4', 1],
  ] as const)
    score({ ticketId: t, task: 'platform', model: LARGE, reviewer: 'alice', score: s });
  score({ ticketId: 'T3', task: 'platform', model: BASE, reviewer: 'alice', score: 0 });
  score({ ticketId: 'T1', task: 'severity', model: SMALL, reviewer: 'alice', correctValue: 'high' });
  score({ ticketId: 'T1', task: 'severity', model: SMALL, reviewer: 'bob', score: 1 });
  score({ ticketId: 'T2', task: 'severity', model: SMALL, reviewer: 'alice', correctValue: 'urgent' });
  score({ ticketId: 'T3', task: 'severity', model: SMALL, reviewer: 'alice', score: 1 });
  score({ ticketId: 'T4', task: 'severity', model: SMALL, reviewer: 'alice', correctValue: 'normal' });
  score({
    ticketId: 'T1',
    task: 'technical_details',
    model: LARGE,
    reviewer: 'bob',
    expected: ['error message', 'account id', 'region'],
    missing: ['region'],
  });
}

describe('review results', () => {
  it("builds the article's manual-review table with n and 95 % intervals, checked by hand", () => {
    seedReviews();
    const r = reviewResults(store);
    const cell = (task: string, model: string) => r.table.cells.find((c) => c.task === task && c.model === model)!;
    expect(r.reviews).toBe(11);
    expect(r.reviewers).toEqual(['alice', 'bob']);
    expect(cell('platform', LARGE)).toMatchObject({ mean: 0.75, n: 4, reviews: 4 });
    expect(cell('platform', LARGE).ci95![0]).toBeCloseTo(0.301, 3);
    expect(cell('platform', LARGE).ci95![1]).toBeCloseTo(0.954, 3);
    expect(cell('severity', SMALL)).toMatchObject({ mean: 0.5625, n: 4, reviews: 5 });
    expect(cell('severity', SMALL).ci95![0]).toBeCloseTo(0.183, 3);
    expect(cell('severity', SMALL).ci95![1]).toBeCloseTo(0.88, 3);
    expect(cell('technical_details', LARGE).mean).toBeCloseTo(2 / 3, 12);
    expect(r.table.tasks).toEqual(['platform', 'technical_details', 'severity']);
  });

  it('keeps a lower bound below 1 when every score is 1 (a small perfect sample is not proof)', () => {
    // n = 20, p = 1: centre = (1 + 0.09604)/1.19208 = 0.91944, half = 1.96·√(0.0024010)/1.19208 = 0.08057 → 0.8389
    expect(wilsonInterval(1, 20)![0]).toBeCloseTo(0.8389, 4);
    expect(wilsonInterval(1, 20)![1]).toBe(1);
    expect(wilsonInterval(0.5, 0)).toBeNull();
  });

  it('gives the planner per task per model {mean, n, ci95}, optionally for one run', () => {
    seedReviews();
    const s = reviewScores(store, RUN);
    expect(Object.keys(s).sort()).toEqual(['asset_ids', 'platform', 'product', 'severity', 'technical_details']);
    expect(s.platform[LARGE]).toMatchObject({ mean: 0.75, n: 4 });
    expect(s.severity[SMALL]!.mean).toBe(0.5625);
    expect(s.product).toEqual({});
    expect(reviewScores(store, 'some-other-run').platform).toEqual({});
    expect(reviewScores(store).platform[LARGE]!.n).toBe(4);
  });

  it('shows where agreement with the baseline misleads', () => {
    seedReviews();
    const rows = reviewResults(store).baseline;
    // platform: LARGE agrees with gpt-4o on all four tickets (automated 100 %), yet reviewers failed T3,
    // where gpt-4o itself was wrong (its own review mean 0). κ(agrees, passed): agrees = yes×4,
    // passed = yes,yes,no,yes → pₒ = 3/4, pₑ = (4·3 + 0·1)/16 = 3/4 → κ = 0.
    const p = rows.find((r) => r.task === 'platform' && r.model === LARGE)!;
    expect(p).toMatchObject({
      baseline: BASE,
      n: 4,
      agreementRate: 1,
      reviewMean: 0.75,
      agreeButWrong: 1,
      disagreeButRight: 0,
      baselineReviewMean: 0,
      kappa: 0,
    });
    // severity: SMALL agrees with gpt-4o only on T3 (25 %); reviewers: 0.75, 0, 1, 0.5 → the one agreeing
    // answer is the one they passed: κ = 1, mean 1 when agreeing, (0.75 + 0 + 0.5)/3 when not.
    const s = rows.find((r) => r.task === 'severity' && r.model === SMALL)!;
    expect(s).toMatchObject({
      n: 4,
      agreementRate: 0.25,
      reviewMean: 0.5625,
      meanWhenAgree: 1,
      agreeButWrong: 0,
      disagreeButRight: 0,
      kappa: 1,
    });
    expect(s.meanWhenDisagree).toBeCloseTo(1.25 / 3, 12);
    // The baseline is not compared with itself.
    expect(rows.some((r) => r.model === BASE)).toBe(false);
  });
});
