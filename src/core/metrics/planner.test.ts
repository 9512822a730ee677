import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import {
  belowFloor,
  floorSweep,
  parseFloors,
  planCostPer1kTickets,
  planMedianMs,
  planTicketQuantile,
  recommend,
  uniformAssignment,
  uniformFloors,
  type PlanAssignment,
  type PlanTable,
  type TicketLatencies,
} from './planner.ts';

// The seed article's five tables and its manual review table, as data (test/fixtures/).
interface ArticleRow {
  model: string;
  agreement_pct: number | null;
  success_pct: number;
  median_ms: number;
  cost_per_1k_usd: number;
}
const article = JSON.parse(readFileSync(new URL('../../../test/fixtures/seed-article-tables.json', import.meta.url), 'utf8')) as {
  baseline: string;
  tasks: Record<TaskId, ArticleRow[]>;
  manual_review: { columns: TaskId[]; scores: Record<string, number[]> };
  article_plans: Record<string, { ms: number; assignment: PlanAssignment }>;
};

/** The planner's table from the article: quality = agreement (the baseline agrees with itself). */
function articleTable(quality: 'agreement' | 'review' = 'agreement'): PlanTable {
  const out = {} as Record<TaskId, Record<string, { medianMs: number; quality: number | null; costPer1kUsd: number; successRate: number }>>;
  for (const t of TASK_IDS) {
    out[t] = {};
    for (const r of article.tasks[t]) {
      const review = article.manual_review.scores[r.model]![article.manual_review.columns.indexOf(t)]!;
      const agreement = r.model === article.baseline ? 1 : r.agreement_pct === null ? null : r.agreement_pct / 100;
      out[t][r.model] = {
        medianMs: r.median_ms,
        quality: quality === 'review' ? review : agreement,
        costPer1kUsd: r.cost_per_1k_usd,
        successRate: r.success_pct / 100,
      };
    }
  }
  return out;
}

const L8 = 'llama-3.1-8b-instant';
const L70 = 'llama-3.3-70b-versatile';

describe('plan: critical path from per-task medians (the article’s numbers)', () => {
  const table = articleTable();

  it('puts all-GPT-4o at 3,336 ms and the article’s final assignment at 989 ms, a 3.4× speed-up', () => {
    const all4o = planMedianMs(uniformAssignment('gpt-4o'), table);
    expect(all4o).toBe(3336);
    expect(all4o).toBe(article.article_plans['all gpt-4o']!.ms);
    const final: PlanAssignment = { platform: L70, product: L8, technical_details: L8, asset_ids: L70, severity: L70 };
    expect(final).toEqual(article.article_plans.recommended!.assignment);
    expect(planMedianMs(final, table)).toBe(989);
    expect((all4o! / 989).toFixed(1)).toBe('3.4');
  });

  it('costs the plans per 1K tickets from the per-task costs per 1K calls: $22.17 for GPT-4o, $1.72 for the final plan', () => {
    expect(planCostPer1kTickets(uniformAssignment('gpt-4o'), table)).toBeCloseTo(1.28 + 14.84 + 3.35 + 1.13 + 1.57, 10);
    const final = article.article_plans.recommended!.assignment;
    expect(planCostPer1kTickets(final, table)).toBeCloseTo(0.46 + 0.32 + 0.07 + 0.38 + 0.49, 10);
  });

  it('says which tasks of an assignment are below their floor', () => {
    const final = article.article_plans.recommended!.assignment;
    expect(belowFloor(final, table, { ...uniformFloors(0.8), technical_details: 0 })).toEqual(['product']); // 8B's product agreement is 69.1 %
  });
});

describe('plan: the recommended assignment under a quality floor', () => {
  const table = articleTable();

  it('reproduces the article’s final plan from its agreement numbers: platform ≥ 0.9, product ≥ 0.65, asset ids ≥ 0.9, severity ≥ 0.8', () => {
    // The article printed no agreement for technical details, so that task gets no floor here.
    const r = recommend(table, { platform: 0.9, product: 0.65, technical_details: 0, asset_ids: 0.9, severity: 0.8 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.assignment).toEqual(article.article_plans.recommended!.assignment);
    expect(r.plan.medianMs).toBe(989);
    expect(r.plan.costPer1kTicketsUsd).toBeCloseTo(1.72, 10);
  });

  it('reproduces the article’s all-8B chain (141 + 406 + 334 = 881 ms) at a 0.65 floor', () => {
    const r = recommend(table, { ...uniformFloors(0.65), technical_details: 0 });
    expect(r.ok && r.plan.medianMs).toBe(881);
    if (!r.ok) return;
    expect([r.plan.assignment.platform, r.plan.assignment.product, r.plan.assignment.technical_details]).toEqual([L8, L8, L8]);
    // Off the critical path, the cheapest model that meets the floor and does not lengthen the path.
    expect(r.plan.assignment.asset_ids).toBe('llama-4-scout-17b'); // 88.6 %, $0.16 — 141 + 372 < 881
    expect(r.plan.assignment.severity).toBe(L70); // 8B (53.8 %) is below the floor; Scout's 1,392 ms would be the new critical path
  });

  it('says which task has no model when the floor is out of reach', () => {
    const r = recommend(articleTable('review'), uniformFloors(0.85));
    expect(r).toEqual({ ok: false, reason: 'no model reaches the floor 0.85 for severity' }); // best severity review score is GPT-4o's 0.84
  });

  it('uses review scores when they are the quality', () => {
    const r = recommend(articleTable('review'), { ...uniformFloors(0.85), severity: 0.7 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.assignment.asset_ids).not.toBe(L8); // 8B's asset-id review score is 0.55
    expect(r.plan.assignment.platform).toBe(L8); // 0.88 ≥ 0.85 and the fastest
  });

  it('can exclude models below a success rate (Llama 3.3 70B’s platform succeeded 84.72 % of the time)', () => {
    const floors = { platform: 0.9, product: 0.65, technical_details: 0, asset_ids: 0.9, severity: 0.8 };
    const r = recommend(table, floors, { minSuccessRate: 0.9 });
    expect(r.ok && r.plan.assignment.platform).toBe('gpt-4o');
  });

  it('can keep the plan within a cost: never dearer than the cap, and says so when nothing fits', () => {
    const floors = uniformFloors(0.5);
    const free = recommend(table, floors);
    const base = planCostPer1kTickets(uniformAssignment('gpt-4o'), table)!;
    const capped = recommend(table, floors, { maxCostPer1kTickets: base / 4 });
    expect(capped.ok).toBe(true);
    if (!capped.ok || !free.ok) return;
    expect(capped.plan.costPer1kTicketsUsd!).toBeLessThanOrEqual(base / 4);
    expect(capped.plan.medianMs).toBeGreaterThanOrEqual(free.plan.medianMs);
    const none = recommend(table, floors, { maxCostPer1kTickets: 0 });
    expect(none.ok ? null : none.reason).toMatch(/no assignment that meets the floors costs at most \$0 per 1K tickets/);
  });

  it('moves towards slower, more faithful plans as the floor rises', () => {
    const sweep = floorSweep(table);
    expect(sweep.map((s) => s.floor)).toEqual([0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]);
    const paths = sweep.map((s) => (s.result.ok ? s.result.plan.medianMs : Infinity));
    for (let i = 1; i < paths.length; i++) expect(paths[i]).toBeGreaterThanOrEqual(paths[i - 1]!);
    // At 0.95 only the baseline agrees well enough on every task.
    const last = sweep.at(-1)!.result;
    expect(last.ok && last.plan.assignment).toEqual(uniformAssignment('gpt-4o'));
  });
});

describe('plan: tail latency from per-ticket critical paths', () => {
  const t = (p: number, pr: number, td: number, a = 10, s = 10): TicketLatencies => ({
    platform: { m: p },
    product: { m: pr },
    technical_details: { m: td },
    asset_ids: { m: a },
    severity: { m: s },
  });

  it('takes p95 over tickets, not the sum of per-task p95s', () => {
    // Each ticket is slow on a different task: per-ticket paths are 120, 120, 120, 30 → p95 120.
    // Adding per-task p95s (86.5 each on the chain) would claim 259.5 ms.
    const tickets = [t(100, 10, 10), t(10, 100, 10), t(10, 10, 100), t(10, 10, 10)];
    expect(planTicketQuantile(uniformAssignment('m'), tickets, 0.95)).toEqual({ ms: 120, n: 4 });
    expect(planTicketQuantile(uniformAssignment('m'), tickets, 0.5)).toEqual({ ms: 120, n: 4 });
  });

  it('counts only tickets where every assigned call succeeded', () => {
    const partial: TicketLatencies = { platform: { m: 5 }, severity: { m: 5 } };
    expect(planTicketQuantile(uniformAssignment('m'), [t(10, 10, 10), partial], 0.95)).toEqual({ ms: 30, n: 1 });
    expect(planTicketQuantile(uniformAssignment('other'), [t(10, 10, 10)], 0.95)).toEqual({ ms: null, n: 0 });
  });
});

describe('--floor', () => {
  it('reads one floor, per-task floors, and a default with overrides', () => {
    expect(parseFloors(undefined)).toEqual(uniformFloors(0.8));
    expect(parseFloors('0.7')).toEqual(uniformFloors(0.7));
    expect(parseFloors('platform=0.9,severity=0.8', 0.5)).toEqual({ ...uniformFloors(0.5), platform: 0.9, severity: 0.8 });
    expect(parseFloors('0.6,platform=0.9')).toEqual({ ...uniformFloors(0.6), platform: 0.9 });
    expect(parseFloors('platform=0.9,0.6')).toEqual({ ...uniformFloors(0.6), platform: 0.9 });
  });

  it('names what is wrong', () => {
    expect(() => parseFloors('1.5')).toThrow('--floor default: "1.5" is not a number from 0 to 1');
    expect(() => parseFloors('platfrom=0.9')).toThrow(/unknown task "platfrom"/);
    expect(() => parseFloors('severity=high')).toThrow(/severity: "high"/);
  });
});
