// `casebench experiment`: every ticket × model × task, recorded for `casebench report`. Checks
// everything before the first call, prints a cost estimate (asks to go ahead on a terminal),
// paces each provider under its --rpm, shows progress with an ETA and the spend so far, stops
// cleanly on Ctrl-C, and resumes on a re-run without repeating a finished call.
import { applyPrivacy, privacyOptions, type PrivacyFlags } from '../privacy.ts';
import { addHedgeOptions, applyHedge, hedgeSummary, type HedgeFlags } from '../hedgeFlags.ts';
import { resolve } from 'node:path';
import { ask, usd } from '../ask.ts';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { AppError } from '#shared/errors.ts';
import type { TicketInput } from '#shared/results.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import { createRuntime } from '#core/runtime.ts';
import { readTicketFile } from '#core/tickets/ticketFile.ts';
import { useWorkspacePrompts } from '#core/handlers/promptHandlers.ts';
import { openStore } from '#core/store/store.ts';
import { storedResultCounts } from '#core/store/experimentQueries.ts';
import { ticketHash } from '#core/store/migrations.ts';
import { acquireRunLease, describeHolder, thisProcess, type HeldLease } from '#core/store/leases.ts';
import {
  UPSTREAM_MODES,
  checkExperimentModels,
  estimateExperimentCost,
  experimentEtaMs,
  experimentRunId,
  runExperiment,
  type ExperimentProgress,
  type UpstreamMode,
} from '#core/experiments/experiment.ts';
import { minimumDurationMs, parseRpm, withRateLimits, type RpmLimits } from '#core/experiments/rateLimits.ts';
import { cliSecretStore, positiveInt } from '../context.ts';
import { cliScrubber } from '../secrets.ts';
import { onStop } from '../stop.ts';
import { formatDuration } from '../format.ts';
import { SPEND_LIMIT_EXIT, useSpendLimit } from '../spend.ts';
import { strictExit } from '../exitCodes.ts';
import { speculateOptions } from '../speculate.ts';

interface ExperimentFlags {
  tickets: string;
  models: string;
  baseline: string;
  upstream: string;
  db: string;
  concurrency: number;
  rpm?: string;
  timeout: number;
  stream?: boolean;
  yes?: boolean;
  retryFailed?: boolean;
  wait?: boolean;
  strict?: boolean;
  speculate?: boolean;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Adds `casebench experiment` to the program. */
export function registerExperiment(program: Command): void {
  privacyOptions(
    speculateOptions(
      addHedgeOptions(
        program
          .command('experiment')
          .description('run every ticket × model × task and record it, to compare models per task (then: casebench report); resumable')
          .requiredOption('--tickets <file>', 'JSONL (one ticket a line) or CSV with id,text columns')
          .requiredOption(
            '--models <list>',
            'models to compare, comma-separated provider:model (e.g. openai:gpt-4o,groq:openai/gpt-oss-20b)',
          )
          .requiredOption('--baseline <model>', 'the model the others are compared with (one of --models)')
          .option(
            '--upstream <mode>',
            "what product/asset ids/technical details prompts get: each model's own platform and product (own) or the baseline's (baseline)",
            'own',
          )
          .option('--db <path>', 'workspace database', './casebench.db')
          .option('--concurrency <n>', 'tickets in flight per model', positiveInt, 4)
          .option(
            '--rpm <spec>',
            'requests per minute: 30 (each provider), groq=30,openai=500 (per provider), groq:*=30 (each Groq model alone), groq:openai/gpt-oss-20b=30 (one model)',
          )
          .option('--timeout <ms>', 'per-call timeout in ms', positiveInt, 30_000)
          .option('--stream', 'stream answers (records time-to-first-token)')
          .option('-y, --yes', 'start without asking (asked only when stdin is a terminal)')
          .option('--retry-failed', 'on a re-run, call again the tasks that failed (RATE_LIMITED, TIMEOUT, …) and what depends on them')
          .option('--wait', 'when another process is executing this experiment, wait for it to finish (then resume) instead of stopping')
          .option(
            '--strict',
            'exit with status 4 when a task failed or was skipped because a task it depends on failed (default: 0, results are kept either way)',
          ),
        "default: off — an experiment measures each model's own latency tail, which a hedge would cut short",
      ),
      'default off here: an experiment measures each model per task, and wrong guesses add calls to the lanes it measures',
    ),
  ).action(async (o: ExperimentFlags & HedgeFlags & PrivacyFlags) => {
    const err = (s: string): void => void process.stderr.write(`${s}\n`);
    if (!(UPSTREAM_MODES as readonly string[]).includes(o.upstream)) {
      throw new AppError('BAD_INPUT', `--upstream must be ${UPSTREAM_MODES.join(' or ')}, not "${o.upstream}"`);
    }
    const env = process.env;
    const modelList = o.models
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    // Long runs meet rate limits: more retries and a longer honoured retry-after than one-off triage.
    const scheduler = {
      maxConcurrency: Math.max(16, o.concurrency * modelList.length * 3),
      maxRetries: env.CASEBENCH_MAX_RETRIES ? Number(env.CASEBENCH_MAX_RETRIES) : 6,
      retryAfterCapMs: env.CASEBENCH_RETRY_AFTER_CAP_MS ? Number(env.CASEBENCH_RETRY_AFTER_CAP_MS) : 60_000,
    };
    const rt = await createRuntime({
      env,
      secretStore: cliSecretStore(),
      scrubber: cliScrubber,
      scheduler,
      demoSpeed: env.CASEBENCH_DEMO_SPEED ? Number(env.CASEBENCH_DEMO_SPEED) : undefined,
    });
    const { models, baseline } = checkExperimentModels(modelList, o.baseline, rt.models, rt.today());
    const plan = { models, baseline, upstream: o.upstream as UpstreamMode };
    const limits: RpmLimits = o.rpm ? parseRpm(o.rpm, models) : {};
    for (const m of models) rt.checkKeys(Object.fromEntries(TASK_IDS.map((t) => [t, m])) as Record<(typeof TASK_IDS)[number], string>);

    const tickets: TicketInput[] = [];
    for await (const line of readTicketFile(o.tickets)) {
      if (line.ok) tickets.push(line.ticket);
      else err(`${o.tickets}:${line.line}: ${line.message}; skipped`);
    }
    if (tickets.length === 0)
      throw new AppError('BAD_INPUT', `${o.tickets} holds no tickets (one {"id", "text"} JSON object a line, or CSV with id,text)`);

    const store = openStore(o.db, { scrubber: rt.scrubber });
    useWorkspacePrompts(rt, store); // the workspace's active prompt versions (casebench prompts)
    useSpendLimit(rt, store);
    applyPrivacy(rt, store, o);
    applyHedge(rt, store, o, { off: true });
    let p: ExperimentProgress | null = null;
    const ac = new AbortController();
    let bar: cliProgress.SingleBar | null = null;
    let lease: HeldLease | null = null;
    let offStop: (() => void) | null = null;
    const t0 = Date.now();
    try {
      const source = resolve(o.tickets);
      const runId = experimentRunId(plan, source);
      // One live process executes a run: a second one says who holds it and stops, or waits (--wait).
      const waitSig = (): void => ac.abort();
      process.on('SIGINT', waitSig);
      try {
        lease = await acquireRunLease(store, runId, thisProcess('casebench experiment'), {
          wait: o.wait,
          signal: ac.signal,
          onWait: (h) => err(`casebench experiment: ${describeHolder(h)}; waiting (Ctrl-C to stop)`),
        });
      } finally {
        process.off('SIGINT', waitSig);
      }
      if (!lease) {
        err('casebench experiment: stopped while waiting; nothing was run');
        process.exitCode = 130;
        return;
      }
      const resuming = store.getRun(runId) !== null;
      const hashes = new Map(tickets.map((t) => [t.id, ticketHash(t.text)]));
      const stored = storedResultCounts(store, runId, { hashes, retryFailed: o.retryFailed });
      const units = new Map<string, number>();
      for (const m of models) units.set(m, tickets.filter((t) => (stored.get(`${t.id}\u0000${m}`) ?? 0) < TASK_IDS.length).length);
      const total = tickets.length * models.length * TASK_IDS.length;
      const est = estimateExperimentCost(rt.deps, rt.models, tickets, units);

      err(
        `casebench experiment: ${int(tickets.length)} tickets × ${models.length} models × ${TASK_IDS.length} tasks = ${int(total)} calls (+ retries) · baseline ${baseline} · upstream ${plan.upstream} · run ${runId} · db ${o.db}`,
      );
      let doneBefore = 0;
      for (const t of tickets) for (const m of models) doneBefore += Math.min(TASK_IDS.length, stored.get(`${t.id}\u0000${m}`) ?? 0);
      if (resuming) err(`  resuming: ${int(doneBefore)} of ${int(total)} tasks already done; ${int(total - doneBefore)} calls to go`);
      const priced = est.perModel.filter((m) => m.costUsd !== null && m.calls > 0).map((m) => `${m.model} ${usd(m.costUsd!)}`);
      err(
        `  estimated cost ≈ ${usd(est.totalUsd)}${priced.length ? ` (${priced.join(', ')})` : ''}: prompts ≈ ${int(est.inputTokensPerCall)} tokens a call × prices in resources/models.json; answer lengths guessed`,
      );
      if (est.unknown.length) err(`  price unknown: ${est.unknown.join(', ')} (not in the estimate)`);
      if (models.every((m) => m.startsWith('demo:'))) err('  demo models are simulated: nothing is spent');
      for (const m of models)
        for (const w of rt.checkModels(Object.fromEntries(TASK_IDS.map((t) => [t, m])) as Record<(typeof TASK_IDS)[number], string>))
          err(`  warning: ${w}`);
      const slowest = minimumDurationMs(limits, new Map(est.perModel.map((m) => [m.model, m.calls])));
      if (slowest.bucket)
        err(
          `  at least ${formatDuration(slowest.ms)} at the --rpm limits (${slowest.bucket}: ${int(slowest.calls)} calls at ${slowest.rpm}/min)`,
        );

      if (process.stdin.isTTY && !o.yes && est.calls > 0 && !(await ask('Start? [y/N] '))) {
        err('casebench experiment: not started; nothing was called');
        process.exitCode = 1;
        return;
      }

      // Ctrl-C or SIGTERM (a second one quits at once: stop.ts)
      offStop = onStop((why) => {
        bar?.stop();
        if (why !== 'EPIPE')
          err(
            `\ncasebench experiment: stopping${why === 'SIGINT' ? '' : ` on ${why}`} (finished results are kept; run the same command again to resume; Ctrl-C again to quit now)`,
          );
        ac.abort();
      });

      const tty = Boolean(process.stderr.isTTY);
      bar = tty
        ? new cliProgress.SingleBar(
            {
              format: ' {bar} {value}/{total} tasks · {failed} failed · {retries} retries · {cost} spent · ETA {left}',
              hideCursor: true,
              stream: process.stderr,
            },
            cliProgress.Presets.shades_classic,
          )
        : null;
      let lastPlain = 0;
      const show = (x: ExperimentProgress): void => {
        const cost = usd(x.costUsd) + (x.unpricedCalls ? ` + ${int(x.unpricedCalls)} unpriced calls` : '');
        const eta = formatDuration(experimentEtaMs(x, Date.now() - t0));
        const paused = Object.entries(x.perModel)
          .filter(([, m]) => m.pausedUntil !== null && m.pausedUntil > Date.now())
          .map(([k]) => k);
        // `left`, not `eta`: cli-progress fills {eta} itself, from the overall rate.
        const payload = {
          failed: int(x.failedTasks + x.failedBefore),
          retries: int(x.retries),
          cost,
          left: paused.length ? `${eta} (paused: ${paused.join(', ')})` : eta,
        };
        if (bar) {
          bar.update(x.doneTasks, payload);
          return;
        }
        const t = Date.now();
        if (t - lastPlain < 5000) return;
        lastPlain = t;
        err(
          `casebench experiment: ${int(x.doneTasks)}/${int(x.totalTasks)} tasks · ${payload.failed} failed · ${payload.retries} retries · ${cost} spent · ETA ${payload.left}`,
        );
      };
      bar?.start(total, doneBefore, { failed: '0', retries: '0', cost: '$0', left: '—' });

      const { deps } = withRateLimits(rt.deps, limits, scheduler);
      const out = await runExperiment({
        store,
        deps,
        runId,
        plan,
        tickets,
        source,
        concurrency: o.concurrency,
        timeoutMs: o.timeout,
        stream: o.stream ?? false,
        signal: ac.signal,
        gate: rt.gate,
        retryFailed: o.retryFailed,
        speculate: o.speculate ?? false,
        onProgress: (x) => {
          p = x;
          show(x);
        },
        onNotice: (m) => {
          if (bar && p) {
            bar.stop();
            err(`casebench experiment: ${m}`);
            bar.start(total, p.doneTasks);
          } else err(`casebench experiment: ${m}`);
        },
      });
      bar?.stop();
      bar = null;
      const x = out.progress;
      const secs = formatDuration(Date.now() - t0);
      // Failures are counted as they stand: this session's, and those kept from earlier ones.
      const failed = x.failedBefore
        ? `${int(x.failedTasks + x.failedBefore)} failed (${int(x.failedBefore)} from earlier sessions, not called again; --retry-failed calls them again)`
        : `${int(x.failedTasks)} failed`;
      err(
        `casebench experiment: ${int(x.doneTasks)}/${int(x.totalTasks)} tasks done (${int(x.doneBefore)} before this session), ${failed}, ` +
          `${int(x.skippedTasks)} not called (a dependency failed, or the ticket was refused or held for information), ${int(x.calls)} calls (${int(x.retries)} retries), ${usd(x.costUsd)} spent` +
          `${x.unpricedCalls ? ` (+ ${int(x.unpricedCalls)} calls with price unknown)` : ''} in ${secs} · db ${o.db} · run ${runId}`,
      );
      const hedged = hedgeSummary(rt);
      if (hedged) err(`  ${hedged}`);
      if (out.spendLimited) {
        err(
          `casebench experiment: stopped: ${out.spendLimited}\ncasebench experiment: run the same command again to resume once the limit allows`,
        );
        process.exitCode = SPEND_LIMIT_EXIT;
      } else if (out.interrupted) {
        err('casebench experiment: interrupted; run the same command again to resume');
        process.exitCode = 130;
      } else if (!out.complete) {
        const why = Object.entries(out.stopped)
          .map(([m, r]) => `${m} stopped (${r})`)
          .join('; ');
        err(`casebench experiment: incomplete: ${why || 'some tickets did not finish'}; fix it and run the same command again to resume`);
        process.exitCode = 1;
      } else {
        err(`  next: casebench report --db ${o.db} --run ${runId}`);
        process.exitCode = strictExit(o.strict, x.failedTasks + x.failedBefore + x.skippedTasks);
      }
    } finally {
      bar?.stop();
      offStop?.();
      lease?.release();
      store.close();
      await rt.close();
    }
  });
}
