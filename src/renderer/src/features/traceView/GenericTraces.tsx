// The Traces side bar's list of generic traces (issue 14 §3): imported calls that are not
// casebench tasks and name no ticket — chats, agent runs, eval cases — with filters of their own
// (file, model, status, search), each opening the trace view; and the review queues over them,
// with a form for a new one (by file, model, filter, sample; a rubric of its own).
import { useCallback, useEffect, useState } from 'react';
import type { AppErrorShape } from '#shared/errors.ts';
import type { Criterion, TraceQueueView } from '#shared/traceReview.ts';
import { CRITERION_KINDS, DEFAULT_RUBRIC } from '#shared/traceRubric.ts';
import type { TraceListFilter, TraceListView, TraceRow } from '#shared/traceView.ts';
import { Modal } from '#renderer/app/Modal.tsx';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Icon } from '#renderer/app/ui.tsx';
import { formatCost, formatMs } from '../ticket/format.ts';
import { formatLabel } from '../traces/formatLabel.ts';
import './traceView.css';
import './traceReview.css';

function TraceItem({ r, active, onOpen }: { r: TraceRow; active: boolean; onOpen: (pin: boolean) => void }) {
  return (
    <li
      role="option"
      aria-selected={active}
      tabIndex={0}
      className={`run-row gt-row${active ? ' selected' : ''}`}
      data-testid="generic-trace-row"
      data-call-id={r.callId}
      onClick={() => onOpen(false)}
      onDoubleClick={() => onOpen(true)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen(true);
      }}
    >
      <div className="tr-line1">
        <Icon name={r.errors ? 'error' : 'list-tree'} className={r.errors ? 'st-failed' : ''} />
        <span className="tr-title" title={r.name}>
          {r.name}
        </span>
        <span className="kind-tag">{formatLabel(r.format)}</span>
      </div>
      {r.preview && <div className="gt-preview small muted clip">{r.preview}</div>}
      <div className="tr-line2">
        <span className="clip">{r.models.map((m) => m.split(':').pop()).join(', ')}</span>
        <span className="tabular">
          {r.calls} call{r.calls === 1 ? '' : 's'}
        </span>
        <span className="tabular">{formatMs(r.durationMs)}</span>
        <span className="tabular">{formatCost(r.costUsd)}</span>
        {r.scores ? <span className="tabular">★ {r.scores}</span> : null}
      </div>
    </li>
  );
}

function RubricRow({ c, onChange, onRemove }: { c: Criterion; onChange: (c: Criterion) => void; onRemove: () => void }) {
  return (
    <div className="nq-crit" data-testid="nq-criterion">
      <input value={c.label} onChange={(e) => onChange({ ...c, label: e.target.value, id: c.id })} aria-label="Criterion name" />
      <select
        value={c.kind}
        onChange={(e) =>
          onChange({
            ...c,
            kind: e.target.value as Criterion['kind'],
            labels: e.target.value === 'label' ? (c.labels ?? ['good', 'bad']) : undefined,
          })
        }
        aria-label="Kind"
      >
        {CRITERION_KINDS.map((k) => (
          <option key={k} value={k}>
            {k === 'pass_fail' ? 'pass / fail' : k === 'score' ? 'score 0–1' : k === 'label' ? 'labels' : 'free note'}
          </option>
        ))}
      </select>
      {c.kind === 'label' && (
        <input
          value={(c.labels ?? []).join(', ')}
          onChange={(e) =>
            onChange({
              ...c,
              labels: e.target.value
                .split(',')
                .map((x) => x.trim())
                .filter(Boolean),
            })
          }
          aria-label="Labels, comma-separated"
          placeholder="labels, comma-separated"
        />
      )}
      <button type="button" className="icon-btn" onClick={onRemove} aria-label={`Remove ${c.label}`}>
        <Icon name="close" />
      </button>
    </div>
  );
}

const slug = (s: string, i: number): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40) || `c${i + 1}`;

function NewQueueModal({
  list,
  filter,
  onClose,
  onCreated,
}: {
  list: TraceListView;
  filter: TraceListFilter;
  onClose: () => void;
  onCreated: (q: TraceQueueView) => void;
}) {
  const { transport } = useApp();
  const [name, setName] = useState('Trace review');
  const [runId, setRunId] = useState(filter.runId ?? '');
  const [model, setModel] = useState(filter.model ?? '');
  const [search, setSearch] = useState(filter.search ?? '');
  const [sample, setSample] = useState('');
  const [blind, setBlind] = useState(true);
  const [rubric, setRubric] = useState<Criterion[]>(DEFAULT_RUBRIC);
  const [error, setError] = useState<string | null>(null);
  const create = async () => {
    const r = await transport.request('traceReviews.createQueue', {
      name,
      runIds: runId ? [runId] : undefined,
      models: model ? [model] : undefined,
      search: search || undefined,
      status: filter.status,
      sample: sample ? Number(sample) : undefined,
      blind,
      rubric: rubric.map((c, i) => ({ ...c, id: c.id || slug(c.label, i) })),
    });
    if (!r.ok) return setError(r.error.message);
    onCreated(r.data);
  };
  return (
    <Modal label="New trace review queue" onClose={onClose} testId="new-trace-queue">
      <form
        className="nq-form"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <h3>New review queue over imported calls</h3>
        <label>
          Name <input value={name} onChange={(e) => setName(e.target.value)} data-autofocus data-testid="nq-name" />
        </label>
        <label>
          File
          <select value={runId} onChange={(e) => setRunId(e.target.value)} data-testid="nq-file">
            <option value="">every import</option>
            {list.files.map((f) => (
              <option key={f.runId} value={f.runId}>
                {f.file} ({f.traces})
              </option>
            ))}
          </select>
        </label>
        <label>
          Model
          <select value={model} onChange={(e) => setModel(e.target.value)} data-testid="nq-model">
            <option value="">every model</option>
            {list.models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          Filter <input value={search} onChange={(e) => setSearch(e.target.value)} placeholder="words in the name or first message" />
        </label>
        <label>
          Sample{' '}
          <input
            value={sample}
            onChange={(e) => setSample(e.target.value.replace(/\D/g, ''))}
            placeholder="all calls"
            inputMode="numeric"
            data-testid="nq-sample"
          />
        </label>
        <label className="nq-check">
          <input type="checkbox" checked={blind} onChange={(e) => setBlind(e.target.checked)} /> Blind: hide the model, its metadata and the
          source's scores until a call is scored
        </label>
        <fieldset className="nq-rubric">
          <legend>Rubric</legend>
          {rubric.map((c, i) => (
            <RubricRow
              key={i}
              c={c}
              onChange={(x) =>
                setRubric(
                  rubric.map((y, k) =>
                    k === i ? { ...x, id: i < DEFAULT_RUBRIC.length && x.label === y.label ? y.id : slug(x.label, i) } : y,
                  ),
                )
              }
              onRemove={() => setRubric(rubric.filter((_, k) => k !== i))}
            />
          ))}
          {rubric.length < 9 && (
            <button
              type="button"
              className="btn small"
              onClick={() =>
                setRubric([...rubric, { id: `c${rubric.length + 1}`, label: `Criterion ${rubric.length + 1}`, kind: 'pass_fail' }])
              }
            >
              <Icon name="add" /> Criterion
            </button>
          )}
        </fieldset>
        {error && (
          <div className="notice error" role="alert" data-testid="nq-error">
            {error}
          </div>
        )}
        <div className="nq-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" data-testid="nq-create">
            Create queue
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function GenericTraces() {
  const { transport, stores } = useApp();
  const imports = useS('traces', (s) => s.imports);
  const activeCall = useS('editor', (s) => {
    const t = s.tabs.find((x) => x.id === s.activeId);
    return t?.kind === 'trace' ? t.callId : null;
  });
  const [filter, setFilter] = useState<TraceListFilter>({});
  const [list, setList] = useState<TraceListView | null>(null);
  const [queues, setQueues] = useState<TraceQueueView[]>([]);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [creating, setCreating] = useState(false);
  const load = useCallback(async () => {
    const [l, q] = await Promise.all([transport.request('traces.generic', filter), transport.request('traceReviews.overview', {})]);
    if (l.ok) setList(l.data);
    else setError(l.error);
    if (q.ok) setQueues(q.data.queues);
  }, [transport, filter]);
  // again whenever the imports change (a new file, a cancelled one)
  // biome-ignore lint/correctness/useExhaustiveDependencies: imports is the trigger: reload when an import finishes or is cancelled
  useEffect(() => {
    void load();
  }, [load, imports]);
  if (!list || (list.all === 0 && queues.length === 0)) return error ? <div className="notice error">{error.message}</div> : null;
  const editor = stores.editor.getState().actions;
  return (
    <div className="gt" data-testid="generic-traces">
      <h3 className="tr-section-title">
        Traces <span className="faint">({list.total === list.all ? list.all : `${list.total} of ${list.all}`})</span>
      </h3>
      <p className="small faint gt-explain">
        Imported calls that are not casebench tasks and name no ticket: chats, agent runs, eval cases. They are not support tickets.
      </p>
      <div className="gt-filters">
        <input
          type="search"
          placeholder="Filter traces"
          aria-label="Filter traces"
          defaultValue={filter.search ?? ''}
          onChange={(e) => setFilter((f) => ({ ...f, search: e.target.value || undefined }))}
          data-testid="gt-search"
        />
        <select
          value={filter.runId ?? ''}
          onChange={(e) => setFilter((f) => ({ ...f, runId: e.target.value || undefined }))}
          aria-label="File"
          data-testid="gt-file"
        >
          <option value="">every file</option>
          {list.files.map((f) => (
            <option key={f.runId} value={f.runId}>
              {f.file}
            </option>
          ))}
        </select>
        <select
          value={filter.model ?? ''}
          onChange={(e) => setFilter((f) => ({ ...f, model: e.target.value || undefined }))}
          aria-label="Model"
          data-testid="gt-model"
        >
          <option value="">every model</option>
          {list.models.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        <select
          value={filter.status ?? ''}
          onChange={(e) => setFilter((f) => ({ ...f, status: (e.target.value || undefined) as TraceListFilter['status'] }))}
          aria-label="Status"
          data-testid="gt-status"
        >
          <option value="">any status</option>
          <option value="ok">no failed call</option>
          <option value="error">a failed call</option>
        </select>
      </div>
      <ul className="run-list" role="listbox" aria-label="Generic traces" data-testid="generic-trace-list">
        {list.rows.map((r) => (
          <TraceItem
            key={r.callId}
            r={r}
            active={r.callId === activeCall}
            onOpen={(pin) => editor.openTrace(r.callId, `◇ ${r.name.slice(0, 40)}`, { preview: !pin })}
          />
        ))}
        {list.total === 0 && <li className="faint small gt-none">No trace matches the filter.</li>}
      </ul>
      <h3 className="tr-section-title gt-queues-title">
        Review queues
        <button type="button" className="btn small" onClick={() => setCreating(true)} data-testid="gt-new-queue" disabled={list.all === 0}>
          <Icon name="add" /> New queue
        </button>
      </h3>
      <ul className="run-list" data-testid="trace-queue-list">
        {queues.map((q) => (
          <li
            key={q.id}
            className="run-row"
            data-testid="trace-queue-row"
            tabIndex={0}
            onClick={() => editor.openTraceReview(q.id, `✓ ${q.name}`)}
            onKeyDown={(e) => e.key === 'Enter' && editor.openTraceReview(q.id, `✓ ${q.name}`)}
          >
            <div className="tr-line1">
              <Icon name="checklist" />
              <span className="tr-title">{q.name}</span>
              <span className="kind-tag">{q.blind ? 'blind' : 'open'}</span>
            </div>
            <div className="tr-line2">
              <span>{q.items} calls</span>
              <span className="clip">{q.rubric.map((c) => c.label).join(' · ')}</span>
              {q.progress.map((p) => (
                <span key={p.reviewer} className="tabular">
                  {p.reviewer} {p.done}/{q.items}
                </span>
              ))}
            </div>
          </li>
        ))}
        {queues.length === 0 && <li className="faint small gt-none">No queue yet.</li>}
      </ul>
      {creating && (
        <NewQueueModal
          list={list}
          filter={filter}
          onClose={() => setCreating(false)}
          onCreated={(q) => {
            setCreating(false);
            void load();
            editor.openTraceReview(q.id, `✓ ${q.name}`);
          }}
        />
      )}
    </div>
  );
}
