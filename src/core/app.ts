// The core services every interactive host (Electron main, `casebench serve`) exposes to the
// renderer through the route contract of src/shared/routes.ts.
import { randomUUID } from 'node:crypto';
import { AppError, type Result } from '../shared/errors.ts';
import type { TaskResult } from '../shared/results.ts';
import {
  routeInputs,
  type AppEvent,
  type ImportReport,
  type KeyStatus,
  type ModelInfo as RouteModel,
  type RouteHandlers,
  type RouteName,
  type RouteOutputs,
  type Settings,
  type SettingsPatch,
  type TicketFilter,
  type TicketsPage,
} from '../shared/routes.ts';
import { TASK_IDS, TASKS, type TaskId } from '../shared/tasks.ts';
import type { Assignment } from './graph/engine.ts';
import { openStore } from './store/store.ts';
import { asStoreError } from './store/storeErrors.ts';
import { createRuntime, type RuntimeConfig } from './runtime.ts';
import { storeLatencyHistory } from './store/hedgeHistory.ts';
import { parseModelSpec, retiredInfo } from './models.ts';
import { DEFAULT_ASSIGNMENT, DEMO_ASSIGNMENT, parseAssignment } from './assignment.ts';
import { keytarSecretStore, KEY_PROVIDERS, type KeyProvider } from './secrets/secretStore.ts';
import { layeredSecretStore } from './secrets/sessionSecretStore.ts';
import { Scrubber } from './secrets/scrub.ts';
import { loadLatencyProfiles } from './providers/demoProvider.ts';
import { keptForRetry, triageLive, type LiveDeps } from './live/liveTriage.ts';
import { startCompare } from './live/compareRun.ts';
import { createIntake, markTicketStarted } from './tickets/intake.ts';
import { checkFolder, markWatchedFile, readTxtTicket, watchFolder, watchedFileSeen, type FolderWatch } from './tickets/watchFolder.ts';
import {
  compareData,
  interruptedTickets,
  latestTriageRun,
  listRuns,
  listTickets,
  runTickets,
  ticketDetail,
  ticketSummary,
} from './tickets/ticketQueries.ts';
import { loadSettings, loadUi, saveSettings, saveUi, type WorkbenchSettings } from './settings/settingsStore.ts';
import { articleLatencies, latencyTable, recordedLatencies, type LatencyTable } from './settings/latencyStats.ts';
import type { HandlerContext } from './handlers/context.ts';
import { experimentHandlers } from './handlers/experimentHandlers.ts';
import { reviewHandlers } from './handlers/reviewHandlers.ts';
import { judgeHandlers } from './handlers/judgeHandlers.ts';
import { promptHandlers } from './handlers/promptHandlers.ts';
import { traceViewHandlers } from './handlers/traceViewHandlers.ts';
import { spendEstimate, spendHandlers } from './handlers/spendHandlers.ts';
import { createSpendGuard } from './spend/guard.ts';
import { watchSpend } from './spend/watch.ts';
import { batchNeedsConfirm, singleTicketNeedsConfirm } from './spend/ask.ts';
import { lifecycleOf, refuseRetired } from './modelLifecycle.ts';
import { spendRefusal } from './spend/refusal.ts';
import { createShadowFeature } from './shadow/shadowFeature.ts';
import type { IntakeEndpoint } from './tickets/httpIntake.ts';
import { SAMPLE_SOURCE, sampleTicketsPath } from './tickets/samples.ts';
import { readFile } from 'node:fs/promises';

export interface CoreConfig {
  dbPath: string;
  resourcesDir?: string;
  env: Record<string, string | undefined>;
  /** Defaults to the OS keychain; null: none (keys set in the UI then last for this session only). */
  secretStore?: RuntimeConfig['secretStore'];
  demoSpeed?: number;
  /** How often the workspace is checked for spend recorded by other processes, ms (default 2 s). */
  spendWatchMs?: number;
  /** Which host serves the UI (the desktop app has native file dialogs). */
  host?: 'desktop' | 'browser';
}

export interface CoreServices extends RouteHandlers {
  /** Runs left unfinished by a previous session, marked interrupted at start. */
  readonly interruptedRuns: number;
  /** Imports a ticket file by path (the desktop app's Open dialog). */
  importPath(path: string): Promise<ImportReport>;
  /** POST /intake/tickets of browser mode (bearer token; tickets triaged and shadowed like pasted ones). */
  readonly httpIntake: IntakeEndpoint;
  close(): Promise<void>;
}

const PROVIDER_NAMES: Record<KeyProvider, string> = { groq: 'Groq', openai: 'OpenAI' };
const KEY_ENV: Record<KeyProvider, 'GROQ_API_KEY' | 'OPENAI_API_KEY'> = { groq: 'GROQ_API_KEY', openai: 'OPENAI_API_KEY' };
const ENDPOINT_ENV = { groq: 'GROQ_BASE_URL', openai: 'OPENAI_BASE_URL', openaiCompatible: 'OPENAI_COMPATIBLE_BASE_URL' } as const;

const noFiles = (): string => {
  throw new AppError('BAD_INPUT', 'assignment files are not read through the workbench; give task=provider:model pairs');
};

/** Builds the core for an interactive host: runtime, store, and the route handlers over them. */
export async function createCoreServices(cfg: CoreConfig): Promise<CoreServices> {
  // One scrubber for the process: the runtime adds every key it resolves; the store's writes, the
  // events and every route's answer pass it.
  const scrubber = new Scrubber();
  const store = openStore(cfg.dbPath, { scrubber });
  const interruptedRuns = store.markInterruptedRuns();
  let settings = loadSettings(store);
  const secrets = layeredSecretStore(cfg.secretStore === undefined ? keytarSecretStore() : cfg.secretStore);

  const effectiveEnv = (s: WorkbenchSettings): Record<string, string | undefined> => {
    const env = { ...cfg.env };
    for (const [k, name] of Object.entries(ENDPOINT_ENV) as Array<[keyof typeof ENDPOINT_ENV, string]>) {
      if (!env[name] && s.endpoints[k]) env[name] = s.endpoints[k]!;
    }
    return env;
  };
  const schedulerOf = (s: WorkbenchSettings): NonNullable<RuntimeConfig['scheduler']> => ({
    maxConcurrency: s.callConcurrency,
    maxRetries: s.maxRetries,
    retryAfterCapMs: s.retryAfterCapMs,
  });

  const rt = await createRuntime({
    env: effectiveEnv(settings),
    secretStore: secrets,
    resourcesDir: cfg.resourcesDir,
    demoSpeed: cfg.demoSpeed,
    scheduler: schedulerOf(settings),
    scrubber,
    hedge: settings.hedge,
  });
  rt.hedger.configure({ history: storeLatencyHistory(store) });
  let article: LatencyTable | null = null;
  // The medians read every recorded result: computed at most every few seconds.
  let recorded: { at: number; table: LatencyTable } | null = null;

  const listeners = new Set<(e: AppEvent) => void>();
  const inFlight = new Map<string, AbortController>();
  const compares = new Map<string, AbortController>();
  // The unfiltered list is read at start and kept until something changes, so a window opening
  // on 10,000 tickets does not wait for the query.
  const listCache = new Map<string, TicketsPage>();
  const CHANGES = new Set<AppEvent['type']>(['tickets.changed', 'ticket.summary', 'ticket.done', 'runs.changed']);
  const emit = (e: AppEvent): void => {
    if (CHANGES.has(e.type)) listCache.clear();
    e = scrubber.scrubDeep(e);
    for (const l of listeners) {
      try {
        l(e);
      } catch {
        // A broken listener must not stop the others or the engine.
      }
    }
  };
  const notice = (level: 'info' | 'warn' | 'error', message: string): void => emit({ type: 'notice', level, message: rt.deps.scrub(message), at: Date.now() });
  // The spend limit, checked by the engine before every call of every run of this workspace; each
  // answered call's cost tells the UI (at most every 500 ms) to re-read the spend from the store.
  const guard = createSpendGuard({ store });
  let spendTimer: ReturnType<typeof setTimeout> | null = null;
  const spendChanged = (): void => {
    if (spendTimer) return;
    spendTimer = setTimeout(() => {
      spendTimer = null;
      if (!closed) emit({ type: 'spend.changed' });
    }, 500);
    spendTimer.unref?.();
  };
  // Calls recorded by another process on this workspace, or the local day turning, change it too.
  const stopSpendWatch = watchSpend(store, spendChanged, { everyMs: cfg.spendWatchMs });
  rt.deps.spend = {
    beforeCall: (spec) => guard.beforeCall(spec),
    charge: (spec, cost) => {
      guard.charge(spec, cost);
      spendChanged();
    },
  };
  let closed = false;
  const emitSummary = (ticketId: string): void => {
    if (closed) return;
    const summary = ticketSummary(store, ticketId);
    if (summary) emit({ type: 'ticket.summary', summary });
  };

  const keyStatuses = (): KeyStatus[] =>
    rt.keyStatus().map((k) => (k.source === 'keychain' && secrets.inSession(k.provider) ? { ...k, source: 'session' as const } : k));
  const noKeys = (): boolean => keyStatuses().every((k) => !k.set);
  // With no key at all, the workbench starts on the keyless demo so it shows something real.
  const currentAssignment = (): Assignment =>
    settings.assignment ? { ...settings.assignment } : noKeys() ? { ...DEMO_ASSIGNMENT } : { ...DEFAULT_ASSIGNMENT };
  const isDemo = (a: Assignment): boolean => TASK_IDS.some((t) => a[t].startsWith('demo:'));

  /** KEY_MISSING naming the provider and where to add its key, before anything is recorded. */
  const requireKeys = (assignment: Assignment): void => {
    const statuses = keyStatuses();
    for (const p of KEY_PROVIDERS) {
      const tasks = TASK_IDS.filter((t) => assignment[t].startsWith(`${p}:`));
      if (tasks.length && !statuses.find((k) => k.provider === p)?.set) {
        throw new AppError(
          'KEY_MISSING',
          `No ${PROVIDER_NAMES[p]} API key is set (needed for ${tasks.map((t) => TASKS[t].label.toLowerCase()).join(', ')}). Add it in Settings → Provider keys, or set ${KEY_ENV[p]}.`,
        );
      }
    }
    rt.checkKeys(assignment);
    rt.checkModels(assignment);
  };

  const applyRuntime = async (): Promise<void> => {
    await rt.reload({ env: effectiveEnv(settings), scheduler: schedulerOf(settings) });
  };

  const live: LiveDeps = { store, rt, emit };

  /** Triages one stored ticket now (paste, re-run), outside the import queue. */
  const startLive = (ticketId: string, text: string, runId: string, assignment: Assignment, given?: Partial<Record<TaskId, TaskResult>>): void => {
    inFlight.get(ticketId)?.abort();
    const ac = new AbortController();
    inFlight.set(ticketId, ac);
    const t0Epoch = Date.now();
    markTicketStarted(store, runId, ticketId, t0Epoch);
    emitSummary(ticketId);
    void triageLive(live, { runId, ticket: { id: ticketId, text }, assignment, signal: ac.signal, given, t0Epoch, afterResult: () => emitSummary(ticketId) })
      .then((r) => {
        if (closed) return;
        const refused = spendRefusal(r);
        if (refused) notice('warn', `ticket ${ticketId}: ${refused}`);
        store.setRunTicket(runId, ticketId, ac.signal.aborted || refused ? 'cancelled' : 'done', r.totalMs);
        store.setRunStatus(runId, ac.signal.aborted || refused ? 'interrupted' : 'done');
        emit({ type: 'ticket.done', ticketId, runId, totalMs: r.totalMs });
        if (!ac.signal.aborted) shadow.afterProduction(runId, ticketId);
      })
      .catch((e: unknown) => {
        if (closed) return;
        notice('error', `ticket ${ticketId}: ${(asStoreError(e, store.path) as Error).message}`);
      })
      .finally(() => {
        if (inFlight.get(ticketId) === ac) inFlight.delete(ticketId);
        try {
          if (!closed) emitSummary(ticketId);
        } catch (e) {
          notice('error', `ticket ${ticketId}: ${(asStoreError(e, store.path) as Error).message}`);
        }
      });
  };

  const intake = createIntake({
    ...live,
    assignment: currentAssignment,
    concurrency: () => settings.ticketConcurrency,
    onTicketDone: (ticketId, runId) => {
      emitSummary(ticketId);
      shadow.afterProduction(runId, ticketId);
    },
    onRunDone: () => emit({ type: 'runs.changed' }),
    estimate: (tickets, count, assignment) => spendEstimate(featureContext, guard, tickets, count, assignment),
    holdBatch: (jobs) => batchNeedsConfirm(jobs),
    onBatches: (batches) => emit({ type: 'batches.changed', batches }),
    checkAssignment: (a) => void rt.checkModels(a),
  });

  let watcher: FolderWatch | null = null;
  let watchError: string | null = null;
  const applyWatch = async (): Promise<void> => {
    watcher?.close();
    watcher = null;
    watchError = null;
    const dir = settings.watchFolder;
    if (!dir) return;
    try {
      await checkFolder(dir);
    } catch (e) {
      watchError = (e as Error).message;
      notice('warn', watchError);
      return;
    }
    watcher = watchFolder(dir, {
      isSeen: (f) => watchedFileSeen(store, f),
      markSeen: (f, runId) => markWatchedFile(store, f, runId),
      onError: (m) => notice('warn', m),
      onFile: async (f) => {
        if (f.name.toLowerCase().endsWith('.txt')) {
          const t = await readTxtTicket(f);
          store.upsertTicket(t, `watch: ${f.name}`);
          const est = spendEstimate(featureContext, guard, [t], 1, currentAssignment());
          const hold = singleTicketNeedsConfirm(est, t.text.length);
          const runId = intake.enqueue(`watch: ${f.name}`, [{ ticket: t }], { source: f.path, intake: 'watch' }, { hold });
          notice(hold ? 'warn' : 'info', `Watched folder: ${f.name} → 1 ticket${hold ? ' — large: waiting for your go-ahead (see the batch bar)' : ''}`);
          return runId;
        }
        const rep = await intake.importFile(f.path, `watch: ${f.name}`);
        notice(rep.badLines.length || rep.batch?.state === 'confirm' ? 'warn' : 'info', `Watched folder: ${f.name} → ${rep.added} tickets${rep.badLines.length ? `, ${rep.badLines.length} bad lines` : ''}${rep.batch?.state === 'confirm' ? ' — waiting for your go-ahead (see the batch bar)' : ''}`);
        return rep.runId;
      },
    });
  };
  await applyWatch();

  const settingsView = (): Settings => {
    const envOverrides: Settings['envOverrides'] = [];
    for (const name of Object.values(ENDPOINT_ENV)) if (cfg.env[name]) envOverrides.push(name);
    for (const p of KEY_PROVIDERS) if (cfg.env[KEY_ENV[p]]?.trim()) envOverrides.push(KEY_ENV[p]);
    const assignment = currentAssignment();
    return {
      assignment,
      assignmentSaved: settings.assignment !== null,
      demo: isDemo(assignment),
      endpoints: { ...settings.endpoints },
      envOverrides,
      ticketConcurrency: settings.ticketConcurrency,
      callConcurrency: settings.callConcurrency,
      maxRetries: settings.maxRetries,
      retryAfterCapMs: settings.retryAfterCapMs,
      hedge: { ...settings.hedge },
      watchFolder: settings.watchFolder,
      speculate: settings.speculate,
      watchError,
      ui: loadUi(store),
      host: { kind: cfg.host ?? 'browser', fileDialog: cfg.host === 'desktop' },
    };
  };

  const applySettings = async (patch: SettingsPatch): Promise<Settings> => {
    const next: WorkbenchSettings = { ...settings, endpoints: { ...settings.endpoints } };
    if (patch.assignment !== undefined) {
      if (patch.assignment === null) next.assignment = null;
      else {
        const parsed = parseAssignment(JSON.stringify(patch.assignment), { fallback: currentAssignment(), readFile: noFiles });
        // A retired model is refused here, naming its replacement; a deprecated one is kept with a warning.
        for (const w of rt.checkModels(parsed)) notice('warn', w);
        next.assignment = parsed;
      }
    }
    if (patch.endpoints) {
      for (const k of ['groq', 'openai', 'openaiCompatible'] as const) {
        const v = patch.endpoints[k];
        if (v !== undefined) next.endpoints[k] = v === null || v.trim() === '' ? null : v.trim().replace(/\/+$/, '');
      }
    }
    if (patch.ticketConcurrency !== undefined) next.ticketConcurrency = patch.ticketConcurrency;
    if (patch.callConcurrency !== undefined) next.callConcurrency = patch.callConcurrency;
    if (patch.maxRetries !== undefined) next.maxRetries = patch.maxRetries;
    if (patch.retryAfterCapMs !== undefined) next.retryAfterCapMs = patch.retryAfterCapMs;
    if (patch.hedge) {
      next.hedge = { enabled: patch.hedge.enabled ?? settings.hedge.enabled, budgetPct: patch.hedge.budgetPct ?? settings.hedge.budgetPct };
      rt.hedger.configure(next.hedge);
    }
    if (patch.speculate !== undefined) next.speculate = patch.speculate;
    if (patch.watchFolder !== undefined) next.watchFolder = patch.watchFolder && patch.watchFolder.trim() ? patch.watchFolder.trim() : null;
    const runtimeChanged =
      JSON.stringify(next.endpoints) !== JSON.stringify(settings.endpoints) ||
      next.callConcurrency !== settings.callConcurrency ||
      next.maxRetries !== settings.maxRetries ||
      next.retryAfterCapMs !== settings.retryAfterCapMs;
    const watchChanged = next.watchFolder !== settings.watchFolder;
    settings = next;
    saveSettings(store, settings);
    if (runtimeChanged) await applyRuntime();
    if (watchChanged) await applyWatch();
    return settingsView();
  };

  const models = (): RouteModel[] =>
    rt.models.models.map((m): RouteModel => {
      const retired = retiredInfo(m.provider, m.model, rt.today(), rt.models);
      return {
        spec: m.id, provider: m.provider, name: m.displayName, status: retired ? 'retired' : m.status,
        priceKnown: m.price !== null, retiredOn: m.retiredOn, replacement: m.replacement,
        lifecycle: lifecycleOf(m.id, rt.today(), rt.models)?.message ?? null,
      };
    });

  const closers: Array<() => void | Promise<void>> = [];
  const featureContext: HandlerContext = {
    store,
    runtime: () => rt,
    dbPath: cfg.dbPath,
    emit,
    notice,
    currentAssignment,
    closed: () => closed,
    onClose: (fn) => void closers.push(fn),
  };
  const shadow = createShadowFeature({ store, runtime: () => rt, emit, secrets, env: cfg.env, intake, ctx: featureContext, served: cfg.host !== 'desktop' });

  const handlers: { [R in RouteName]: (input: never) => Promise<RouteOutputs[R]> } = {
    'triage.start': async (input: { text: string; title?: string; assign?: string; confirmed?: boolean }) => {
      const gate = rt.gate(input.text);
      if (!gate.ok) throw new AppError(gate.code, gate.message);
      const assignment = input.assign ? parseAssignment(input.assign, { fallback: currentAssignment(), readFile: noFiles }) : currentAssignment();
      requireKeys(assignment);
      if (!input.confirmed) {
        const est = spendEstimate(featureContext, guard, [{ id: 'paste', text: input.text }], 1, assignment);
        if (singleTicketNeedsConfirm(est, input.text.length)) {
          throw new AppError('CONFIRM_SPEND', `this ticket would cost about $${est.usd.toFixed(4)} (${est.calls} calls on ${input.text.length.toLocaleString('en-US')} characters); confirm to triage it`);
        }
      }
      const blocked = guard.blocked();
      if (blocked && TASK_IDS.some((t) => !assignment[t].startsWith('demo:'))) throw new AppError('SPEND_LIMIT', blocked);
      const ticketId = `t-${randomUUID().slice(0, 8)}`;
      const runId = `triage-${ticketId}`;
      store.upsertTicket({ id: ticketId, text: input.text, ...(input.title ? { title: input.title } : {}) }, 'paste');
      store.createRun({ id: runId, kind: 'triage', assignment });
      startLive(ticketId, input.text, runId, assignment);
      return { ticketId, assignment, runId };
    },
    'triage.cancel': async (input: { ticketId: string }) => {
      const ac = inFlight.get(input.ticketId);
      ac?.abort();
      return { cancelled: Boolean(ac) };
    },
    'triage.rerun': async (input: { ticketId: string; task?: TaskId }) => {
      const ticket = store.getTicket(input.ticketId);
      if (!ticket) throw new AppError('BAD_INPUT', `no ticket ${input.ticketId}`);
      const now = currentAssignment();
      const prevRun = latestTriageRun(store, ticket.id);
      const prevResults = prevRun ? store.resultsForTicket(prevRun, ticket.id) : [];
      const given = input.task ? keptForRetry(prevResults, input.task) : {};
      const prevAssignment = prevRun ? (store.getRun(prevRun)?.assignment as Assignment | undefined) : undefined;
      // Kept tasks keep the model that answered them; re-run tasks use today's assignment.
      const assignment = Object.fromEntries(TASK_IDS.map((t) => [t, given[t] && prevAssignment ? prevAssignment[t] : now[t]])) as Assignment;
      requireKeys(Object.fromEntries(TASK_IDS.map((t) => [t, given[t] ? 'demo:x' : assignment[t]])) as Assignment);
      const runId = `triage-${ticket.id}-${randomUUID().slice(0, 6)}`;
      store.createRun({
        id: runId, kind: 'triage', assignment,
        label: input.task ? `retry ${input.task}` : 're-run',
        config: { retryOf: prevRun, task: input.task ?? null, reused: Object.keys(given) },
      });
      startLive(ticket.id, ticket.text, runId, assignment, given);
      return { ticketId: ticket.id, runId, assignment };
    },
    'triage.resumeInterrupted': async () => {
      const left = interruptedTickets(store);
      if (left.length === 0) return { queued: 0 };
      const reused: Record<string, string[]> = {};
      const jobs = [];
      for (const { ticketId, runId } of left) {
        const ticket = store.getTicket(ticketId);
        if (!ticket) continue;
        const given: Partial<Record<TaskId, TaskResult>> = {};
        for (const r of store.resultsForTicket(runId, ticketId)) if (r.status === 'ok') given[r.task] = r;
        reused[ticketId] = Object.keys(given);
        jobs.push({ ticket, given });
      }
      // A batch like any other: more than one ticket (or one big one) waits for the go-ahead on its estimate.
      const hold = jobs.length > 1
        || (jobs.length === 1 && singleTicketNeedsConfirm(spendEstimate(featureContext, guard, [jobs[0]!.ticket], 1, currentAssignment()), jobs[0]!.ticket.text.length));
      const runId = intake.enqueue(`resumed ${jobs.length} interrupted`, jobs, { resumeOf: [...new Set(left.map((l) => l.runId))].slice(0, 100), reused }, { hold });
      return { queued: jobs.length, runId, confirm: hold };
    },
    'tickets.list': async (input: TicketFilter) => {
      const key = JSON.stringify(input);
      const hit = listCache.get(key);
      if (hit) return hit;
      const page = listTickets(store, input);
      if (listCache.size > 8) listCache.clear();
      listCache.set(key, page);
      return page;
    },
    'tickets.get': async (input: { ticketId: string; runId?: string }) => {
      const d = ticketDetail(store, input.ticketId, input.runId);
      if (!d) throw new AppError('BAD_INPUT', `no ticket ${input.ticketId}`);
      return d;
    },
    'tickets.import': async (input: { name: string; content: string }) => {
      const rep = await intake.importContent(input.name, input.content);
      notice(rep.badLines.length ? 'warn' : 'info', `Imported ${input.name}: ${rep.added} tickets${rep.badLines.length ? `, ${rep.badLines.length} bad lines` : ''}`);
      return rep;
    },
    'tickets.importPath': async (input: { path: string }) => importPath(input.path),
    // The demo's labelled sample tickets (resources/demo/tickets.jsonl), offered on the welcome screen.
    'tickets.importSamples': async () => {
      const content = await readFile(sampleTicketsPath(cfg.resourcesDir), 'utf8');
      const rep = await intake.importContent(SAMPLE_SOURCE, content);
      notice('info', `Imported the ${rep.added} sample tickets (${SAMPLE_SOURCE})`);
      return rep;
    },
    'runs.list': async () => listRuns(store),
    'runs.tickets': async (input: { runId: string }) => runTickets(store, input.runId),
    'compare.start': async (input: { ticketId: string; models: string[]; baseline: string }) => {
      refuseRetired(input.models, rt.today(), rt.models, 'Compare');
      for (const m of input.models) {
        const { provider } = parseModelSpec(m);
        if (provider === 'groq' || provider === 'openai') requireKeys(Object.fromEntries(TASK_IDS.map((t) => [t, m])) as Assignment);
      }
      const ac = new AbortController();
      const started = startCompare(live, input, ac.signal);
      compares.set(started.runId, ac);
      void started.done.finally(() => compares.delete(started.runId));
      return { runId: started.runId, models: started.models, baseline: started.baseline };
    },
    'compare.get': async (input: { runId: string; ticketId: string }) => {
      const c = compareData(store, input.runId, input.ticketId);
      if (!c) throw new AppError('BAD_INPUT', `no run ${input.runId}`);
      return c;
    },
    'keys.status': async () => keyStatuses(),
    'keys.set': async (input: { provider: KeyProvider; key: string }) => {
      const key = input.key.trim();
      if (/\s/.test(key)) throw new AppError('BAD_INPUT', 'a key has no spaces or line breaks');
      scrubber.add(key); // scrubbed from now on, even where the environment's key takes precedence
      await secrets.set(input.provider, key);
      await applyRuntime();
      const status = keyStatuses();
      const s = status.find((k) => k.provider === input.provider);
      notice(
        'info',
        s?.source === 'env'
          ? `${PROVIDER_NAMES[input.provider]} key saved, but ${KEY_ENV[input.provider]} in the environment still takes precedence`
          : `${PROVIDER_NAMES[input.provider]} key set${s?.source === 'session' ? ' for this session (no OS keychain available)' : ' in the OS keychain'}`,
      );
      return status;
    },
    'keys.remove': async (input: { provider: KeyProvider }) => {
      await secrets.delete(input.provider);
      await applyRuntime();
      notice('info', `${PROVIDER_NAMES[input.provider]} key removed`);
      return keyStatuses();
    },
    'models.list': async () => models(),
    'models.latency': async () => {
      article ??= articleLatencies(loadLatencyProfiles(cfg.resourcesDir), rt.models, cfg.demoSpeed ?? 1);
      if (!recorded || Date.now() - recorded.at > 5000) recorded = { at: Date.now(), table: recordedLatencies(store) };
      return latencyTable(recorded.table, article);
    },
    'config.get': async () => {
      const assignment = currentAssignment();
      return { assignment, demo: isDemo(assignment) };
    },
    'settings.get': async () => settingsView(),
    'settings.set': async (input: SettingsPatch) => applySettings(input),
    'ui.save': async (input: { key: string; value: unknown }) => {
      saveUi(store, input.key, input.value);
      return { saved: true };
    },
    'host.openTicketFile': async () => {
      throw new AppError('BAD_INPUT', 'the Open dialog exists in the desktop app; in a browser, pick the file with “Open file…”');
    },
    'host.pickFolder': async () => {
      throw new AppError('BAD_INPUT', 'the folder picker exists in the desktop app; in a browser, type the folder’s path');
    },
    ...experimentHandlers(featureContext),
    ...reviewHandlers(featureContext),
    ...traceViewHandlers(featureContext),
    ...spendHandlers({
      ...featureContext, intake, guard,
      assignmentOf: (spec) => (spec ? parseAssignment(spec, { fallback: currentAssignment(), readFile: noFiles }) : currentAssignment()),
    }),
    ...shadow.handlers,
    ...judgeHandlers(featureContext, { guard, resourcesDir: cfg.resourcesDir }),
    ...promptHandlers(featureContext, { resourcesDir: cfg.resourcesDir }),
  };

  async function importPath(path: string): Promise<ImportReport> {
    const rep = await intake.importFile(path);
    notice(rep.badLines.length ? 'warn' : 'info', `Imported ${rep.source}: ${rep.added} tickets${rep.badLines.length ? `, ${rep.badLines.length} bad lines` : ''}`);
    return rep;
  }

  // Warm the list for the first window (after start-up, off the critical path of creating the core).
  const warm = setTimeout(() => {
    if (!closed && listCache.size === 0) listCache.set(JSON.stringify({}), listTickets(store, {}));
  }, 0);
  warm.unref?.();
  if (interruptedRuns) notice('warn', `${interruptedRuns} run(s) from an earlier session were left unfinished; their finished results are kept`);

  return {
    interruptedRuns,
    importPath,
    httpIntake: shadow.httpIntake,
    async request<R extends RouteName>(route: R, input: unknown): Promise<Result<RouteOutputs[R]>> {
      const schema = routeInputs[route];
      if (!schema) return { ok: false, error: { code: 'BAD_INPUT', message: `unknown route ${String(route)}` } };
      const parsed = schema.safeParse(input ?? {});
      if (!parsed.success) return { ok: false, error: { code: 'BAD_INPUT', message: `${route}: ${parsed.error.issues[0]?.message ?? 'invalid input'}` } };
      try {
        const fn = handlers[route] as (i: unknown) => Promise<RouteOutputs[R]>;
        return { ok: true, data: scrubber.scrubDeep(await fn(parsed.data ?? {})) };
      } catch (err) {
        const e = asStoreError(err, store.path); // a full disk or a damaged file, in words
        if (e instanceof AppError) return { ok: false, error: { code: e.code, message: rt.deps.scrub(e.message) } };
        return { ok: false, error: { code: 'INTERNAL', message: rt.deps.scrub((e as Error).message ?? String(e)) } };
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      for (const fn of closers) await fn();
      watcher?.close();
      intake.close();
      shadow.close();
      for (const ac of inFlight.values()) ac.abort();
      for (const ac of compares.values()) ac.abort();
      // Let cancelled calls record themselves (briefly), then stop writing.
      for (let i = 0; i < 100 && (inFlight.size > 0 || compares.size > 0 || intake.pending() > 0); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      closed = true;
      if (spendTimer) clearTimeout(spendTimer);
      stopSpendWatch();
      listeners.clear();
      store.close();
      await rt.close();
    },
  };
}
