// Results of trace review: per criterion, what each model's calls got and agreement between
// reviewers (κ per pair; α nominal here, interval from review/agreement.ts).
import type { CriterionResult, PairAgreementView, TraceReviewResults } from '#shared/traceReview.ts';
import { cohensKappa } from '../metrics/agreement.ts';
import { krippendorffAlphaInterval } from '../review/agreement.ts';
import type { Store } from '../store/store.ts';
import type { Row } from './traceQueries.ts';
import { num, parse, traceQueueView } from './traceReviewRows.ts';

/**
 * Krippendorff's α, nominal metric, over units of values (one array per unit; units with fewer than
 * two values are not pairable). α = 1 − (n − 1)·Σᵤ(Σ_{i≠j} [vᵢ ≠ vⱼ] / (mᵤ − 1)) / Σ_{c≠k} n_c·n_k.
 * Null when nothing is pairable or every value is the same.
 */
export function krippendorffAlphaNominal(units: ReadonlyArray<readonly string[]>): number | null {
  let n = 0;
  let within = 0;
  const counts = new Map<string, number>();
  for (const u of units) {
    const m = u.length;
    if (m < 2) continue;
    const c = new Map<string, number>();
    for (const v of u) c.set(v, (c.get(v) ?? 0) + 1);
    let same = 0;
    for (const k of c.values()) same += k * (k - 1);
    within += (m * (m - 1) - same) / (m - 1);
    n += m;
    for (const [v, k] of c) counts.set(v, (counts.get(v) ?? 0) + k);
  }
  if (n < 2) return null;
  let sq = 0;
  for (const k of counts.values()) sq += k * k;
  const expected = n * n - sq;
  if (expected === 0) return null;
  return 1 - ((n - 1) * within) / expected;
}

const keyOf = (v: unknown): string => JSON.stringify(v);

/** Results per criterion: per model what the calls got, and agreement between reviewers (the source counts as one). */
export function traceReviewResults(store: Store, opts: { queueId?: string } = {}): TraceReviewResults {
  const rubric = opts.queueId ? traceQueueView(store, opts.queueId).rubric : null;
  const rows = (
    opts.queueId
      ? store
          .prepare(`SELECT r.*, c.model_spec FROM trace_reviews r JOIN calls c ON c.id = r.call_id
          WHERE r.superseded_by IS NULL AND r.call_id IN (SELECT call_id FROM trace_review_items WHERE queue_id = ?) ORDER BY r.id`)
          .all(opts.queueId)
      : store
          .prepare(
            `SELECT r.*, c.model_spec FROM trace_reviews r JOIN calls c ON c.id = r.call_id WHERE r.superseded_by IS NULL ORDER BY r.id`,
          )
          .all()
  ) as Row[];
  // the latest value per (criterion, call, reviewer)
  const latest = new Map<string, Row>();
  for (const r of rows) latest.set(`${String(r.criterion)}\u0000${num(r.call_id)}\u0000${String(r.reviewer)}`, r);
  const byCriterion = new Map<string, Row[]>();
  for (const r of latest.values()) {
    const k = String(r.criterion);
    const l = byCriterion.get(k);
    if (l) l.push(r);
    else byCriterion.set(k, [r]);
  }
  const criteria: CriterionResult[] = [];
  const ids = rubric ? rubric.map((c) => c.id) : [...byCriterion.keys()].sort();
  for (const id of ids) {
    const list = (byCriterion.get(id) ?? []).filter((r) => r.kind !== 'note');
    const def = rubric?.find((c) => c.id === id);
    const kind = (def?.kind ?? (list[0]?.kind as CriterionResult['kind'] | undefined) ?? 'note') as CriterionResult['kind'];
    if (kind === 'note') continue;
    const models = new Map<string, { n: number; pass: number; passN: number; sum: number; sumN: number; labels: Record<string, number> }>();
    for (const r of list) {
      const m = String(r.model_spec);
      let s = models.get(m);
      if (!s) models.set(m, (s = { n: 0, pass: 0, passN: 0, sum: 0, sumN: 0, labels: {} }));
      s.n++;
      const v = parse(r.value);
      if (typeof v === 'boolean') {
        s.passN++;
        if (v) s.pass++;
      } else if (typeof v === 'number') {
        s.sum += v;
        s.sumN++;
      } else if (typeof v === 'string') s.labels[v] = (s.labels[v] ?? 0) + 1;
    }
    // agreement: per call, each reviewer's value
    const perCall = new Map<number, Map<string, unknown>>();
    for (const r of list) {
      const c = num(r.call_id)!;
      let m = perCall.get(c);
      if (!m) perCall.set(c, (m = new Map()));
      m.set(String(r.reviewer), parse(r.value));
    }
    const reviewers = [...new Set(list.map((r) => String(r.reviewer)))].sort();
    const units = [...perCall.values()].filter((m) => m.size >= 2);
    const alpha =
      kind === 'score'
        ? krippendorffAlphaInterval(units.map((m) => [...m.values()].filter((v): v is number => typeof v === 'number')))
        : krippendorffAlphaNominal(units.map((m) => [...m.values()].map(keyOf)));
    const pairs: PairAgreementView[] = [];
    for (let i = 0; i < reviewers.length; i++) {
      for (let j = i + 1; j < reviewers.length; j++) {
        const a: string[] = [];
        const b: string[] = [];
        for (const m of perCall.values()) {
          if (m.has(reviewers[i]!) && m.has(reviewers[j]!)) {
            a.push(keyOf(m.get(reviewers[i]!)));
            b.push(keyOf(m.get(reviewers[j]!)));
          }
        }
        if (a.length === 0) continue;
        const agree = a.filter((x, k) => x === b[k]).length;
        pairs.push({ a: reviewers[i]!, b: reviewers[j]!, n: a.length, agreement: agree / a.length, kappa: cohensKappa(a, b) });
      }
    }
    criteria.push({
      criterion: id,
      label: def?.label ?? id,
      kind,
      models: [...models.entries()]
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([model, s]) => ({
          model,
          n: s.n,
          passRate: s.passN ? s.pass / s.passN : null,
          mean: s.sumN ? s.sum / s.sumN : null,
          labels: s.labels,
        })),
      reviewers,
      units: units.length,
      alpha,
      pairs,
    });
  }
  return { queueId: opts.queueId ?? null, criteria };
}
