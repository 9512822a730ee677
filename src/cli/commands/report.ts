// `casebench report`: the article's tables per task (contracts §6) for an experiment, and the plan:
// critical path of the baseline, of a given assignment, and the recommended assignment under a
// quality floor, with how the recommendation moves as the floor does. md, json or csv on stdout
// (or --out), and html: a self-contained page with the tables and the latency plots.
import { existsSync } from 'node:fs';
import { writeWhole } from '#core/outTarget.ts';
import type { Command } from 'commander';
import { AppError } from '#shared/errors.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import { parseAssignment } from '#core/assignment.ts';
import { parseModelSpec } from '#core/models.ts';
import { openStore } from '#core/store/store.ts';
import { findReportRun, loadLatencyPoints, loadTicketLanes, typicalTicket } from '#core/store/reportQueries.ts';
import { loadReportData } from '#core/experiments/reportData.ts';
import { buildReport } from '#core/metrics/report.ts';
import { planLifecycle } from '#core/modelLifecycle.ts';
import { localDay } from '#core/spend/day.ts';
import { renderCsv, renderMarkdown } from '#core/metrics/reportFormat.ts';
import { parseFloors, uniformAssignment } from '#core/metrics/planner.ts';

const FORMATS = ['md', 'json', 'csv', 'html'] as const;
const THEMES = ['auto', 'light', 'dark'] as const;

interface ReportFlags {
  db: string;
  format: string;
  baseline?: string;
  assign?: string;
  run?: string;
  floor?: string;
  minSuccess?: string;
  out?: string;
  theme: string;
  ticket?: string;
}

/** Adds `casebench report` to the program. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('compare the models of an experiment per task (agreement, κ, success, latency, cost) and recommend a model per task')
    .option('--db <path>', 'workspace database', './casebench.db')
    .option('--format <format>', 'md | json | csv | html (tables + latency plots in one offline file)', 'md')
    .option('--out <file>', 'write the report to this file instead of stdout')
    .option('--baseline <model>', "the model to compare with (default: the experiment's baseline)")
    .option('--assign <spec>', 'an assignment to evaluate: task=model pairs (unnamed tasks: the baseline), one model, or a JSON file')
    .option('--run <id>', 'the run to report on (default: the newest experiment)')
    .option('--floor <spec>', 'quality floor of the recommendation: 0.8, or per task platform=0.9,severity=0.8 (default 0.8)')
    .option('--min-success <rate>', 'never recommend a model below this final success rate on a task (0-1)')
    .option('--theme <theme>', "html: auto (light and dark, following the reader's system) | light | dark", 'auto')
    .option('--ticket <id>', "html: the ticket whose critical-path waterfall is drawn (default: the baseline's median ticket)")
    .action(async (o: ReportFlags) => {
      if (!(FORMATS as readonly string[]).includes(o.format))
        throw new AppError('BAD_INPUT', `--format must be ${FORMATS.join(', ')}, not "${o.format}"`);
      if (!(THEMES as readonly string[]).includes(o.theme))
        throw new AppError('BAD_INPUT', `--theme must be ${THEMES.join(', ')}, not "${o.theme}"`);
      if (o.format !== 'html' && o.ticket !== undefined)
        throw new AppError('BAD_INPUT', '--ticket draws a waterfall: it needs --format html');
      const floors = parseFloors(o.floor);
      const minSuccess = o.minSuccess === undefined ? 0 : Number(o.minSuccess);
      if (!(minSuccess >= 0 && minSuccess <= 1))
        throw new AppError('BAD_INPUT', `--min-success must be a number from 0 to 1, not "${o.minSuccess}"`);
      // Opening would create an empty database; a report on a mistyped path should say so instead.
      if (!existsSync(o.db)) throw new AppError('BAD_INPUT', `no database at ${o.db} (run \`casebench experiment\` first, or give --db)`);
      // Read-only: a report works on a workspace it may not write (a shared copy, a read-only folder).
      const store = openStore(o.db, { readOnly: true });
      try {
        const run = findReportRun(store, o.run);
        const data = loadReportData(store, run);
        const models = data.run.models;
        const canon = (spec: string, where: string): string => {
          try {
            const { provider, model } = parseModelSpec(spec);
            return `${provider}:${model}`;
          } catch (e) {
            throw new AppError('BAD_INPUT', `${where}: ${(e as Error).message}`);
          }
        };
        const baselineRaw = o.baseline ?? data.run.baseline;
        if (!baselineRaw) throw new AppError('BAD_INPUT', `run ${run.id} names no baseline: give --baseline (one of ${models.join(', ')})`);
        const baseline = canon(baselineRaw, '--baseline');
        if (!models.includes(baseline))
          throw new AppError('BAD_INPUT', `--baseline ${baseline} was not run in ${run.id} (models: ${models.join(', ')})`);
        let assignment = null;
        if (o.assign) {
          assignment = parseAssignment(o.assign, { fallback: uniformAssignment(baseline) });
          for (const t of TASK_IDS) {
            if (!models.includes(assignment[t]))
              throw new AppError('BAD_INPUT', `--assign: ${assignment[t]} (${t}) was not run in ${run.id} (models: ${models.join(', ')})`);
          }
        }
        // A shadow run is measured against production, task by task, unless --baseline says otherwise.
        const baselineByTask = o.baseline ? null : (data.run.baseline_by_task ?? null);
        const report = buildReport(data, {
          baseline,
          baselineByTask,
          assignment,
          floors,
          minSuccessRate: minSuccess,
          lifecycle: planLifecycle(models, localDay(new Date())),
        });
        let text: string;
        let note = '';
        if (o.format === 'html') {
          let ticketId = o.ticket ?? typicalTicket(store, run.id, baseline);
          if (o.ticket !== undefined && loadTicketLanes(store, run, o.ticket).length === 0) {
            throw new AppError('BAD_INPUT', `--ticket ${o.ticket} has no results in run ${run.id}`);
          }
          const lanes = ticketId ? loadTicketLanes(store, run, ticketId) : [];
          if (lanes.length === 0) ticketId = null;
          // Loaded only for html: md/json/csv never pay for vega.
          const { renderHtmlReport } = await import('#core/plots/htmlReport.ts');
          const out = await renderHtmlReport({
            report,
            markdown: renderMarkdown(report),
            points: loadLatencyPoints(store, run.id),
            ticket: ticketId ? { id: ticketId, lanes } : null,
            themes: o.theme === 'auto' ? ['light', 'dark'] : [o.theme as 'light' | 'dark'],
          });
          text = out.html;
          note = ` (${out.plots} plots)`;
        } else {
          text =
            o.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : o.format === 'csv' ? renderCsv(report) : renderMarkdown(report);
        }
        if (o.out) {
          writeWhole(o.out, text);
          if (o.out !== '-') process.stderr.write(`casebench report: wrote ${o.out}${note}\n`);
        } else process.stdout.write(text);
      } finally {
        store.close();
      }
    });
}
