// `casebench judge`: an LLM judge scores a run's recorded answers (an experiment, a shadow run, an
// imported trace set) with the review rubric, blind to the model that answered. Prints what it will
// take (answers, calls, estimated cost; asks on a terminal), shows progress, stops cleanly on Ctrl-C
// or at the spend limit, and resumes on a re-run. Ends with the judge's scores beside the human
// review scores and how far it agrees with the reviewers per task.
import { ask, usd } from '../ask.ts';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '#shared/errors.ts';
import { TASK_IDS, TASKS, isTaskId, type TaskId } from '#shared/tasks.ts';
import { openStore } from '#core/store/store.ts';
import { loadJudgePrompt } from '#core/judge/judgePrompt.ts';
import { estimateJudge } from '#core/judge/judgeEstimate.ts';
import { runJudge, judgeSpec } from '#core/judge/judgeRunner.ts';
import { loadReportJudge, reviewScores } from '#core/experiments/reportData.ts';
import { cliRuntime, positiveInt } from '../context.ts';
import { onStop } from '../stop.ts';
import { SPEND_LIMIT_EXIT, useSpendLimit } from '../spend.ts';
import type { SpendGuard } from '#core/spend/guard.ts';

interface JudgeFlags {
  db: string;
  run?: string;
  model: string;
  tasks?: string;
  rpm?: number;
  concurrency: number;
  timeout: number;
  yes?: boolean;
  json?: boolean;
}

const err = (s: string): void => void process.stderr.write(`${s}\n`);

function parseTasks(spec: string | undefined): TaskId[] {
  if (!spec) return [...TASK_IDS];
  const out: TaskId[] = [];
  for (const p of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (!isTaskId(p)) throw new AppError('BAD_INPUT', `--tasks: unknown task "${p}" (tasks: ${TASK_IDS.join(', ')})`);
    if (!out.includes(p)) out.push(p);
  }
  if (out.length === 0) throw new AppError('BAD_INPUT', '--tasks names no task');
  return out;
}

/** Adds `casebench judge` to the program. */
export function registerJudge(program: Command): void {
  program
    .command('judge')
    .description("score a run's answers with an LLM judge (the review rubric, blind to the model), beside the human reviews; resumable")
    .requiredOption('--model <provider:model>', 'the judge model, e.g. openai:gpt-4o or openai-compatible:<name>')
    .option('--db <path>', 'workspace database', './casebench.db')
    .option('--run <id>', 'the run whose answers to judge: an experiment, a shadow run or an import (default: the newest experiment)')
    .option('--tasks <list>', `tasks to judge, comma-separated (default all: ${TASK_IDS.join(',')})`)
    .option('--rpm <n>', 'judge calls per minute at most (besides the model’s own limits)', positiveInt)
    .option('--concurrency <n>', 'judge calls in flight', positiveInt, 4)
    .option('--timeout <ms>', 'per-call timeout, ms', positiveInt, 60_000)
    .option('-y, --yes', 'start without asking (asked only when stdin is a terminal)')
    .option('--json', 'print the outcome and the judge-vs-human figures as JSON on stdout')
    .action(async (o: JudgeFlags) => {
      const spec = judgeSpec(o.model);
      const tasks = parseTasks(o.tasks);
      if (!existsSync(o.db)) throw new AppError('BAD_INPUT', `no database at ${o.db} (run \`casebench experiment\` first, or give --db)`);
      const store = openStore(o.db);
      try {
        let runId = o.run;
        if (!runId) {
          const r = store.prepare(`SELECT id FROM runs WHERE kind = 'experiment' ORDER BY created_at DESC LIMIT 1`).get() as
            | { id: string }
            | undefined;
          if (!r) throw new AppError('BAD_INPUT', `${o.db} holds no experiment: give --run ID (an experiment, a shadow run or an import)`);
          runId = r.id;
        }
        const rt = await cliRuntime({ maxInFlight: o.concurrency });
        useSpendLimit(rt, store);
        const guard = rt.deps.spend as SpendGuard;
        const prompt = loadJudgePrompt();
        const est = estimateJudge(store, rt.models, prompt, { runId, judgeModel: spec, tasks, blocked: guard.blocked() });
        err(`casebench judge: ${spec} (prompt ${est.promptVersion}) on run ${est.runId} · ${tasks.join(', ')} · ${est.answers} answers`);
        if (est.alreadyJudged) err(`  resuming: ${est.alreadyJudged} already judged by this judge and prompt; ${est.calls} to go`);
        err(
          `  ${est.calls} calls (+ retries) · estimated cost ${est.simulated ? '$0 (simulated)' : est.usd === null ? 'unknown (no price for the judge in resources/models.json)' : `≈ ${usd(est.usd)}`}`,
        );
        if (est.blocked) {
          err(`casebench judge: ${est.blocked}`);
          process.exitCode = SPEND_LIMIT_EXIT;
          return;
        }
        if (est.calls > 0 && process.stdin.isTTY && !o.yes && !(await ask('Start? [y/N] '))) {
          err('casebench judge: not started');
          return;
        }
        const ac = new AbortController();
        const off = onStop(() => ac.abort());
        let last = 0;
        const out = await runJudge(store, rt, {
          runId: est.runId,
          judgeModel: spec,
          tasks,
          signal: ac.signal,
          rpm: o.rpm,
          concurrency: o.concurrency,
          timeoutMs: o.timeout,
          prompt,
          onProgress: (p) => {
            const now = Date.now();
            if (p.judged + p.failed < p.total && now - last < 1000) return;
            last = now;
            err(`casebench judge: ${p.judged + p.failed}/${p.total} · ${p.failed} failed · ${usd(p.costUsd)} spent`);
          },
        });
        off();
        const judge = loadReportJudge(store, est.runId, spec);
        const human = reviewScores(store, est.runId);
        if (o.json) {
          process.stdout.write(`${JSON.stringify({ ...out, judge: judge ?? null, human }, null, 2)}\n`);
        } else {
          const lines: string[] = [];
          lines.push(
            `Judged ${out.judged} answers (${out.alreadyJudged} earlier) with ${spec}, prompt ${out.promptVersion}; ${out.failed} failed${
              Object.keys(out.failures).length
                ? ` (${Object.entries(out.failures)
                    .map(([c, n]) => `${c} ${n}`)
                    .join(', ')})`
                : ''
            }; ${usd(out.costUsd)} spent.`,
          );
          if (judge) {
            lines.push('', 'task | answers both scored | agreement | κ / α | trust', '--- | --: | --: | --: | ---');
            for (const h of judge.vs_humans) {
              if (!tasks.includes(h.task)) continue;
              const stat = h.metric === 'kappa' ? h.kappa : h.alpha;
              lines.push(
                `${TASKS[h.task].label} | ${h.answers} | ${h.agreement === null ? '—' : `${(h.agreement * 100).toFixed(1)} %`} | ${stat === null ? '—' : `${h.metric === 'kappa' ? 'κ' : 'α'} ${stat.toFixed(2)}`} | ${h.trust}`,
              );
            }
            lines.push('', `Scores beside the reviews, where they differ, and the plan's use of them: casebench report --run ${est.runId}`);
          }
          process.stdout.write(`${lines.join('\n')}\n`);
        }
        if (out.stopped) {
          err(`casebench judge: stopped: ${out.stopped.message}`);
          if (out.stopped.code === 'SPEND_LIMIT') process.exitCode = SPEND_LIMIT_EXIT;
          else if (out.stopped.code === 'CANCELLED') process.exitCode = 130;
          else throw new AppError(out.stopped.code, out.stopped.message);
        }
      } finally {
        store.close();
      }
    });
}
