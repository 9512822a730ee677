import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { uniformFloors } from './planner.ts';
import { buildReport, type ReportData, type ReportOkCall, type ReportResultRow } from './report.ts';
import { CSV_COLUMNS, renderCsv, renderMarkdown } from './reportFormat.ts';

const B = 'openai:gpt-4o';
const M = 'groq:m';
const OTHER: TaskId[] = ['product', 'technical_details', 'asset_ids', 'severity'];
const VALUES: Record<TaskId, unknown> = {
  platform: 'aws',
  product: 'S3',
  technical_details: { present: ['error'], missing: [] },
  asset_ids: ['a'],
  severity: 'high',
};

/**
 * Four tickets. Platform: the baseline answers aws, gcp, azure, aws in 100…400 ms; the model
 * answers aws on T1, T2 (second try) and T4 in 50/60/70 ms and fails T3 with invalid output, so
 * its product, technical details and asset ids on T3 are skipped. Other tasks: both agree, the
 * baseline in 100 ms, the model in 10 ms (T3: severity only).
 */
function fixture(): ReportData {
  const results: ReportResultRow[] = [];
  const okCalls: ReportOkCall[] = [];
  const ok = (
    ticketId: string,
    task: TaskId,
    model: string,
    value: unknown,
    ms: number,
    attempts = 1,
    cost: number | null = model === B ? 0.001 : 0.0001,
  ): void => {
    results.push({ ticketId, task, model, status: 'ok', value, attempts, errorCode: null });
    okCalls.push({ ticketId, task, model, latencyMs: ms, costUsd: cost });
  };
  const basePlatform = ['aws', 'gcp', 'azure', 'aws'];
  for (let i = 0; i < 4; i++) {
    const id = `T${i + 1}`;
    ok(id, 'platform', B, basePlatform[i], (i + 1) * 100);
    for (const t of OTHER) ok(id, t, B, VALUES[t], 100);
  }
  ok('T1', 'platform', M, 'aws', 50);
  ok('T2', 'platform', M, 'aws', 60, 2);
  results.push({ ticketId: 'T3', task: 'platform', model: M, status: 'error', value: null, attempts: 2, errorCode: 'INVALID_OUTPUT' });
  ok('T4', 'platform', M, 'aws', 70);
  for (const id of ['T1', 'T2', 'T4']) for (const t of OTHER) ok(id, t, M, VALUES[t], 10);
  for (const t of ['product', 'technical_details', 'asset_ids'] as const) {
    results.push({ ticketId: 'T3', task: t, model: M, status: 'skipped', value: null, attempts: 0, errorCode: 'SKIPPED' });
  }
  ok('T3', 'severity', M, 'high', 10);
  // Our own Ctrl-C: neither a success nor a failure of the model.
  results.push({ ticketId: 'T5', task: 'severity', model: M, status: 'error', value: null, attempts: 0, errorCode: 'CANCELLED' });
  const callCounts = new Map<string, number>();
  for (const c of okCalls) callCounts.set(`${c.task}\u0000${c.model}`, (callCounts.get(`${c.task}\u0000${c.model}`) ?? 0) + 1);
  callCounts.set(`platform\u0000${M}`, 6); // 3 ok + a retry + two invalid answers on T3
  return {
    run: {
      id: 'experiment-x',
      kind: 'experiment',
      status: 'done',
      created_at: '2026-11-25T10:00:00.000Z',
      models: [B, M],
      baseline: B,
      upstream: 'own',
      tickets: 4,
    },
    results,
    okCalls,
    callCounts,
    labels: new Map([
      ['T1', { platform: 'AWS' }],
      ['T2', { platform: 'gcp' }],
    ]),
    reviews: {},
  };
}

const opts = { baseline: B, assignment: null, floors: uniformFloors(0.8) };

describe('report: per task and model (contracts §6)', () => {
  const r = buildReport(fixture(), opts);
  const m = r.tasks.platform[M]!;
  const b = r.tasks.platform[B]!;

  it('counts failures in the success rates: 3 of 4 attempted succeeded, 2 of them at the first try', () => {
    expect(m).toMatchObject({
      n: 4,
      success_rate: 0.75,
      first_try_success_rate: 0.5,
      n_failed: 1,
      failures: { INVALID_OUTPUT: 1 },
      calls: 6,
    });
    expect(b).toMatchObject({ n: 4, success_rate: 1, first_try_success_rate: 1, n_failed: 0 });
  });

  it('takes agreement over tickets where both calls succeeded, and κ = 0 for a model that always says aws', () => {
    // T1 aws/aws, T2 aws/gcp, T4 aws/aws → 2/3; κ: pₒ = 2/3, pₑ = (3·2)/9 = 2/3 → 0
    expect(m.agreement_rate).toBe(0.6667);
    expect(m.n_compared).toBe(3);
    expect(m.kappa).toBe(0);
    expect(m.agreement_ci95![0]).toBeLessThanOrEqual(0.6667);
    expect(m.agreement_ci95![1]).toBeGreaterThanOrEqual(0.6667);
    expect(b.agreement_rate).toBeNull();
    expect(b.kappa).toBeNull();
    expect(r.tasks.asset_ids[M]!.kappa).toBeNull(); // sets have no κ
    expect(r.tasks.asset_ids[M]!.agreement_rate).toBe(1);
  });

  it('puts accuracy against gold labels beside agreement', () => {
    expect(r.has_labels).toBe(true);
    expect(m).toMatchObject({ accuracy: 0.5, n_labelled: 2 });
    expect(b).toMatchObject({ accuracy: 1, n_labelled: 2 });
  });

  it('takes latency quantiles over successful calls, and speed-up and cost against the baseline', () => {
    expect(b).toMatchObject({ median_ms: 250, p95_ms: 385, p99_ms: 397, speedup: 1, cost_per_1k_usd: 1, cost_ratio: 1 });
    expect(m).toMatchObject({ median_ms: 60, speedup: 4.17, cost_per_1k_usd: 0.1, cost_ratio: 10, price_unknown: false });
    expect(m.median_ms_ci95![0]).toBeGreaterThanOrEqual(50);
    expect(m.median_ms_ci95![1]).toBeLessThanOrEqual(70);
  });

  it('counts skipped tasks apart from attempts, and leaves our own cancellations out', () => {
    expect(r.tasks.product[M]).toMatchObject({ n: 3, n_skipped: 1, success_rate: 1 });
    expect(r.tasks.severity[M]).toMatchObject({ n: 4, n_failed: 0 });
  });

  it('holds every contract key for every task and model, and an empty reviews hook', () => {
    for (const t of TASK_IDS) {
      for (const model of [B, M]) {
        expect(Object.keys(r.tasks[t][model]!)).toEqual(
          expect.arrayContaining([
            'n',
            'agreement_rate',
            'kappa',
            'success_rate',
            'median_ms',
            'p95_ms',
            'p99_ms',
            'speedup',
            'cost_per_1k_usd',
            'cost_ratio',
          ]),
        );
      }
    }
    expect(r.reviews).toEqual({});
  });

  it('is deterministic (seeded bootstrap)', () => {
    expect(buildReport(fixture(), opts)).toEqual(r);
  });
});

describe('report: the plan', () => {
  it('says why a recommendation costs more than the baseline, and offers the fastest plan within its cost', () => {
    const data = fixture();
    data.okCalls = data.okCalls.map((c) => (c.model === M ? { ...c, costUsd: 0.01 } : c)); // the faster model, 10× the price
    const r = buildReport(data, opts);
    // Baseline 5 × $1 = $5 per 1K tickets; recommended: the baseline's platform and severity (off
    // the critical path, so the cheaper one) + three × $10 = $32.
    expect(r.plan.recommended).toMatchObject({ cost_per_1k_tickets_usd: 32, cost_vs_baseline: 6.4, success_rate: 1, n_failed: 0 });
    expect(r.plan.recommended_cost_note).toMatch(
      /^it costs 6\.4× the baseline \(\$32\.00 vs \$5\.00 per 1K tickets\) because it is the fastest assignment that meets the quality floors \(1\.67× the baseline's speed\); no faster assignment that meets the floors stays within the baseline's cost$/,
    );
    expect(r.plan.within_baseline_cost).toBeNull();
    // When a faster plan does stay within the baseline's cost, it is offered.
    const cheaper = fixture();
    cheaper.okCalls = cheaper.okCalls.map((c) => (c.model === M ? { ...c, costUsd: c.task === 'product' ? 0.0005 : 0.01 } : c));
    const c = buildReport(cheaper, opts);
    expect(c.plan.recommended_cost_note).toMatch(/the fastest within the baseline's cost is \d\.\d\d× at \$\d+\.\d\d per 1K tickets$/);
    expect(c.plan.within_baseline_cost!.assignment.product).toBe(M);
    expect(c.plan.within_baseline_cost!.cost_per_1k_tickets_usd!).toBeLessThanOrEqual(5);
    expect(renderMarkdown(r)).toMatch(/⚠ The recommendation costs more than the baseline: it costs 6\.4×/);
    // A cheaper recommendation has no note.
    expect(buildReport(fixture(), opts).plan).toMatchObject({ recommended_cost_note: null, within_baseline_cost: null });
  });

  it('carries each plan’s failures, and a minimum success rate keeps a failing model out', () => {
    const low = buildReport(fixture(), { ...opts, floors: uniformFloors(0.5) });
    expect(low.plan.recommended!.assignment.platform).toBe(M);
    expect(low.plan.recommended).toMatchObject({ success_rate: 0.75, n_failed: 1 });
    const strict = buildReport(fixture(), { ...opts, floors: uniformFloors(0.5), minSuccessRate: 0.9 });
    expect(strict.plan.recommended!.assignment.platform).toBe(B);
    expect(strict.plan.recommended).toMatchObject({ success_rate: 1, n_failed: 0 });
  });

  it('evaluates the baseline, the recommendation under the floor, and p95 over per-ticket paths', () => {
    const r = buildReport(fixture(), { ...opts, assignment: { platform: M, product: M, technical_details: M, asset_ids: M, severity: M } });
    // Baseline: 250 + 100 + 100 = 450. The model's platform agreement (0.67) is under 0.8, so the
    // recommendation keeps the baseline's platform: 250 + 10 + 10 = 270.
    expect(r.plan.baseline).toMatchObject({ critical_path_median_ms: 450, speedup: 1, below_floor: [] });
    expect(r.plan.recommended!.assignment).toEqual({ platform: B, product: M, technical_details: M, asset_ids: M, severity: M });
    expect(r.plan.recommended).toMatchObject({ critical_path_median_ms: 270, speedup: 1.67, n_tickets_p95: 3 });
    // Per-ticket paths T1 120, T2 220, T4 420 → p95 = 220 + 0.9 × 200 = 400.
    expect(r.plan.recommended!.critical_path_p95_ms).toBe(400);
    expect(r.plan.recommended!.cost_per_1k_tickets_usd).toBeCloseTo(1 + 4 * 0.1, 6);
    expect(r.plan.assignment).toMatchObject({ critical_path_median_ms: 80, below_floor: ['platform'] });
    expect(r.plan.floor_sweep).toHaveLength(10);
    expect(r.plan.floor_sweep[0]).toMatchObject({ floor: 0.5, critical_path_median_ms: 80 }); // 0.67 ≥ 0.5
  });

  it('uses a review score instead of agreement where one exists', () => {
    const data = fixture();
    data.reviews = { platform: { [M]: { score: 0.9, n: 10 } } };
    const r = buildReport(data, opts);
    expect(r.plan.quality_source.platform).toBe('mixed');
    expect(r.plan.recommended!.assignment.platform).toBe(M);
    expect(r.reviews).toEqual({ platform: { [M]: { score: 0.9, n: 10 } } });
  });
});

describe('report output', () => {
  it('shows "price unknown", never $0, when a model has no price', () => {
    const data = fixture();
    for (const c of data.okCalls) if (c.model === M) c.costUsd = null;
    const r = buildReport(data, opts);
    expect(r.tasks.platform[M]).toMatchObject({ cost_per_1k_usd: null, cost_ratio: null, price_unknown: true });
    expect(renderMarkdown(r)).toMatch(/`groq:m` \| 66\.7 %.*\| price unknown \|/);
    const rows = parse(renderCsv(r), { columns: true }) as Array<Record<string, string>>;
    expect(rows.find((x) => x.task === 'platform' && x.model === M)).toMatchObject({ cost_per_1k_usd: '', cost_note: 'price unknown' });
  });

  it('renders the article-style tables, the failures under them, and the plan with its floor sweep', () => {
    const md = renderMarkdown(buildReport(fixture(), opts));
    expect(md).toContain('## Platform');
    expect(md).toContain(
      '| model | agreement (95 % CI) | κ | accuracy (n) | success 1st / final | median ms (95 % CI) | p95 ms | p99 ms | speed-up | cost per 1K | cost ratio | n |',
    );
    expect(md).toMatch(/\| `openai:gpt-4o` \(baseline\) \| — \| — \| 100\.0 % \(2\) \| 100\.0 % \/ 100\.0 % \| 250 \(/);
    expect(md).toContain('Failed (counted above): `groq:m` 1 (INVALID_OUTPUT 1).');
    expect(md).toContain('## Plan');
    expect(md).toMatch(/\| \*\*recommended\*\* \| `openai:gpt-4o` \| `groq:m` .*\| 270 ms \| 400 ms \(3\) \| 1\.67× \|/);
    expect(md).toContain('### As the floor moves');
    expect(md).toMatch(/\| 0\.50 \| 80 ms \| 5\.63× \|/);
  });

  it('writes one CSV row per task and model with a fixed header', () => {
    const csv = renderCsv(buildReport(fixture(), opts));
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(csv.split('\n')[0]).toBe(CSV_COLUMNS.join(','));
    expect(rows).toHaveLength(10);
    expect(rows[0]).toMatchObject({ task: 'platform', model: B, is_baseline: 'true', agreement_rate: '' });
    expect(rows[1]).toMatchObject({ task: 'platform', model: M, agreement_rate: '0.6667', success_rate: '0.75', n_failed: '1' });
  });
});
