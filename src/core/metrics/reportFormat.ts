// The report as Markdown (the article's tables, one per task, then the plan) and as CSV (one row
// per task and model). JSON is the Report object itself.
import { stringify } from 'csv-stringify/sync';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import type { Report } from './report.ts';
import type { PlanEntry } from './reportPlan.ts';

const DASH = '—';
const pct = (x: number | null): string => (x === null ? DASH : `${(x * 100).toFixed(1)} %`);
const ms = (x: number | null): string => (x === null ? DASH : Math.round(x).toLocaleString('en-US'));
const times = (x: number | null): string => (x === null ? DASH : `${x.toFixed(2)}×`);
const num = (x: number | null, d = 2): string => (x === null ? DASH : x.toFixed(d));

/** "$1.28", "$0.0012"; "price unknown" when a price is missing (never $0). */
/** The model a task is compared against: production's per task in a shadow run, else the baseline. */
const baselineOf = (r: Report, task: TaskId): string => r.baseline_by_task?.[task] ?? r.baseline;
const baselineText = (r: Report): string =>
  r.baseline_by_task ? `production (${TASK_IDS.map((t) => `${t} \`${r.baseline_by_task![t]}\``).join(', ')})` : `\`${r.baseline}\``;

export function formatUsd(x: number | null, unknown = false): string {
  if (unknown) return 'price unknown';
  if (x === null) return DASH;
  return x === 0 ? '$0' : x < 0.01 ? `$${x.toPrecision(2)}` : `$${x.toFixed(2)}`;
}

const range = (c: [number, number] | null, f: (x: number) => string): string => (c === null ? '' : ` (${f(c[0])}–${f(c[1])})`);
const rate1 = (x: number): string => (x * 100).toFixed(1);

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function planRow(name: string, e: PlanEntry, unknownPrice: boolean): string {
  const below = e.below_floor.length ? ` (below floor: ${e.below_floor.join(', ')})` : '';
  return row([
    name + below,
    ...TASK_IDS.map((t) => `\`${e.assignment[t]}\``),
    e.critical_path_median_ms === null ? DASH : `${ms(e.critical_path_median_ms)} ms`,
    e.critical_path_p95_ms === null ? DASH : `${ms(e.critical_path_p95_ms)} ms (${e.n_tickets_p95})`,
    times(e.speedup),
    formatUsd(e.cost_per_1k_tickets_usd, unknownPrice && e.cost_per_1k_tickets_usd === null),
  ]);
}

/** The report as Markdown: per-task tables like the article's, failures listed under each, then the plan and the floor sweep. */
export function renderMarkdown(r: Report): string {
  const out: string[] = [];
  const run = r.run;
  out.push(`# casebench report: ${run.id}`, '');
  out.push(
    `${run.kind} \`${run.id}\` · ${run.tickets.toLocaleString('en-US')} tickets · ${run.models.length} models · baseline ${baselineText(r)}` +
      (run.upstream ? ` · upstream: ${run.upstream === 'baseline' ? "the baseline's platform/product" : 'own results'}` : '') +
      ` · status ${run.status} · started ${run.created_at}`,
    '',
  );
  out.push(
    'Agreement: share of tickets where both this model’s and the baseline’s calls succeeded and the answers match ' +
      '(asset ids: same set; technical details: same “has details”), with Cohen’s κ for categorical tasks. ' +
      'Success: schema-valid answers / tasks attempted, first try and after retries; failures count. ' +
      'Latency: successful calls, each from its request being sent to its answer received (waits for a free slot, retries and parsing are not in it)' +
      (r.latency_basis.cold_calls_excluded > 0
        ? `; ${r.latency_basis.cold_calls_excluded.toLocaleString('en-US')} calls that were the first on a newly opened connection (cold) are left out. `
        : '. ') +
      'Cost per 1K: mean cost per successful call × 1,000; cost ratio: the baseline’s cost over the model’s (above 1×: cheaper than the baseline). ' +
      `95 % CIs: bootstrap, ${r.bootstrap.resamples.toLocaleString('en-US')} resamples, seed ${r.bootstrap.seed}.`,
    '',
  );
  if (r.speculation) {
    const s = r.speculation;
    out.push(
      `Speculation: ${s.kept_calls.toLocaleString('en-US')} calls started on a guessed platform/product were kept (the guess was right; they count as usual); ` +
        `${s.discarded_calls.toLocaleString('en-US')} were discarded (wrong guess; in no statistic below), costing $${s.discarded_cost_usd.toFixed(4)}` +
        (s.discarded_unpriced > 0 ? ` plus ${s.discarded_unpriced} calls of unknown price` : '') +
        '.',
      '',
    );
  }
  const unknownPriceModels = new Set<string>();
  for (const task of TASK_IDS) {
    const stats = r.tasks[task];
    out.push(`## ${TASKS[task].label}`, '');
    const head = [
      'model',
      'agreement (95 % CI)',
      'κ',
      ...(r.has_labels ? ['accuracy (n)'] : []),
      'success 1st / final',
      'median ms (95 % CI)',
      'p95 ms',
      'p99 ms',
      'speed-up',
      'cost per 1K',
      'cost ratio',
      'n',
    ];
    out.push(row(head), row(head.map((_, i) => (i === 0 ? '---' : '--:'))));
    const failures: string[] = [];
    const skipped: string[] = [];
    for (const [model, s] of Object.entries(stats)) {
      // A shadow run's models each answer only the tasks they shadow (or produce): no empty rows.
      if (r.baseline_by_task && s.n === 0 && s.n_skipped === 0) continue;
      if (s.price_unknown) unknownPriceModels.add(model);
      const isBase = model === baselineOf(r, task);
      out.push(
        row([
          `\`${model}\`${isBase ? ' (baseline)' : ''}`,
          isBase ? DASH : `${pct(s.agreement_rate)}${range(s.agreement_ci95, rate1)}`,
          isBase ? DASH : num(s.kappa),
          ...(r.has_labels ? [s.n_labelled ? `${pct(s.accuracy)} (${s.n_labelled})` : DASH] : []),
          `${pct(s.first_try_success_rate)} / ${pct(s.success_rate)}`,
          `${ms(s.median_ms)}${range(s.median_ms_ci95, (x) => ms(x))}`,
          ms(s.p95_ms),
          ms(s.p99_ms),
          times(s.speedup),
          formatUsd(s.cost_per_1k_usd, s.price_unknown),
          times(s.cost_ratio),
          String(s.n),
        ]),
      );
      if (s.n_failed) {
        const codes = Object.entries(s.failures)
          .sort((a, b) => b[1] - a[1])
          .map(([c, n]) => `${c} ${n}`)
          .join(', ');
        failures.push(`\`${model}\` ${s.n_failed} (${codes})`);
      }
      if (s.n_skipped) skipped.push(`\`${model}\` ${s.n_skipped}`);
    }
    out.push('');
    if (failures.length) out.push(`Failed (counted above): ${failures.join('; ')}.`);
    if (skipped.length) out.push(`Not called (a dependency failed, or the ticket was refused): ${skipped.join('; ')}.`);
    if (failures.length || skipped.length) out.push('');
  }
  if (unknownPriceModels.size)
    out.push(
      `Price unknown (no price in resources/models.json, or no token counts): ${[...unknownPriceModels].map((m) => `\`${m}\``).join(', ')}.`,
      '',
    );

  const reviewed = TASK_IDS.filter((t) => Object.keys(r.reviews[t] ?? {}).length > 0);
  const j = r.judge;
  if (reviewed.length || j) {
    out.push(j ? '## Review scores (human · judge)' : '## Review scores', '');
    if (j) {
      out.push(
        `Judge: \`${j.model}\`, prompt ${j.prompt_version}, ${j.verdicts.toLocaleString('en-US')} answers scored with the review rubric, blind to the model. ` +
          'Each cell: human mean (answers) · judge mean (answers).',
        '',
      );
    }
    const models = [
      ...new Set([
        ...reviewed.flatMap((t) => Object.keys(r.reviews[t]!)),
        ...(j ? TASK_IDS.flatMap((t) => Object.keys(j.scores[t] ?? {})) : []),
      ]),
    ];
    out.push(row(['model', ...TASK_IDS.map((t) => TASKS[t].label)]), row(['---', ...TASK_IDS.map(() => '--:')]));
    const cell = (x: { score: number; n: number } | undefined): string => (x ? `${x.score.toFixed(2)} (${x.n})` : DASH);
    for (const m of models) {
      out.push(
        row([`\`${m}\``, ...TASK_IDS.map((t) => (j ? `${cell(r.reviews[t]?.[m])} · ${cell(j.scores[t]?.[m])}` : cell(r.reviews[t]?.[m])))]),
      );
    }
    out.push('');
  }
  if (j) {
    out.push('## Judge vs humans', '');
    out.push(
      'Over answers scored by both the judge and a reviewer; each (answer, reviewer) pair is one item. ' +
        'κ: Cohen’s κ for exact tasks (0/1); α: Krippendorff’s α, interval metric, for graded tasks (severity, technical details). ' +
        'A judge’s score stands in for review scores in the plan’s quality floor only on tasks where it is trusted.',
      '',
    );
    const hh = ['task', 'answers', 'pairs', 'agreement', 'κ / α', 'mean |Δ|', 'differ', 'trust'];
    out.push(row(hh), row(hh.map((_, i) => (i === 0 || i === hh.length - 1 ? '---' : '--:'))));
    for (const h of j.vs_humans) {
      const stat = h.metric === 'kappa' ? h.kappa : h.alpha;
      out.push(
        row([
          TASKS[h.task].label,
          String(h.answers),
          String(h.pairs),
          pct(h.agreement),
          stat === null ? DASH : `${h.metric === 'kappa' ? 'κ' : 'α'} ${stat.toFixed(2)}`,
          h.meanAbsDiff === null ? DASH : h.meanAbsDiff.toFixed(2),
          String(h.disagreementCount),
          h.trust,
        ]),
      );
    }
    out.push('');
    const differ = j.vs_humans.flatMap((h) => h.disagreements.slice(0, 5));
    if (differ.length) {
      out.push('Where they differ (largest first, up to 5 per task):', '');
      for (const d of differ) {
        out.push(
          `- ${TASKS[d.task].label}, ticket \`${d.ticketId}\`, \`${d.model}\`: judge ${d.judgeScore.toFixed(2)}, ${d.reviewer} ${d.humanScore.toFixed(2)}${d.reasoning ? ` — judge: “${d.reasoning}”` : ''}`,
        );
      }
      out.push('');
    }
  }

  const p = r.plan;
  out.push('## Plan', '');
  const floors = TASK_IDS.map((t) => `${TASKS[t].label.toLowerCase()} ≥ ${p.floors[t]} (${p.quality_source[t]})`).join(', ');
  out.push(
    'Critical path of a ticket = max(platform + product + technical details, platform + asset ids, severity). ' +
      'Median: from the per-task medians; p95: over per-ticket critical paths (n = tickets where all five calls succeeded). ' +
      `Recommended: the shortest critical path whose every task meets its quality floor — ${floors}` +
      (p.min_success_rate > 0 ? `, success ≥ ${p.min_success_rate}` : '') +
      '; ties go to the lower cost.',
    '',
  );
  const head = ['plan', ...TASK_IDS.map((t) => TASKS[t].label.toLowerCase()), 'median', 'p95 (n)', 'speed-up', 'cost per 1K tickets'];
  out.push(row(head), row(head.map((_, i) => (i <= TASK_IDS.length ? '---' : '--:'))));
  const anyUnknown = unknownPriceModels.size > 0;
  out.push(planRow('baseline', p.baseline, anyUnknown));
  if (p.assignment) out.push(planRow('--assign', p.assignment, anyUnknown));
  if (p.recommended) out.push(planRow('**recommended**', p.recommended, anyUnknown));
  if (p.within_baseline_cost) out.push(planRow('within the baseline’s cost', p.within_baseline_cost, anyUnknown));
  out.push('');
  if (!p.recommended) out.push(`No recommendation: ${p.recommended_reason}.`, '');
  if (p.recommended) {
    const sr = p.recommended.success_rate;
    out.push(
      `Recommended plan: lowest task success ${sr === null ? DASH : `${(sr * 100).toFixed(1)} %`}, ${p.recommended.n_failed} failed task${p.recommended.n_failed === 1 ? '' : 's'} in this run${p.min_success_rate > 0 ? '' : ' (no minimum success rate: `--min-success 0.95` keeps out models that fail)'}.`,
      '',
    );
  }
  if (p.recommended_cost_note) out.push(`⚠ The recommendation costs more than the baseline: ${p.recommended_cost_note}.`, '');
  const flagged = Object.entries(p.model_lifecycle ?? {});
  if (flagged.length) {
    for (const [m, l] of flagged) {
      out.push(
        l.status === 'retired'
          ? `- ⛔ \`${m}\` is retired — never recommended: ${l.message}.`
          : `- ⚠ \`${m}\` is deprecated: ${l.message}.`,
      );
    }
    if (p.recommended?.warnings.length)
      out.push(`- ⚠ **The recommendation uses a deprecated model**: ${p.recommended.warnings.join('; ')}.`);
    out.push('');
  }

  out.push('### As the floor moves (the same floor on every task)', '');
  const sh = ['floor', 'critical path', 'speed-up', ...TASK_IDS.map((t) => TASKS[t].label.toLowerCase()), 'cost per 1K tickets'];
  out.push(row(sh), row(sh.map((_, i) => (i < 3 ? '--:' : i < 3 + TASK_IDS.length ? '---' : '--:'))));
  for (const s of p.floor_sweep) {
    out.push(
      s.assignment
        ? row([
            s.floor.toFixed(2),
            `${ms(s.critical_path_median_ms)} ms`,
            times(s.speedup),
            ...TASK_IDS.map((t) => `\`${s.assignment![t]}\``),
            formatUsd(s.cost_per_1k_tickets_usd, anyUnknown && s.cost_per_1k_tickets_usd === null),
          ])
        : row([s.floor.toFixed(2), DASH, DASH, ...TASK_IDS.map((_, i) => (i === 0 ? (s.reason ?? DASH) : '')), DASH]),
    );
  }
  out.push('');
  return out.join('\n');
}

/** Column order of the CSV (one row per task and model). */
export const CSV_COLUMNS = [
  'task',
  'model',
  'is_baseline',
  'n',
  'agreement_rate',
  'agreement_ci_low',
  'agreement_ci_high',
  'n_compared',
  'kappa',
  'accuracy',
  'n_labelled',
  'first_try_success_rate',
  'success_rate',
  'n_failed',
  'n_skipped',
  'calls',
  'median_ms',
  'median_ci_low',
  'median_ci_high',
  'p95_ms',
  'p99_ms',
  'speedup',
  'cost_per_1k_usd',
  'cost_ratio',
  'cost_note',
] as const;

/** The per-task tables as CSV; an unknown price is an empty cell with cost_note "price unknown". */
export function renderCsv(r: Report): string {
  const rows: Array<Array<string | number | boolean | null>> = [];
  for (const task of TASK_IDS as readonly TaskId[]) {
    for (const [model, s] of Object.entries(r.tasks[task])) {
      rows.push([
        task,
        model,
        model === baselineOf(r, task),
        s.n,
        s.agreement_rate,
        s.agreement_ci95?.[0] ?? null,
        s.agreement_ci95?.[1] ?? null,
        s.n_compared,
        s.kappa,
        s.accuracy,
        s.n_labelled,
        s.first_try_success_rate,
        s.success_rate,
        s.n_failed,
        s.n_skipped,
        s.calls,
        s.median_ms,
        s.median_ms_ci95?.[0] ?? null,
        s.median_ms_ci95?.[1] ?? null,
        s.p95_ms,
        s.p99_ms,
        s.speedup,
        s.cost_per_1k_usd,
        s.cost_ratio,
        s.price_unknown ? 'price unknown' : '',
      ]);
    }
  }
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS], cast: { boolean: (b) => (b ? 'true' : 'false') } });
}
