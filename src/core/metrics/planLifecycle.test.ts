// The plan never recommends a retired model, however fast it was, and flags a deprecated one with
// its shutdown date — in the report's JSON and in its Markdown (which the HTML report embeds).
import { describe, expect, it } from 'vitest';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { loadModels } from '../models.ts';
import { planLifecycle } from '../modelLifecycle.ts';
import { uniformFloors } from './planner.ts';
import { buildReport, type ReportData, type ReportOkCall, type ReportResultRow } from './report.ts';
import { renderMarkdown } from './reportFormat.ts';

const BASE = 'openai:gpt-4o'; // deprecated: shuts down 2027-01-14
const RETIRED = 'groq:llama-3.1-8b-instant'; // shut down 2026-08-16; replacement groq:openai/gpt-oss-20b
const CURRENT = 'groq:openai/gpt-oss-120b';
const VALUES: Record<TaskId, unknown> = {
  platform: 'aws',
  product: 'S3',
  technical_details: { present: ['error'], missing: [] },
  asset_ids: ['a'],
  severity: 'high',
};

/** Three models that all agree; the retired one is the fastest on every task, the baseline the slowest. */
function data(): ReportData {
  const results: ReportResultRow[] = [];
  const okCalls: ReportOkCall[] = [];
  const ms: Record<string, number> = { [BASE]: 300, [RETIRED]: 20, [CURRENT]: 90 };
  for (let i = 0; i < 6; i++) {
    for (const m of [BASE, RETIRED, CURRENT]) {
      for (const t of TASK_IDS) {
        results.push({ ticketId: `T${i}`, task: t, model: m, status: 'ok', value: VALUES[t], attempts: 1, errorCode: null });
        okCalls.push({ ticketId: `T${i}`, task: t, model: m, latencyMs: ms[m]! + i, costUsd: 0.0001 });
      }
    }
  }
  const callCounts = new Map<string, number>();
  for (const c of okCalls) callCounts.set(`${c.task}\u0000${c.model}`, (callCounts.get(`${c.task}\u0000${c.model}`) ?? 0) + 1);
  return {
    run: {
      id: 'experiment-l',
      kind: 'experiment',
      status: 'done',
      created_at: '2026-12-01T10:00:00.000Z',
      models: [BASE, RETIRED, CURRENT],
      baseline: BASE,
      upstream: 'own',
      tickets: 6,
    },
    results,
    okCalls,
    callCounts,
    labels: new Map(),
    reviews: {},
  };
}

describe('plan and model lifecycle', () => {
  const registry = loadModels();
  const lifecycle = planLifecycle([BASE, RETIRED, CURRENT], '2026-12-04', registry);

  it('never recommends a retired model, even the fastest one', () => {
    const r = buildReport(data(), { baseline: BASE, assignment: null, floors: uniformFloors(0.8), lifecycle });
    expect(r.plan.recommended).not.toBeNull();
    for (const t of TASK_IDS) expect(r.plan.recommended!.assignment[t]).toBe(CURRENT);
    for (const s of r.plan.floor_sweep) for (const t of TASK_IDS) expect(s.assignment?.[t]).not.toBe(RETIRED);
    expect(r.plan.model_lifecycle[RETIRED]).toMatchObject({
      status: 'retired',
      shutdown_on: '2026-08-16',
      replacement: 'groq:openai/gpt-oss-20b',
    });
  });

  it('flags deprecated models with their shutdown date in JSON and Markdown', () => {
    const r = buildReport(data(), { baseline: BASE, assignment: null, floors: uniformFloors(0.8), lifecycle });
    expect(r.plan.model_lifecycle[BASE]).toMatchObject({ status: 'deprecated', shutdown_on: '2027-01-14' });
    expect(r.plan.baseline.warnings).toEqual([
      expect.stringMatching(/gpt-4o shuts down on 2027-01-14 \(41 days\); replacement gpt-6\.1-sol/),
    ]);
    const md = renderMarkdown(r);
    expect(md).toMatch(
      /⛔ `groq:llama-3\.1-8b-instant` is retired — never recommended: .*shut down on 2026-08-16; use groq:openai\/gpt-oss-20b instead/,
    );
    expect(md).toMatch(/⚠ `openai:gpt-4o` is deprecated: gpt-4o shuts down on 2027-01-14/);
  });

  it('says so when the recommendation itself uses a deprecated model', () => {
    // Only the deprecated baseline reaches a 0.8 floor once the others disagree on platform.
    const d = data();
    for (const r of d.results) if (r.task === 'platform' && r.model !== BASE) r.value = 'gcp';
    const lc = planLifecycle([BASE, RETIRED, CURRENT], '2026-12-04', registry);
    const r = buildReport(d, { baseline: BASE, assignment: null, floors: uniformFloors(0.8), lifecycle: lc });
    expect(r.plan.recommended!.assignment.platform).toBe(BASE);
    expect(renderMarkdown(r)).toMatch(/The recommendation uses a deprecated model\*\*: gpt-4o shuts down on 2027-01-14/);
  });
});
