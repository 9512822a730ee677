import { describe, expect, it } from 'vitest';
import type { TaskId } from '#shared/tasks.ts';
import { krippendorffAlphaInterval, reviewerAgreement } from './agreement.ts';
import type { Review } from './reviewsRepo.ts';

let nextId = 1;
const review = (
  reviewer: string,
  ticketId: string,
  score: number,
  task: TaskId = 'platform',
  model = 'm1',
  scoredAt = '2026-11-25T10:00:00.000Z',
): Review => ({
  id: nextId++,
  ticketId,
  task,
  model,
  runId: 'r',
  answerValue: undefined,
  reviewer,
  score,
  correctValue: undefined,
  missing: null,
  expected: null,
  expectedCount: null,
  note: null,
  scoredAt,
  queueId: null,
  source: 'local',
});

describe("Krippendorff's α, interval metric", () => {
  it('matches a table computed by hand (three reviewers, a missing score, a unit with one score)', () => {
    // unit  r1   r2   r3
    //  u1   1    1    1
    //  u2   0    0    0.5
    //  u3   1    0.5  —
    //  u4   0    1    1
    //  u5   1    —    —      (one score: not pairable, left out)
    // Pairable values n = 3+3+2+3 = 11. δ(a,b) = (a−b)².
    // Within units, Σ over ordered pairs i≠j of δ, divided by (m_u − 1):
    //   u1: 0
    //   u2: unordered (0,0)=0, (0,.5)=.25, (0,.5)=.25 → .5; ordered 1.0; /2 = 0.5
    //   u3: unordered (1,.5)=.25; ordered 0.5; /1 = 0.5
    //   u4: unordered (0,1)=1, (0,1)=1, (1,1)=0 → 2; ordered 4; /2 = 2
    //   A = 3
    // All 11 values: six 1s, three 0s, two 0.5s. Unordered pairs: 1–0: 6·3·1 = 18; 1–.5: 6·2·.25 = 3;
    //   0–.5: 3·2·.25 = 1.5 → 22.5; ordered B = 45.
    // α = 1 − (n−1)·A/B = 1 − 10·3/45 = 1/3.
    expect(krippendorffAlphaInterval([[1, 1, 1], [0, 0, 0.5], [1, 0.5], [0, 1, 1], [1]])).toBeCloseTo(1 / 3, 12);
  });

  it("reproduces Krippendorff's published example (4 observers, 12 units, values 1–5): interval α = 0.849", () => {
    // K. Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), the reliability data
    // with missing values; the paper reports α_interval = 0.849.
    const A = [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null];
    const B = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3];
    const C = [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null];
    const D = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null];
    const units = A.map((_, i) => [A[i], B[i], C[i], D[i]].filter((v): v is number => v !== null && v !== undefined));
    expect(krippendorffAlphaInterval(units)).toBeCloseTo(0.849, 3);
  });

  it('is 1 for perfect agreement and null when nothing varies or nothing is pairable', () => {
    expect(
      krippendorffAlphaInterval([
        [1, 1],
        [0, 0],
        [0.5, 0.5],
      ]),
    ).toBe(1);
    expect(
      krippendorffAlphaInterval([
        [1, 1],
        [1, 1, 1],
      ]),
    ).toBeNull();
    expect(krippendorffAlphaInterval([[1], [0]])).toBeNull();
  });
});

describe('agreement among reviewers', () => {
  it("gives Cohen's κ for two reviewers, matching a table computed by hand", () => {
    // answer  a    b
    //   1     1    1
    //   2     1    1
    //   3     1    1
    //   4     1    1
    //   5     1    0
    //   6     1    1
    //   7     0    0
    //   8     0    0
    //   9     0    1
    //  10    0.5  0.5
    // pₒ = 8/10 = 0.8. Marginals: a: 1×6, 0×3, 0.5×1; b: 1×6, 0×3, 0.5×1.
    // pₑ = (6·6 + 3·3 + 1·1)/100 = 0.46. κ = (0.8 − 0.46)/(1 − 0.46) = 0.34/0.54 = 17/27 ≈ 0.6296.
    const a = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0.5];
    const b = [1, 1, 1, 1, 0, 1, 0, 0, 1, 0.5];
    const task: TaskId = 'severity';
    const reviews = [...a.map((s, i) => review('alice', `T${i + 1}`, s, task)), ...b.map((s, i) => review('bob', `T${i + 1}`, s, task))];
    const rows = reviewerAgreement(reviews);
    const sev = rows.find((r) => r.task === 'severity')!;
    expect(sev.reviewers).toEqual(['alice', 'bob']);
    expect(sev.units).toBe(10);
    expect(sev.kappa).toBeCloseTo(17 / 27, 12);
    expect(sev.pairs).toEqual([{ a: 'alice', b: 'bob', n: 10, agreement: 0.8, kappa: sev.kappa }]);
    expect(sev.metric).toBe('interval');
    // α on the same table by hand: 10 units of 2, n = 20. Within: answers 5 and 9 each give ordered
    // Σδ = 2·1 = 2, /(2−1) → A = 4. Values: twelve 1s, six 0s, two 0.5s. Unordered Σδ:
    // 12·6·1 + 12·2·.25 + 6·2·.25 = 72 + 6 + 3 = 81 → B = 162. α = 1 − 19·4/162 = 1 − 76/162 ≈ 0.5309.
    expect(sev.alpha).toBeCloseTo(1 - 76 / 162, 12);
  });

  it("uses α (not κ) for three reviewers, lists each pair's κ, and lets a re-score replace the reviewer's earlier one", () => {
    const reviews = [
      review('a', 'T1', 1),
      review('b', 'T1', 1),
      review('c', 'T1', 1),
      review('a', 'T2', 0),
      review('b', 'T2', 0),
      review('c', 'T2', 0),
      review('a', 'T3', 1),
      review('b', 'T3', 0),
      review('c', 'T3', 1),
      // c first said 0 on T4, then corrected to 1 (the later score stands).
      review('a', 'T4', 1),
      review('b', 'T4', 1),
      review('c', 'T4', 0, 'platform', 'm1', '2026-11-25T10:00:00.000Z'),
      review('c', 'T4', 1, 'platform', 'm1', '2026-11-25T11:00:00.000Z'),
      // scored by one reviewer only: not a unit
      review('a', 'T5', 1),
    ];
    const p = reviewerAgreement(reviews).find((r) => r.task === 'platform')!;
    expect(p.units).toBe(4);
    expect(p.kappa).toBeNull();
    expect(p.pairs.map((x) => `${x.a}-${x.b}:${x.n}`)).toEqual(['a-b:4', 'a-c:4', 'b-c:4']);
    expect(p.pairs.find((x) => x.a === 'a' && x.b === 'c')!.kappa).toBe(1);
    // By hand: units (1,1,1), (0,0,0), (1,0,1), (1,1,1); n = 12. Within: only T3 — ordered Σδ = 4
    // (two unordered 1–0 pairs, each 1, doubled), /(3−1) = 2 → A = 2. Values: eight 1s, four 0s →
    // unordered Σδ = 32, B = 64. α = 1 − 11·2/64 = 1 − 22/64 = 0.65625.
    expect(p.alpha).toBeCloseTo(0.65625, 12);
  });
});
