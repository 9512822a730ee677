// `casebench shadow`: the workspace's shadow set — candidate models that answer every ticket the
// workbench or `casebench serve` receives (paste, file, watched folder, HTTP intake) beside
// production, off its critical path — and how they are doing against production so far.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { AppError } from '#shared/errors.ts';
import { TASK_IDS, TASKS } from '#shared/tasks.ts';
import { buildReport } from '#core/metrics/report.ts';
import { DEFAULT_FLOOR, uniformFloors } from '#core/metrics/planner.ts';
import { loadModels } from '#core/models.ts';
import { shadowSpentToday } from '#core/shadow/shadowBudget.ts';
import {
  addCandidate,
  loadShadowSet,
  parseShadowTasks,
  removeCandidate,
  saveShadowSet,
  withLimits,
  type ShadowSet,
} from '#core/shadow/shadowSet.ts';
import { baselineByTask } from '#core/store/reportQueries.ts';
import { loadReportData } from '#core/experiments/reportData.ts';
import { openStore, type Store } from '#core/store/store.ts';
import { cliScrubber } from '../secrets.ts';

const out = (s: string): void => void process.stdout.write(`${s}\n`);
const usd = (n: number): string => `$${n >= 0.01 || n === 0 ? n.toFixed(2) : n.toFixed(4)}`;

function intArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of 1 or more');
  return n;
}

function limitArg(v: string): number | null {
  const t = v.trim().toLowerCase();
  if (t === 'off' || t === 'none') return null;
  const n = Number(t.replace(/^\$/, ''));
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be an amount in USD (e.g. 2 or 0.50), or "off"');
  return n;
}

function withStore<T>(db: string, readOnly: boolean, fn: (s: Store) => T): T {
  const store = openStore(db, { readOnly, scrubber: cliScrubber });
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

interface CandidateLine {
  task: string;
  model: string;
  production: string | null;
  answered: number;
  agreement: number | null;
  n_compared: number;
  median_ms: number | null;
}

/** The candidates with their standing in the newest live experiment (agreement with production so far). */
function describe(store: Store, set: ShadowSet) {
  const runs = store.listRuns().filter((r) => r.kind === 'shadow');
  const run = runs[0] ?? null;
  let report: ReturnType<typeof buildReport> | null = null;
  if (run) {
    const data = loadReportData(store, run);
    const byTask = baselineByTask(run);
    if (byTask && data.results.length > 0)
      report = buildReport(data, {
        baseline: byTask.platform,
        baselineByTask: byTask,
        assignment: null,
        floors: uniformFloors(DEFAULT_FLOOR),
      });
  }
  const candidates: CandidateLine[] = TASK_IDS.flatMap((task) =>
    set.candidates[task].map((model) => {
      const s = report?.tasks[task]?.[model];
      return {
        task,
        model,
        production: report?.baseline_by_task?.[task] ?? null,
        answered: s?.n ?? 0,
        agreement: s?.agreement_rate ?? null,
        n_compared: s?.n_compared ?? 0,
        median_ms: s?.median_ms ?? null,
      };
    }),
  );
  const spent = shadowSpentToday(store, new Date());
  return {
    candidates,
    limits: { rpm: set.rpm, concurrency: set.concurrency, spend_limit_usd: set.spendLimitUsd, max_backlog: set.maxBacklog },
    spent_today_usd: spent.usd,
    simulated_today_usd: spent.simulatedUsd,
    live_run: run ? { id: run.id, tickets: report?.run.tickets ?? 0, production: baselineByTask(run) } : null,
    earlier_runs: runs.slice(1).map((r) => r.id),
  };
}

export function registerShadow(program: Command): void {
  const shadow = program
    .command('shadow')
    .description(
      'shadow models: candidates that answer every incoming ticket of the workbench / serve beside production, into a live experiment',
    );
  const db = (c: Command): Command => c.option('--db <path>', 'workspace database', './casebench.db');

  db(shadow.command('add <model>'))
    .description('a candidate model shadows production on the given tasks')
    .requiredOption('--task <tasks>', `comma-separated: ${TASK_IDS.join(', ')}, or all`)
    .action((model: string, o: { task: string; db: string }) => {
      const tasks = parseShadowTasks(o.task);
      withStore(o.db, false, (store) => {
        const r = addCandidate(loadShadowSet(store), tasks, model, loadModels());
        saveShadowSet(store, r.set);
        const spec = r.spec;
        if (r.added.length) out(`${spec} now shadows ${r.added.map((t) => TASKS[t].label.toLowerCase()).join(', ')}`);
        if (r.already.length) out(`${spec} already shadowed ${r.already.map((t) => TASKS[t].label.toLowerCase()).join(', ')}`);
      });
    });

  db(shadow.command('remove <model>'))
    .description('stop a candidate (on the given tasks, or everywhere); its answers so far stay in the live experiment')
    .option('--task <tasks>', 'comma-separated tasks (default: every task it shadows)')
    .action((model: string, o: { task?: string; db: string }) => {
      withStore(o.db, false, (store) => {
        const r = removeCandidate(loadShadowSet(store), o.task ? parseShadowTasks(o.task) : null, model);
        saveShadowSet(store, r.set);
        out(`${model.trim()} no longer shadows ${r.removed.map((t) => TASKS[t].label.toLowerCase()).join(', ')}`);
      });
    });

  db(shadow.command('limits'))
    .description("the shadow set's limits (shown when no option is given)")
    .option('--rpm <n>', 'shadow calls per minute, all candidates together', intArg)
    .option('--concurrency <n>', 'shadow calls in flight at once', intArg)
    .option('--spend-limit <usd>', 'USD per local day for shadow calls, or "off"', limitArg)
    .action((o: { rpm?: number; concurrency?: number; spendLimit?: number | null; db: string }) => {
      const change = o.rpm !== undefined || o.concurrency !== undefined || o.spendLimit !== undefined;
      withStore(o.db, !change, (store) => {
        let set = loadShadowSet(store);
        if (change) {
          set = withLimits(set, { rpm: o.rpm, concurrency: o.concurrency, spendLimitUsd: o.spendLimit });
          saveShadowSet(store, set);
        }
        out(
          `rpm ${set.rpm} · concurrency ${set.concurrency} · spend limit ${set.spendLimitUsd === null ? 'off' : `${usd(set.spendLimitUsd)} a day`} · backlog ${set.maxBacklog}`,
        );
      });
    });

  db(shadow.command('list'))
    .description("candidates per task with their agreement with production so far, today's shadow spend and the live experiment")
    .option('--json', 'one JSON document')
    .action((o: { json?: boolean; db: string }) => {
      const d = withStore(o.db, true, (store) => describe(store, loadShadowSet(store)));
      if (o.json) return out(JSON.stringify(d));
      if (d.candidates.length === 0) out('no shadow models (add one: casebench shadow add groq:openai/gpt-oss-120b --task product)');
      for (const c of d.candidates) {
        const agree = c.agreement === null ? 'agreement —' : `agreement ${(c.agreement * 100).toFixed(1)} % of ${c.n_compared}`;
        out(
          `${c.task.padEnd(18)} ${c.model.padEnd(32)} ${String(c.answered).padStart(5)} answered · ${agree}${c.production ? ` · vs ${c.production}` : ''}`,
        );
      }
      const l = d.limits;
      out(
        `today ${usd(d.spent_today_usd)}${d.simulated_today_usd ? ` (+ ${usd(d.simulated_today_usd)} simulated demo)` : ''} of ${l.spend_limit_usd === null ? 'no limit' : `${usd(l.spend_limit_usd)} a day`} · rpm ${l.rpm} · concurrency ${l.concurrency}`,
      );
      if (d.live_run)
        out(`live experiment ${d.live_run.id} (${d.live_run.tickets} tickets): casebench report --run ${d.live_run.id} --db ${o.db}`);
    });

  shadow.hook('preAction', (_cmd, action) => {
    const o = action.opts() as { db?: string };
    if (o.db !== undefined && o.db.trim() === '') throw new AppError('BAD_INPUT', '--db names no file');
  });
}
