// The core services every interactive host (Electron main, `casebench serve`) exposes to the
// renderer through the route contract of src/shared/routes.ts. Composition only: each feature's
// handlers live in src/core/handlers/<feature>Handlers.ts (routes in src/shared/routes/), the use
// cases they share in src/core/live/, and this file wires them to one store, one runtime and one
// event stream, and closes them in order.
import type { ImportReport, RouteHandlers } from '#shared/routes.ts';
import { createEventBus } from './events.ts';
import { openStore } from './store/store.ts';
import { createRuntime, type RuntimeConfig } from './runtime.ts';
import { storeLatencyHistory } from './store/hedgeHistory.ts';
import { keytarSecretStore } from './secrets/secretStore.ts';
import { layeredSecretStore } from './secrets/sessionSecretStore.ts';
import { Scrubber } from './secrets/scrub.ts';
import { keyAccess } from './secrets/keyAccess.ts';
import { loadSettings } from './settings/settingsStore.ts';
import { createWorkbenchSettings, schedulerOf } from './settings/workbenchSettings.ts';
import { createIntake } from './live/intake.ts';
import { createWatchedFolder } from './live/watchedFolder.ts';
import type { LiveDeps } from './live/liveTriage.ts';
import type { IntakeEndpoint } from './live/httpIntake.ts';
import { ticketSummary } from './tickets/ticketQueries.ts';
import { wireSpend } from './spend/spendWiring.ts';
import { batchNeedsConfirm, singleTicketNeedsConfirm } from './spend/ask.ts';
import { createShadowFeature } from './shadow/shadowFeature.ts';
import type { WorkbenchContext } from './handlers/workbenchContext.ts';
import { coreDispatch, type AllHandlers } from './handlers/dispatch.ts';
import { triageHandlers } from './handlers/triageHandlers.ts';
import { ticketHandlers } from './handlers/ticketHandlers.ts';
import { compareHandlers } from './handlers/compareHandlers.ts';
import { keyHandlers } from './handlers/keyHandlers.ts';
import { settingsHandlers } from './handlers/settingsHandlers.ts';
import { experimentHandlers } from './handlers/experimentHandlers.ts';
import { reviewHandlers } from './handlers/reviewHandlers.ts';
import { traceHandlers } from './handlers/traceHandlers.ts';
import { traceViewHandlers } from './handlers/traceViewHandlers.ts';
import { spendEstimate, spendHandlers } from './handlers/spendHandlers.ts';
import { judgeHandlers } from './handlers/judgeHandlers.ts';
import { promptHandlers } from './handlers/promptHandlers.ts';
import { privacyHandlers } from './handlers/privacyHandlers.ts';
import { usePrivacy } from './settings/privacy.ts';

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

/** Builds the core for an interactive host: runtime, store, and the route handlers over them. */
export async function createCoreServices(cfg: CoreConfig): Promise<CoreServices> {
  // One scrubber for the process: the runtime adds every key it resolves; the store's writes, the
  // events and every route's answer pass it.
  const scrubber = new Scrubber();
  const store = openStore(cfg.dbPath, { scrubber });
  const interruptedRuns = store.markInterruptedRuns();
  const secrets = layeredSecretStore(cfg.secretStore === undefined ? keytarSecretStore() : cfg.secretStore);
  const saved = loadSettings(store);
  // Endpoints go to the runtime as typed configuration; the environment's variables still win.
  const rt = await createRuntime({
    env: cfg.env,
    endpoints: saved.endpoints,
    secretStore: secrets,
    resourcesDir: cfg.resourcesDir,
    demoSpeed: cfg.demoSpeed,
    scheduler: schedulerOf(saved),
    scrubber,
    hedge: saved.hedge,
  });
  rt.hedger.configure({ history: storeLatencyHistory(store) });
  // What is masked before model calls and the information gate: the workspace's setting (casebench privacy).
  usePrivacy(rt, store);

  let closed = false;
  const events = createEventBus(scrubber);
  const { emit, notice } = events;
  const spend = wireSpend(store, rt, () => emit({ type: 'spend.changed' }), { everyMs: cfg.spendWatchMs });
  const keys = keyAccess(() => rt, secrets);
  const settings = createWorkbenchSettings({
    store,
    runtime: () => rt,
    env: cfg.env,
    host: cfg.host,
    notice,
    noKeys: keys.none,
    onRuntimeChange: () => applyRuntime(),
    onWatchChange: () => watched.apply(),
    watchError: () => watched.error(),
  });
  const applyRuntime = (): Promise<void> =>
    rt.reload({ endpoints: settings.current().endpoints, scheduler: schedulerOf(settings.current()) });
  const live: LiveDeps = { store, rt, emit };
  const closers: Array<() => void | Promise<void>> = [];
  const base = {
    store,
    runtime: () => rt,
    dbPath: cfg.dbPath,
    emit,
    notice,
    currentAssignment: settings.assignment,
    closed: () => closed,
    onClose: (fn: () => void | Promise<void>) => void closers.push(fn),
  };
  const estimate: WorkbenchContext['estimate'] = (tickets, count, assignment) =>
    spendEstimate(base, spend.guard, tickets, count, assignment);
  const emitSummary = (ticketId: string): void => {
    if (closed) return;
    const summary = ticketSummary(store, ticketId);
    if (summary) emit({ type: 'ticket.summary', summary });
  };
  const intake = createIntake({
    ...live,
    assignment: settings.assignment,
    concurrency: () => settings.current().ticketConcurrency,
    onTicketDone: (ticketId, runId) => {
      emitSummary(ticketId);
      shadow.afterProduction(runId, ticketId);
    },
    onRunDone: () => emit({ type: 'runs.changed' }),
    estimate,
    holdBatch: (jobs) => batchNeedsConfirm(jobs),
    onBatches: (batches) => emit({ type: 'batches.changed', batches }),
    checkAssignment: (a) => void rt.checkModels(a),
  });
  const watched = createWatchedFolder({
    store,
    intake,
    notice,
    folder: () => settings.current().watchFolder,
    holdOne: (t) => singleTicketNeedsConfirm(estimate([t], 1, settings.assignment()), t.text.length),
  });
  await watched.apply();
  const ctx: WorkbenchContext = {
    ...base,
    resourcesDir: cfg.resourcesDir,
    demoSpeed: cfg.demoSpeed,
    secrets,
    scrubber,
    keys,
    settings,
    guard: spend.guard,
    intake,
    live,
    estimate,
    emitSummary,
    applyRuntime,
    afterProduction: (runId, ticketId) => shadow.afterProduction(runId, ticketId),
    onEvent: events.tap,
  };
  const shadow = createShadowFeature({
    store,
    runtime: () => rt,
    emit,
    secrets,
    env: cfg.env,
    intake,
    ctx: base,
    served: cfg.host !== 'desktop',
  });

  const triage = triageHandlers(ctx);
  const tickets = ticketHandlers(ctx);
  const compare = compareHandlers(ctx);
  const handlers: AllHandlers = {
    ...triage.handlers,
    ...tickets.handlers,
    ...compare.handlers,
    ...keyHandlers(ctx),
    ...settingsHandlers(ctx),
    ...experimentHandlers(base),
    ...reviewHandlers(base),
    ...traceHandlers(base),
    ...traceViewHandlers(base),
    ...spendHandlers({ ...base, intake, guard: spend.guard, assignmentOf: settings.assignmentOf }),
    ...shadow.handlers,
    ...judgeHandlers(base, { guard: spend.guard, resourcesDir: cfg.resourcesDir }),
    ...privacyHandlers(base),
    ...promptHandlers(base, { resourcesDir: cfg.resourcesDir }),
  };
  if (interruptedRuns)
    notice('warn', `${interruptedRuns} run(s) from an earlier session were left unfinished; their finished results are kept`);

  return {
    interruptedRuns,
    importPath: tickets.importPath,
    httpIntake: shadow.httpIntake,
    ...coreDispatch(handlers, store, scrubber),
    subscribe: events.subscribe,
    async close() {
      // Features stop their work (experiments, trace imports; triage and comparisons in flight are aborted).
      for (const fn of closers) await fn();
      watched.close();
      intake.close();
      shadow.close();
      // Let cancelled calls record themselves (briefly), then stop writing.
      for (let i = 0; i < 100 && (triage.inFlight() > 0 || compare.running() > 0 || intake.pending() > 0); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      closed = true;
      spend.close();
      events.clear();
      store.close();
      await rt.close();
    },
  };
}
