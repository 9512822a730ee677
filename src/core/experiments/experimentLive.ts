// Experiments run from the workbench: the same runExperiment the CLI drives, in the core process,
// with its own AbortController per run, progress pushed as `experiment.progress` events (a full
// snapshot, at most five a second), stop and resume. Also the setup's ticket sources (workspace
// tickets or a staged file) and the cost estimate shown before starting.
// Over 400 lines: one service object's lifecycle (stage → estimate → launch → progress → stop/
// resume → stored view) whose steps share its maps of staged files and runs; its SQL is in
// store/experimentQueries.ts, its config schema in runConfig.ts, and what the view shows of a run
// (live or stored) is built by experimentSnapshot.ts.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { AppError, type AppErrorShape } from '#shared/errors.ts';
import type { TicketInput } from '#shared/results.ts';
import { KEY_PROVIDER_IDS, keyEnvOf, PROVIDERS } from '#shared/providers.ts';
import type { AppEvent } from '#shared/routes.ts';
import {
  EXPERIMENT_MAX_TICKETS,
  type ExperimentEstimate,
  type ExperimentLive,
  type ExperimentSetup,
  type ExperimentState,
  type ExperimentTickets,
  type StagedTicketFile,
  type TicketSourceInfo,
} from '#shared/routes/experimentRoutes.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import type { Assignment } from '../graph/engine.ts';
import { deprecationWarning, parseModelSpec } from '../models.ts';
import type { Runtime } from '../runtime.ts';
import {
  markWorkbenchRun,
  readFacts,
  retriedCalls,
  runSpend,
  runTicketInputs,
  storedResultCounts,
  ticketSources,
  workspaceTickets,
  type DbFacts,
} from '../store/experimentQueries.ts';
import { holdRunLease, thisProcess } from '../store/leases.ts';
import type { Store } from '../store/store.ts';
import { readTicketFile } from '../tickets/ticketFile.ts';
import {
  checkExperimentModels,
  estimateExperimentCost,
  experimentEtaMs,
  experimentRunId,
  runExperiment,
  type ExperimentPlan,
  type ExperimentProgress,
  type UpstreamMode,
} from './experiment.ts';
import { readExperimentConfig } from './runConfig.ts';
import { experimentSnapshot } from './experimentSnapshot.ts';
import { minimumDurationMs, parseRpm, withRateLimits, type RpmLimits } from './rateLimits.ts';
import { unhedged } from '../providers/hedgedScheduler.ts';

export interface ExperimentLiveDeps {
  store: Store;
  runtime(): Runtime;
  emit(e: AppEvent): void;
  notice(level: 'info' | 'warn' | 'error', message: string): void;
  /** Today's ISO day for retirement checks (injected in tests). */
  today?: () => string;
  now?: () => number;
}

/** Snapshots pushed per second at most while a run goes. */
const EMIT_EVERY_MS = 200;
/** Failure counts are read from the store at most this often (they are a GROUP BY over the run). */
const DB_EVERY_MS = 1000;
const DEFAULT_CONCURRENCY = 4;
const STAGED_KEPT = 6;
const BAD_LINES_SHOWN = 20;

interface Staged {
  file: StagedTicketFile;
  source: string;
  tickets: TicketInput[];
}

interface Prepared {
  runId: string;
  label: string;
  plan: ExperimentPlan;
  tickets: TicketInput[];
  source: string;
  limits: RpmLimits;
  rpm: string | null;
  concurrency: number;
  /** Sources the tickets had before the run (runExperiment writes every ticket with the run's source). */
}

interface LiveRun {
  runId: string;
  label: string;
  plan: ExperimentPlan;
  tickets: number;
  rpm: string | null;
  concurrency: number;
  ac: AbortController;
  state: ExperimentState;
  startedAt: number;
  finishedAt: number | null;
  progress: ExperimentProgress | null;
  estimateUsd: number | null;
  notices: ExperimentLive['notices'];
  error: AppErrorShape | null;
  db: DbFacts | null;
  dbAt: number;
  timer: ReturnType<typeof setTimeout> | null;
  done: Promise<void>;
}

const uniform = (model: string): Assignment => Object.fromEntries(TASK_IDS.map((t) => [t, model])) as Assignment;
const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export interface ExperimentLiveService {
  ticketSources(): { total: number; sources: TicketSourceInfo[] };
  stageFile(input: { name: string; content?: string; path?: string }): Promise<StagedTicketFile>;
  estimate(input: ExperimentSetup): Promise<ExperimentEstimate>;
  start(input: ExperimentSetup): Promise<{ runId: string; live: ExperimentLive }>;
  stop(runId: string): { stopping: boolean };
  resume(runId: string): Promise<{ runId: string; live: ExperimentLive }>;
  status(runId: string): ExperimentLive;
  /** Stops every run and waits (briefly) for them to record what is in flight. */
  close(): Promise<void>;
}

export function createExperimentLive(d: ExperimentLiveDeps): ExperimentLiveService {
  const { store } = d;
  const now = d.now ?? Date.now;
  // The runtime's local day, read at each check (as Settings, Compare and the CLI read it).
  const today = d.today ?? ((): string => d.runtime().today());
  const staged = new Map<string, Staged>();
  const runs = new Map<string, LiveRun>();
  let closing = false;

  // ---- tickets ----------------------------------------------------------------------------------

  async function readStaged(name: string, path: string, source: string): Promise<Staged> {
    const tickets: TicketInput[] = [];
    const badLines: StagedTicketFile['badLines'] = [];
    let badCount = 0;
    for await (const line of readTicketFile(path)) {
      if (line.ok) {
        if (tickets.length >= EXPERIMENT_MAX_TICKETS)
          throw new AppError(
            'BAD_INPUT',
            `${name} holds more than ${EXPERIMENT_MAX_TICKETS.toLocaleString('en-US')} tickets; run it with \`casebench experiment\``,
          );
        tickets.push(line.ticket);
      } else {
        badCount++;
        if (badLines.length < BAD_LINES_SHOWN) badLines.push({ line: line.line, message: line.message });
      }
    }
    if (tickets.length === 0)
      throw new AppError(
        'BAD_INPUT',
        `${name} holds no tickets (one {"id", "text"} JSON object a line, or CSV with id,text)${badCount ? `; ${plural(badCount, 'bad line')}, the first: line ${badLines[0]!.line}: ${badLines[0]!.message}` : ''}`,
      );
    const fileId = `file-${randomUUID().slice(0, 8)}`;
    const labelled = tickets.filter((t) => t.labels && Object.keys(t.labels).length > 0).length;
    return { file: { fileId, name, tickets: tickets.length, labelled, badLines, badCount }, source, tickets };
  }

  async function stageFile(input: { name: string; content?: string; path?: string }): Promise<StagedTicketFile> {
    let s: Staged;
    if (input.content !== undefined) {
      const ext = extname(input.name).toLowerCase();
      if (!['.jsonl', '.ndjson', '.json', '.csv'].includes(ext))
        throw new AppError('BAD_INPUT', `${input.name}: not a ticket file (expected .jsonl, .ndjson, .json or .csv)`);
      const dir = mkdtempSync(join(tmpdir(), 'casebench-exp-'));
      try {
        const p = join(dir, `upload${ext}`);
        writeFileSync(p, input.content);
        s = await readStaged(input.name, p, input.name);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } else {
      const p = resolve(input.path!);
      // The same path as `casebench experiment --tickets` gives the same run (and resumes it).
      s = await readStaged(basename(p), p, p);
    }
    staged.set(s.file.fileId, s);
    while (staged.size > STAGED_KEPT) staged.delete(staged.keys().next().value!);
    return s.file;
  }

  function selectTickets(sel: ExperimentTickets): { tickets: TicketInput[]; source: string; label: string } {
    if (sel.kind === 'staged') {
      const s = staged.get(sel.fileId);
      if (!s) throw new AppError('BAD_INPUT', 'the chosen ticket file is no longer loaded; choose it again');
      return { tickets: s.tickets, source: s.source, label: s.file.name };
    }
    const source = sel.source ?? null;
    const limit = sel.limit ?? EXPERIMENT_MAX_TICKETS;
    const rows = workspaceTickets(store, source, limit);
    if (rows.length === 0)
      throw new AppError(
        'BAD_INPUT',
        source === null
          ? 'the workspace holds no tickets yet: open a ticket file first, or choose a file here'
          : `no tickets from ${source} in the workspace`,
      );
    const what = source === null ? 'workspace' : source;
    return {
      tickets: rows.map((r) => r.ticket),
      // Stable for the same choice, so running it again resumes the same experiment.
      source: `workspace:${source ?? '*'}${sel.limit ? `:first-${sel.limit}` : ''}`,
      label: sel.limit ? `${what}, first ${plural(rows.length, 'ticket')}` : what,
    };
  }

  function prepare(input: ExperimentSetup): Prepared {
    const rt = d.runtime();
    const { models, baseline } = checkExperimentModels(input.models, input.baseline, rt.models, today());
    const plan: ExperimentPlan = { models, baseline, upstream: (input.upstream ?? 'own') as UpstreamMode };
    const rpm = input.rpm?.trim() ? input.rpm.trim() : null;
    const limits = rpm ? parseRpm(rpm, models) : {};
    const sel = selectTickets(input.tickets);
    const runId = experimentRunId(plan, sel.source);
    const label = `${sel.label} · ${plural(models.length, 'model')}`;
    return {
      runId,
      label,
      plan,
      tickets: sel.tickets,
      source: sel.source,
      limits,
      rpm,
      concurrency: input.concurrency ?? DEFAULT_CONCURRENCY,
    };
  }

  /** Providers of these models without a key, as the message the UI shows. */
  function keyProblems(models: readonly string[]): ExperimentEstimate['keyProblems'] {
    const statuses = d.runtime().keyStatus();
    const out: ExperimentEstimate['keyProblems'] = [];
    for (const p of KEY_PROVIDER_IDS) {
      const needing = models.filter((m) => parseModelSpec(m).provider === p);
      if (needing.length === 0 || statuses.find((k) => k.provider === p)?.set) continue;
      out.push({
        provider: p,
        message: `No ${PROVIDERS[p].name} API key is set (needed for ${needing.join(', ')}). Add it in Settings → Provider keys, or set ${keyEnvOf(p)}.`,
      });
    }
    return out;
  }

  function unitsToGo(p: Prepared): { units: Map<string, number>; doneBefore: number } {
    const stored = storedResultCounts(store, p.runId);
    const units = new Map<string, number>();
    let doneBefore = 0;
    for (const m of p.plan.models) {
      let left = 0;
      for (const t of p.tickets) {
        const n = Math.min(TASK_IDS.length, stored.get(`${t.id}\u0000${m}`) ?? 0);
        doneBefore += n;
        if (n < TASK_IDS.length) left++;
      }
      units.set(m, left);
    }
    return { units, doneBefore };
  }

  function estimateOf(p: Prepared): ExperimentEstimate {
    const rt = d.runtime();
    const { units, doneBefore } = unitsToGo(p);
    const est = estimateExperimentCost(rt.deps, rt.models, p.tickets, units);
    const slowest = minimumDurationMs(p.limits, new Map(est.perModel.map((m) => [m.model, m.calls])));
    const totalTasks = p.tickets.length * p.plan.models.length * TASK_IDS.length;
    const warnings: string[] = [];
    for (const m of p.plan.models) {
      const w = deprecationWarning(m, today(), rt.models);
      if (w) warnings.push(`${m}: ${w}`);
    }
    return {
      runId: p.runId,
      resuming: store.getRun(p.runId) !== null,
      label: p.label,
      tickets: p.tickets.length,
      models: p.plan.models,
      baseline: p.plan.baseline,
      upstream: p.plan.upstream,
      totalTasks,
      doneBefore,
      callsToGo: est.calls,
      inputTokensPerCall: est.inputTokensPerCall,
      costUsd: est.totalUsd,
      perModel: est.perModel,
      unknownPrice: est.unknown,
      minDuration: slowest.bucket ? { ms: slowest.ms, bucket: slowest.bucket, calls: slowest.calls, rpm: slowest.rpm } : null,
      simulated: p.plan.models.every((m) => m.startsWith('demo:')),
      keyProblems: keyProblems(p.plan.models),
      warnings,
    };
  }

  // ---- runs -------------------------------------------------------------------------------------

  const isActive = (r: LiveRun | undefined): boolean => r !== undefined && (r.state === 'running' || r.state === 'stopping');

  function snapshot(r: LiveRun): ExperimentLive {
    const t = now();
    if (r.db === null || (isActive(r) && t - r.dbAt >= DB_EVERY_MS)) {
      r.db = readFacts(store, r.runId);
      r.dbAt = t;
    }
    const p = r.progress;
    const elapsedMs = (r.finishedAt ?? t) - r.startedAt;
    const eta = p && isActive(r) ? experimentEtaMs(p, elapsedMs) : Number.NaN;
    return experimentSnapshot({
      runId: r.runId,
      label: r.label,
      models: r.plan.models,
      baseline: r.plan.baseline,
      upstream: r.plan.upstream,
      tickets: r.tickets,
      rpm: r.rpm,
      concurrency: r.concurrency,
      state: r.state,
      active: isActive(r),
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      elapsedMs,
      etaMs: Number.isFinite(eta) ? eta : null,
      totalTasks: p?.totalTasks,
      doneTasks: p?.doneTasks ?? 0,
      doneBefore: p?.doneBefore ?? 0,
      calls: p?.calls ?? 0,
      retries: p?.retries ?? 0,
      costUsd: p?.costUsd ?? 0,
      unpricedCalls: p?.unpricedCalls ?? 0,
      estimateUsd: r.estimateUsd,
      perModel: (m) => p?.perModel[m],
      facts: r.db,
      notices: r.notices.slice(-20),
      error: r.error,
    });
  }

  function publish(r: LiveRun): void {
    if (r.timer) {
      clearTimeout(r.timer);
      r.timer = null;
    }
    if (closing && !isActive(r)) return;
    d.emit({ type: 'experiment.progress', runId: r.runId, live: snapshot(r) });
  }

  function publishSoon(r: LiveRun): void {
    if (r.timer) return;
    r.timer = setTimeout(() => publish(r), EMIT_EVERY_MS);
  }

  function launch(p: Prepared): LiveRun {
    const rt = d.runtime();
    const existing = runs.get(p.runId);
    if (isActive(existing)) throw new AppError('BAD_INPUT', `this experiment is already running (${p.runId})`);
    const problems = keyProblems(p.plan.models);
    if (problems.length) throw new AppError('KEY_MISSING', problems[0]!.message, { provider: problems[0]!.provider });
    for (const m of p.plan.models) rt.checkKeys(uniform(m));
    const est = estimateOf(p);

    // A `casebench experiment` (or another workbench) executing this run holds its lease: refuse, naming it.
    const lease = holdRunLease(store, p.runId, thisProcess('the casebench workbench'), 'resume it here when that process has finished');
    const ac = new AbortController();
    const r: LiveRun = {
      runId: p.runId,
      label: p.label,
      plan: p.plan,
      tickets: p.tickets.length,
      rpm: p.rpm,
      concurrency: p.concurrency,
      ac,
      state: 'running',
      startedAt: now(),
      finishedAt: null,
      progress: null,
      estimateUsd: est.unknownPrice.length === p.plan.models.length ? null : est.costUsd,
      notices: existing?.notices ?? [],
      error: null,
      db: null,
      dbAt: 0,
      timer: null,
      done: Promise.resolve(),
    };
    runs.set(p.runId, r);
    // Long runs meet rate limits: more retries and a longer honoured retry-after than one-off triage (as the CLI).
    const scheduler = { maxConcurrency: Math.max(16, p.concurrency * p.plan.models.length * 3), maxRetries: 6, retryAfterCapMs: 60_000 };
    // Not hedged: an experiment measures each model's own latency tail, which a hedge would cut short.
    const { deps } = withRateLimits(unhedged(rt.deps), p.limits, scheduler);
    let created = false;
    const afterCreate = (): void => {
      created = true;
      // What the workbench needs to resume and to list the run; runExperiment's own config is kept.
      markWorkbenchRun(store, p.runId, p.label, p.rpm);
    };
    const finish = (state: ExperimentState, error: AppErrorShape | null): void => {
      lease.release();
      r.state = state;
      r.error = error;
      r.finishedAt = now();
      r.db = null;
      publish(r);
      d.emit({ type: 'runs.changed' });
      const x = r.progress;
      if (state === 'done')
        d.notice('info', `Experiment ${r.label}: done — ${plural(x?.doneTasks ?? 0, 'task')}, $${(x?.costUsd ?? 0).toFixed(4)} spent`);
      else if (state === 'incomplete')
        d.notice(
          'warn',
          `Experiment ${r.label}: incomplete — ${
            Object.values(x?.perModel ?? {})
              .map((m) => m.stopped)
              .filter(Boolean)
              .join('; ') || 'some tickets did not finish'
          }; fix it and resume`,
        );
      else if (state === 'interrupted')
        d.notice('info', `Experiment ${r.label}: stopped; its finished results are kept (resume to continue)`);
    };
    r.done = runExperiment({
      store,
      deps,
      runId: p.runId,
      plan: p.plan,
      tickets: p.tickets,
      source: p.source,
      keepSources: true,
      concurrency: p.concurrency,
      timeoutMs: 30_000,
      stream: false,
      signal: ac.signal,
      gate: rt.gate,
      onProgress: (x) => {
        if (!created) afterCreate();
        r.progress = x;
        publishSoon(r);
      },
      onNotice: (m) => {
        r.notices.push({ at: now(), message: m });
        if (r.notices.length > 50) r.notices.splice(0, r.notices.length - 50);
        d.notice('warn', `Experiment ${r.label}: ${m}`);
        publishSoon(r);
      },
    }).then(
      (out) => finish(out.interrupted ? 'interrupted' : out.complete ? 'done' : 'incomplete', null),
      (e: unknown) => {
        const err =
          e instanceof AppError ? e.toJSON() : { code: 'INTERNAL' as const, message: rt.deps.scrub((e as Error).message ?? String(e)) };
        try {
          store.setRunStatus(p.runId, 'interrupted');
        } catch {
          // the store may be closing
        }
        finish('failed', err);
        d.notice('error', `Experiment ${r.label}: ${err.message}`);
      },
    );
    // A file's tickets are new to the workspace: the list shows them.
    d.emit({ type: 'tickets.changed', reason: 'added' });
    d.emit({ type: 'runs.changed' });
    publish(r);
    return r;
  }

  /** The recorded state of an experiment that does not run here. */
  function fromStore(runId: string): ExperimentLive {
    const run = store.getRun(runId);
    if (!run) throw new AppError('BAD_INPUT', `no run ${runId}`);
    const cfg = readExperimentConfig(run.config);
    const models = cfg.models;
    const baseline = cfg.baseline ?? models[0] ?? '';
    const ticketIds = [
      ...store.runTicketIds(runId, 'pending'),
      ...store.runTicketIds(runId, 'done'),
      ...store.runTicketIds(runId, 'cancelled'),
    ];
    const stored = storedResultCounts(store, runId);
    const perModel = new Map(models.map((m) => [m, 0]));
    for (const [k, n] of stored) {
      const m = k.slice(k.indexOf('\u0000') + 1);
      if (perModel.has(m)) perModel.set(m, perModel.get(m)! + Math.min(TASK_IDS.length, n));
    }
    const facts = readFacts(store, runId);
    const spend = runSpend(store, runId);
    const retries = retriedCalls(store, runId);
    const doneTasks = [...perModel.values()].reduce((a, b) => a + b, 0);
    const kept = runs.get(runId);
    const state: ExperimentState =
      run.status === 'running'
        ? 'running'
        : run.status === 'interrupted'
          ? 'interrupted'
          : doneTasks >= ticketIds.length * models.length * TASK_IDS.length
            ? 'done'
            : 'incomplete';
    return experimentSnapshot({
      runId,
      label: run.label,
      models,
      baseline,
      upstream: cfg.upstream ?? 'own',
      tickets: ticketIds.length,
      rpm: cfg.rpm ?? null,
      concurrency: cfg.concurrency ?? null,
      state: kept?.state === 'failed' ? 'failed' : state,
      active: false,
      startedAt: kept?.startedAt ?? null,
      finishedAt: kept?.finishedAt ?? run.finishedAt,
      elapsedMs: kept ? (kept.finishedAt ?? now()) - kept.startedAt : 0,
      etaMs: null,
      doneTasks,
      doneBefore: doneTasks,
      calls: spend.calls,
      retries,
      costUsd: spend.costUsd,
      unpricedCalls: spend.unpriced,
      estimateUsd: kept?.estimateUsd ?? null,
      perModel: (m) => ({ done: perModel.get(m) ?? 0, doneBefore: perModel.get(m) ?? 0 }),
      facts,
      notices: kept?.notices.slice(-20) ?? [],
      error: kept?.error ?? null,
    });
  }

  return {
    ticketSources: () => ticketSources(store),
    stageFile,
    async estimate(input) {
      return estimateOf(prepare(input));
    },
    async start(input) {
      if (closing) throw new AppError('BAD_INPUT', 'the workbench is closing');
      const r = launch(prepare(input));
      return { runId: r.runId, live: snapshot(r) };
    },
    stop(runId) {
      const r = runs.get(runId);
      if (!r || !isActive(r)) return { stopping: false };
      if (r.state === 'running') {
        r.state = 'stopping';
        r.ac.abort();
        publish(r);
      }
      return { stopping: true };
    },
    async resume(runId) {
      if (closing) throw new AppError('BAD_INPUT', 'the workbench is closing');
      const run = store.getRun(runId);
      if (run?.kind !== 'experiment') throw new AppError('BAD_INPUT', `no experiment ${runId}`);
      if (isActive(runs.get(runId))) throw new AppError('BAD_INPUT', 'this experiment is already running');
      const cfg = readExperimentConfig(run.config);
      const models = cfg.models;
      const baseline = cfg.baseline ?? '';
      const upstream = cfg.upstream === 'baseline' ? 'baseline' : 'own';
      const source = cfg.source ?? '';
      const rows = runTicketInputs(store, runId);
      if (rows.length === 0) throw new AppError('BAD_INPUT', `experiment ${runId} holds no tickets to resume`);
      const rt = d.runtime();
      const checked = checkExperimentModels(models, baseline, rt.models, today());
      const plan: ExperimentPlan = { ...checked, upstream };
      const rpm = cfg.rpm ? cfg.rpm : null;
      const r = launch({
        runId,
        label: run.label ?? runId,
        plan,
        tickets: rows.map((x) => x.ticket),
        source,
        limits: rpm ? parseRpm(rpm, plan.models) : {},
        rpm,
        concurrency: cfg.concurrency ?? DEFAULT_CONCURRENCY,
      });
      return { runId, live: snapshot(r) };
    },
    status(runId) {
      const r = runs.get(runId);
      if (r && isActive(r)) return snapshot(r);
      return fromStore(runId);
    },
    async close() {
      closing = true;
      const active = [...runs.values()].filter(isActive);
      for (const r of active) r.ac.abort();
      // Cancelled calls record themselves quickly; never hold the close for long.
      await Promise.race([Promise.all(active.map((r) => r.done)), new Promise((res) => setTimeout(res, 5000))]);
      for (const r of runs.values()) if (r.timer) clearTimeout(r.timer);
    },
  };
}
