// Making a review queue: which answers (a recorded run, the ticket list's filter, or everything),
// which tasks and models (2–6 side by side), optionally a random sample stratified by task and
// model, how many reviewers per answer, who reviews, and whether it is blind.
import { useEffect, useMemo, useState } from 'react';
import type { QueueSpecInput } from '#shared/review.ts';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Modal } from '#renderer/app/Modal.tsx';
import { Icon, Spinner } from '#renderer/app/ui.tsx';
import { activeFilterCount } from '../tickets/ticketsStore.ts';
import { ErrorCode } from '#renderer/app/errorWords.tsx';

type Source = 'run' | 'filter' | 'all';
const KIND: Record<string, string> = {
  experiment: 'experiment',
  compare: 'comparison',
  run: 'batch run',
  import: 'imported',
  shadow: 'shadow (live)',
};

export function NewQueueModal() {
  const { stores } = useApp();
  const runs = useS('runs', (s) => s.runs);
  const me = useS('review', (s) => s.me);
  const error = useS('review', (s) => s.createError);
  const filter = useS('tickets', (s) => s.filter);
  const shown = useS('tickets', (s) => s.rows.length);
  const candidates = useMemo(() => runs.filter((r) => r.kind !== 'triage' && r.models.length > 0), [runs]);
  const [source, setSource] = useState<Source>('run');
  const [runId, setRunId] = useState<string>('');
  const [tasks, setTasks] = useState<TaskId[]>([...TASK_IDS]);
  const [models, setModels] = useState<string[] | null>(null);
  const [sampleOn, setSampleOn] = useState(false);
  const [sample, setSample] = useState('50');
  const [k, setK] = useState('1');
  const [reviewers, setReviewers] = useState(me ?? '');
  const [blind, setBlind] = useState(true);
  const [name, setName] = useState('');
  const [seed, setSeed] = useState('');
  const [busy, setBusy] = useState(false);
  const actions = stores.review.getState().actions;

  useEffect(() => {
    void stores.runs.getState().actions.refresh();
  }, [stores]);
  const run =
    candidates.find((r) => r.id === runId) ??
    (runId === '' ? (candidates.find((r) => r.kind === 'experiment') ?? candidates[0]) : undefined);
  const offered = useMemo(
    () => (source === 'run' ? (run?.models ?? []) : [...new Set(candidates.flatMap((r) => r.models))].sort()),
    [source, run, candidates],
  );
  const chosenModels = models ?? (offered.length <= 6 ? offered : []);
  const filterCount = activeFilterCount(filter) + (filter.search ? 1 : 0);

  const submit = async () => {
    const spec: QueueSpecInput = {
      tasks,
      k: Math.max(1, Number(k) || 1),
      blind,
      reviewers: reviewers
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    };
    if (name.trim()) spec.name = name.trim();
    if (source === 'run' && run) spec.runId = run.id;
    if (source === 'filter') spec.filter = { ...filter };
    if (chosenModels.length && chosenModels.length < offered.length) spec.models = chosenModels;
    else if (chosenModels.length && offered.length > 6) spec.models = chosenModels;
    if (sampleOn) spec.sample = Math.max(1, Number(sample) || 1);
    if (seed.trim() !== '' && Number.isInteger(Number(seed))) spec.seed = Number(seed);
    setBusy(true);
    const q = await actions.createQueue(spec);
    setBusy(false);
    if (q) stores.editor.getState().actions.openReview(q.id, `Review · ${q.name}`);
  };
  const toggle = <T,>(xs: T[], x: T): T[] => (xs.includes(x) ? xs.filter((y) => y !== x) : [...xs, x]);

  return (
    <Modal label="New review queue" onClose={() => actions.closeCreate()} className="picker rv-new" testId="queue-form">
      <header className="modal-head">
        <h2>New review queue</h2>
        <p className="muted small">Items are (ticket, task) pairs; each shows the answers of up to six models side by side.</p>
      </header>
      <form
        className="rv-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <fieldset className="picker-group">
          <legend>Answers from</legend>
          <label className="rv-radio">
            <input type="radio" name="rv-source" checked={source === 'run'} onChange={() => setSource('run')} data-autofocus />a recorded
            run
            <select
              value={run?.id ?? ''}
              onChange={(e) => {
                setRunId(e.target.value);
                setSource('run');
                setModels(null);
              }}
              data-testid="queue-run"
              aria-label="Run"
            >
              {candidates.length === 0 && <option value="">no runs with answers yet</option>}
              {candidates.map((r) => (
                <option key={r.id} value={r.id}>
                  {(r.label ?? r.id).slice(0, 60)} · {KIND[r.kind] ?? r.kind} · {r.tickets} tickets · {r.models.length} models
                </option>
              ))}
            </select>
          </label>
          <label className="rv-radio">
            <input type="radio" name="rv-source" checked={source === 'filter'} onChange={() => setSource('filter')} />
            the tickets the list shows now{' '}
            <span className="faint">
              ({shown} tickets{filterCount ? `, ${filterCount} filter${filterCount === 1 ? '' : 's'}` : ', no filter'})
            </span>
          </label>
          <label className="rv-radio">
            <input type="radio" name="rv-source" checked={source === 'all'} onChange={() => setSource('all')} />
            every recorded answer
          </label>
        </fieldset>
        <fieldset className="picker-group">
          <legend>Tasks</legend>
          <div className="rv-checks">
            {TASK_IDS.map((t) => (
              <label key={t} className="rv-inline">
                <input
                  type="checkbox"
                  checked={tasks.includes(t)}
                  onChange={() => setTasks(toggle(tasks, t))}
                  data-testid={`queue-task-${t}`}
                />
                {TASKS[t].label}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset className="picker-group">
          <legend>Models ({chosenModels.length} chosen; 2–6 side by side)</legend>
          <div className="rv-checks">
            {offered.length === 0 && <span className="faint small">the models that answered</span>}
            {offered.map((m) => (
              <label key={m} className="rv-inline mono small">
                <input type="checkbox" checked={chosenModels.includes(m)} onChange={() => setModels(toggle(chosenModels, m))} />
                {m}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="rv-form-grid">
          <label className="rv-inline rv-span">
            <input type="checkbox" checked={sampleOn} onChange={() => setSampleOn(!sampleOn)} data-testid="queue-sample-on" />
            random sample of
            <input
              type="number"
              className="num-input"
              min={1}
              value={sample}
              onChange={(e) => setSample(e.target.value)}
              aria-label="Sample size"
              data-testid="queue-sample"
            />
            items, stratified by task and model
          </label>
          <label className="rv-inline">
            reviewers per answer (k)
            <input
              type="number"
              className="num-input"
              min={1}
              max={20}
              value={k}
              onChange={(e) => setK(e.target.value)}
              data-testid="queue-k"
            />
          </label>
          <label className="rv-inline">
            reviewers
            <input
              type="text"
              value={reviewers}
              onChange={(e) => setReviewers(e.target.value)}
              placeholder="alice, bob"
              data-testid="queue-reviewers"
            />
          </label>
          <label className="rv-inline">
            <input type="checkbox" checked={blind} onChange={() => setBlind(!blind)} data-testid="queue-blind" />
            blind: hide model names and shuffle the order until scored
          </label>
          <label className="rv-inline">
            name
            <input
              type="text"
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="(from the source)"
              data-testid="queue-name"
            />
          </label>
          <label className="rv-inline">
            seed
            <input
              type="text"
              inputMode="numeric"
              className="num-input"
              value={seed}
              onChange={(e) => setSeed(e.target.value)}
              placeholder="random"
              aria-label="Seed (recorded)"
            />
          </label>
        </div>
        {error && (
          <div className="banner error" role="alert" data-testid="queue-error">
            <ErrorCode code={error.code} /> {error.message}
          </div>
        )}
        <footer className="modal-foot">
          <span className="muted small">The seed of the sample and the shuffles is recorded with the queue.</span>
          <span className="spacer" />
          <button type="button" className="btn" onClick={() => actions.closeCreate()}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn primary"
            disabled={busy || tasks.length === 0 || (source === 'run' && !run)}
            data-testid="queue-create"
          >
            {busy ? <Spinner /> : <Icon name="checklist" />} Create queue
          </button>
        </footer>
      </form>
    </Modal>
  );
}
