// `casebench report`: the article's tables per task (contracts §6) for an experiment, and the plan:
// critical path of the baseline, of a given assignment, and the recommended assignment under a
// quality floor, with how the recommendation moves as the floor does. md, json or csv on stdout.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../shared/errors.ts';
import { TASK_IDS } from '../../shared/tasks.ts';
import { parseAssignment } from '../../core/assignment.ts';
import { parseModelSpec } from '../../core/models.ts';
import { openStore } from '../../core/store/store.ts';
import { findReportRun, loadReportData } from '../../core/store/reportQueries.ts';
import { buildReport } from '../../core/metrics/report.ts';
import { renderCsv, renderMarkdown } from '../../core/metrics/reportFormat.ts';
import { parseFloors, uniformAssignment } from '../../core/metrics/planner.ts';

const FORMATS = ['md', 'json', 'csv'] as const;

interface ReportFlags {
  db: string;
  format: string;
  baseline?: string;
  assign?: string;
  run?: string;
  floor?: string;
  minSuccess?: string;
}

/** Adds `casebench report` to the program. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('compare the models of an experiment per task (agreement, κ, success, latency, cost) and recommend a model per task')
    .option('--db <path>', 'workspace database', './casebench.db')
    .option('--format <format>', 'md | json | csv', 'md')
    .option('--baseline <model>', "the model to compare with (default: the experiment's baseline)")
    .option('--assign <spec>', 'an assignment to evaluate: task=model pairs (unnamed tasks: the baseline), one model, or a JSON file')
    .option('--run <id>', 'the run to report on (default: the newest experiment)')
    .option('--floor <spec>', 'quality floor of the recommendation: 0.8, or per task platform=0.9,severity=0.8 (default 0.8)')
    .option('--min-success <rate>', 'never recommend a model below this final success rate on a task (0-1)')
    .action((o: ReportFlags) => {
      if (!(FORMATS as readonly string[]).includes(o.format)) throw new AppError('BAD_INPUT', `--format must be ${FORMATS.join(', ')}, not "${o.format}"`);
      const floors = parseFloors(o.floor);
      const minSuccess = o.minSuccess === undefined ? 0 : Number(o.minSuccess);
      if (!(minSuccess >= 0 && minSuccess <= 1)) throw new AppError('BAD_INPUT', `--min-success must be a number from 0 to 1, not "${o.minSuccess}"`);
      // Opening would create an empty database; a report on a mistyped path should say so instead.
      if (!existsSync(o.db)) throw new AppError('BAD_INPUT', `no database at ${o.db} (run \`casebench experiment\` first, or give --db)`);
      const store = openStore(o.db);
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
        if (!models.includes(baseline)) throw new AppError('BAD_INPUT', `--baseline ${baseline} was not run in ${run.id} (models: ${models.join(', ')})`);
        let assignment = null;
        if (o.assign) {
          assignment = parseAssignment(o.assign, { fallback: uniformAssignment(baseline) });
          for (const t of TASK_IDS) {
            if (!models.includes(assignment[t])) throw new AppError('BAD_INPUT', `--assign: ${assignment[t]} (${t}) was not run in ${run.id} (models: ${models.join(', ')})`);
          }
        }
        const report = buildReport(data, { baseline, assignment, floors, minSuccessRate: minSuccess });
        const text = o.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : o.format === 'csv' ? renderCsv(report) : renderMarkdown(report);
        process.stdout.write(text);
      } finally {
        store.close();
      }
    });
}
