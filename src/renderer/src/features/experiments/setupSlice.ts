// The experiment setup form as store state: the form, the ticket sources and the staged file, the
// debounced cost estimate, and the start. One slice of the experiments store (experimentsStore.ts),
// which keeps the per-run report, plan and drill-down state.
import type { AppErrorShape } from '#shared/errors.ts';
import type { ModelInfo } from '#shared/routes.ts';
import type {
  ExperimentEstimate,
  ExperimentLive,
  ExperimentUpstream,
  StagedTicketFile,
  TicketSourceInfo,
} from '#shared/routes/experimentRoutes.ts';
import type { Transport } from '#renderer/platform/transport.ts';
import { debounce } from '#renderer/app/debounce.ts';
import { idle, type Loadable } from './loadable.ts';
import { EMPTY_FORM, setupInput, toggleModel, type SetupForm } from './setupLogic.ts';

export interface SetupState {
  form: SetupForm;
  sources: { total: number; sources: TicketSourceInfo[] } | null;
  staging: boolean;
  stageError: AppErrorShape | null;
  estimate: Loadable<ExperimentEstimate> & { key: string | null };
  /** Why the form cannot be estimated yet (no models, no baseline, …). */
  incomplete: string | null;
  starting: boolean;
  startError: AppErrorShape | null;
}

export interface SetupActions {
  openSetup(defaultModels: string[]): void;
  loadSources(): Promise<void>;
  chooseWorkspace(source: string | null): void;
  setLimit(limit: number | null): void;
  chooseFile(name: string, content: string): Promise<boolean>;
  chooseFilePath(path: string): Promise<boolean>;
  chooseStaged(): void;
  toggleModel(spec: string, models: readonly ModelInfo[]): void;
  setBaseline(spec: string): void;
  setUpstream(mode: ExperimentUpstream): void;
  setRpm(spec: string, text: string): void;
  setConcurrency(n: number): void;
  refreshEstimate(): Promise<void>;
  /** Starts the experiment; resolves with its run id, or null when refused (startError says why). */
  start(): Promise<string | null>;
}

export const blankSetup = (): SetupState => ({
  form: EMPTY_FORM,
  sources: null,
  staging: false,
  stageError: null,
  estimate: { ...idle<ExperimentEstimate>(), key: null },
  incomplete: 'Pick at least two models to compare.',
  starting: false,
  startError: null,
});

/**
 * The setup actions over the store's `setup` (read with `get`, patched with `set`); `started`
 * records a run the setup has just started.
 */
export function createSetupActions(
  transport: Transport,
  store: { get: () => SetupState; set: (patch: Partial<SetupState>) => void; started: (runId: string, live: ExperimentLive) => void },
): SetupActions {
  const setSetup = store.set;
  const setForm = (form: SetupForm): void => {
    const v = setupInput(form);
    setSetup({ form, incomplete: v.ok ? null : v.reason, startError: null });
    if (v.ok) estimateSoon();
    else setSetup({ estimate: { ...idle<ExperimentEstimate>(), key: null } });
  };
  const estimateSoon = debounce(() => void actions.refreshEstimate(), 250);

  const actions: SetupActions = {
    openSetup(defaultModels) {
      const s = store.get();
      if (s.form.models.length === 0 && defaultModels.length > 0) {
        let form: SetupForm = { ...s.form };
        for (const m of defaultModels) form = toggleModel(form, m, []);
        setForm(form);
      }
      void actions.loadSources();
    },
    async loadSources() {
      const r = await transport.request('experiments.ticketSources', {});
      if (r.ok) {
        setSetup({ sources: r.data });
        const f = store.get().form;
        // No workspace tickets yet: the file is the only way in.
        if (r.data.total === 0 && f.ticketKind === 'workspace' && f.staged) setForm({ ...f, ticketKind: 'staged' });
        else if (f.ticketKind === 'workspace') setForm(f);
      }
    },
    chooseWorkspace(source) {
      setForm({ ...store.get().form, ticketKind: 'workspace', source });
    },
    setLimit(limit) {
      setForm({ ...store.get().form, limit: limit && limit > 0 ? Math.floor(limit) : null });
    },
    async chooseFile(name, content) {
      setSetup({ staging: true, stageError: null });
      const r = await transport.request('experiments.stageFile', { name, content });
      return staged(r);
    },
    async chooseFilePath(path) {
      setSetup({ staging: true, stageError: null });
      const r = await transport.request('experiments.stageFile', { name: path, path });
      return staged(r);
    },
    chooseStaged() {
      setForm({ ...store.get().form, ticketKind: 'staged' });
    },
    toggleModel(spec, models) {
      setForm(toggleModel(store.get().form, spec, models));
    },
    setBaseline(spec) {
      const f = store.get().form;
      if (f.models.includes(spec)) setForm({ ...f, baseline: spec });
    },
    setUpstream(mode) {
      setForm({ ...store.get().form, upstream: mode });
    },
    setRpm(spec, text) {
      const f = store.get().form;
      setForm({ ...f, rpm: { ...f.rpm, [spec]: text } });
    },
    setConcurrency(n) {
      if (Number.isInteger(n) && n >= 1 && n <= 64) setForm({ ...store.get().form, concurrency: n });
    },
    async refreshEstimate() {
      const v = setupInput(store.get().form);
      if (!v.ok) return;
      const key = JSON.stringify(v.input);
      setSetup({ estimate: { ...store.get().estimate, load: 'loading', key } });
      const r = await transport.request('experiments.estimate', v.input);
      if (store.get().estimate.key !== key) return;
      setSetup({
        estimate: r.ok ? { load: 'ready', data: r.data, error: null, key } : { load: 'error', data: null, error: r.error, key },
      });
    },
    async start() {
      const s = store.get();
      const v = setupInput(s.form);
      if (!v.ok) {
        setSetup({ startError: { code: 'BAD_INPUT', message: v.reason } });
        return null;
      }
      if (s.starting) return null;
      setSetup({ starting: true, startError: null });
      const r = await transport.request('experiments.start', v.input);
      if (!r.ok) {
        setSetup({ starting: false, startError: r.error });
        return null;
      }
      store.started(r.data.runId, r.data.live);
      setSetup({ starting: false });
      // The same setup now resumes this run: the estimate says so.
      void actions.refreshEstimate();
      return r.data.runId;
    },
  };

  const staged = (r: Awaited<ReturnType<typeof transport.request<'experiments.stageFile'>>>): boolean => {
    if (!r.ok) {
      setSetup({ staging: false, stageError: r.error });
      return false;
    }
    const file: StagedTicketFile = r.data;
    setSetup({ staging: false, stageError: null });
    setForm({ ...store.get().form, ticketKind: 'staged', staged: file });
    return true;
  };

  return actions;
}
