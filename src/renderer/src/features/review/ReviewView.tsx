// The Review side bar: who is reviewing (entered once, remembered by the workspace), the queues
// with progress per reviewer, and the ways in: new queue, results, import and export of scores.
import { useEffect, useState } from 'react';
import type { QueueView } from '#shared/review.ts';
import { TASKS } from '#shared/tasks.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { EmptyState, Icon } from '#renderer/app/ui.tsx';
import { SideBarHeader } from '../layout/SideBar.tsx';
import './review.css';
import './reviewScreen.css';
import './reviewResults.css';

function ReviewerBox() {
  const { stores } = useApp();
  const me = useS('review', (s) => s.me);
  const known = useS('review', (s) => s.reviewers);
  const loadedOnce = useS('review', (s) => s.loadedOnce);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!loadedOnce) return null;
  const save = async () => {
    const err = await stores.review.getState().actions.setMe(draft);
    if (err) setError(err.message);
    else {
      setError(null);
      setEditing(false);
    }
  };
  if (me && !editing) {
    return (
      <div className="rv-me" data-testid="reviewer-me">
        <Icon name="account" />
        <span>
          Reviewing as <strong>{me}</strong>
        </span>
        <button
          type="button"
          className="link-btn"
          data-testid="reviewer-change"
          onClick={() => {
            setDraft(me);
            setEditing(true);
          }}
        >
          Change
        </button>
      </div>
    );
  }
  return (
    <form
      className="rv-me-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label htmlFor="rv-me-input" className="rv-field-label">
        Your reviewer name <span className="faint">(kept in this workspace)</span>
      </label>
      <div className="rv-me-row">
        <input
          id="rv-me-input"
          type="text"
          list="rv-known-reviewers"
          value={draft}
          // Shown by "Change" too: typing goes into the name, never into the screen's shortcuts.
          autoFocus
          onKeyDown={(e) => {
            if (e.key === 'Escape' && me) {
              e.preventDefault();
              setEditing(false);
            }
          }}
          maxLength={64}
          placeholder="e.g. alice"
          onChange={(e) => setDraft(e.target.value)}
          data-testid="reviewer-input"
        />
        <datalist id="rv-known-reviewers">
          {known.map((r) => (
            <option key={r} value={r} />
          ))}
        </datalist>
        <button type="submit" className="btn small primary" data-testid="reviewer-save">
          Use
        </button>
        {me && (
          <button type="button" className="btn small" onClick={() => setEditing(false)}>
            Cancel
          </button>
        )}
      </div>
      {error && (
        <p className="rv-form-error small" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function ProgressBar({ done, total }: { done: number; total: number }) {
  const pct = total ? Math.round((done / total) * 100) : 0;
  return (
    <span className="rv-bar" aria-hidden>
      <span style={{ width: `${pct}%` }} />
    </span>
  );
}

function QueueRow({ q, me, selected, onOpen }: { q: QueueView; me: string | null; selected: boolean; onOpen: () => void }) {
  const mine = me ? q.reviewers.find((r) => r.reviewer === me) : undefined;
  return (
    <li
      role="option"
      aria-selected={selected}
      tabIndex={0}
      className={`run-row rv-queue${selected ? ' selected' : ''}`}
      data-testid="queue-row"
      data-queue-id={q.id}
      onClick={onOpen}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen();
      }}
    >
      <div className="tr-line1">
        <Icon name="checklist" />
        <span className="tr-title" title={q.name}>
          {q.name}
        </span>
        <span className={`kind-tag${q.blind ? ' kind-experiment' : ''}`}>{q.blind ? 'blind' : 'open'}</span>
      </div>
      <div className="tr-line2">
        <span className="mono faint">{q.id}</span>
        <span className="tabular">
          {q.items} item{q.items === 1 ? '' : 's'}
        </span>
        <span>
          {q.models.length} model{q.models.length === 1 ? '' : 's'}
        </span>
        {q.k > 1 && <span>k {q.k}</span>}
        <span className="tabular" title="Items scored by enough reviewers">
          {q.complete}/{q.items} complete
        </span>
      </div>
      <div className="rv-progress-rows">
        {q.reviewers.length === 0 && <span className="faint small">no reviewers yet</span>}
        {q.reviewers.map((r) => (
          <span
            key={r.reviewer}
            className={`rv-progress-row${r === mine ? ' me' : ''}`}
            data-testid="queue-progress"
            data-reviewer={r.reviewer}
          >
            <span className="rv-who">{r.reviewer}</span>
            <ProgressBar done={r.done} total={r.assigned} />
            <span className="tabular">
              {r.done}/{r.assigned}
              {r.extra ? ` +${r.extra}` : ''}
            </span>
          </span>
        ))}
      </div>
    </li>
  );
}

function QueueDetails({ q }: { q: QueueView }) {
  const { stores } = useApp();
  const [names, setNames] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = async () => {
    const list = names
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!list.length) return;
    const err = await stores.review.getState().actions.assign(q.id, list);
    setError(err?.message ?? null);
    if (!err) setNames('');
  };
  const src = q.source;
  const from =
    typeof src.runId === 'string'
      ? `run ${src.runId}`
      : src.ticketIds
        ? 'selected tickets'
        : src.filter
          ? 'the ticket list’s filter'
          : 'all answers';
  return (
    <div className="rv-details" data-testid="queue-details">
      <p className="small muted">
        From {from}
        {typeof src.sample === 'number' ? `, a stratified sample of ${src.sample}` : ''} · tasks{' '}
        {q.tasks.map((t) => TASKS[t].label.toLowerCase()).join(', ')} · seed {q.seed}
      </p>
      <p className="small muted mono rv-models" title={q.models.join('\n')}>
        {q.models.join(' · ')}
      </p>
      <form
        className="rv-me-row"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <input
          type="text"
          value={names}
          placeholder="add reviewers: bob, carol"
          aria-label="Add reviewers (comma-separated)"
          onChange={(e) => setNames(e.target.value)}
          data-testid="queue-assign-input"
        />
        <button type="submit" className="btn small" data-testid="queue-assign">
          Assign
        </button>
      </form>
      {error && (
        <p className="rv-form-error small" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function ReviewView() {
  const { stores } = useApp();
  const me = useS('review', (s) => s.me);
  const queues = useS('review', (s) => s.queues);
  const loadedOnce = useS('review', (s) => s.loadedOnce);
  const error = useS('review', (s) => s.error);
  const activeQueue = useS('editor', (s) => {
    const t = s.tabs.find((x) => x.id === s.activeId);
    return t?.kind === 'review' ? t.queueId : null;
  });
  const [selected, setSelected] = useState<string | null>(null);
  const actions = stores.review.getState().actions;
  useEffect(() => {
    void stores.review.getState().actions.refresh();
  }, [stores]);
  const shown = selected ?? activeQueue;
  const open = (q: QueueView) => {
    setSelected(q.id);
    stores.editor.getState().actions.openReview(q.id, `Review · ${q.name}`);
    // Already open: its screen takes the keyboard again.
    if (stores.review.getState().screens[q.id]?.view) stores.review.getState().actions.requestFocus(q.id);
  };
  const results = () => {
    actions.setResultsScope({ queueId: shown });
    stores.editor.getState().actions.openReviewResults();
  };
  const sel = queues.find((q) => q.id === shown) ?? null;
  return (
    <div className="review-view">
      <SideBarHeader title="Review">
        <button
          type="button"
          className="icon-btn"
          title="New review queue…"
          aria-label="New review queue"
          onClick={() => actions.openCreate()}
          data-testid="queue-new"
        >
          <Icon name="add" />
        </button>
        <button
          type="button"
          className="icon-btn"
          title="Results: score per model per task, agreement"
          aria-label="Review results"
          onClick={results}
          data-testid="review-results-open"
        >
          <Icon name="graph" />
        </button>
        <button
          type="button"
          className="icon-btn"
          title="Import reviews (JSONL)…"
          aria-label="Import reviews"
          onClick={() => actions.requestImport()}
        >
          <Icon name="cloud-upload" />
        </button>
        <button type="button" className="icon-btn" title="Refresh" aria-label="Refresh queues" onClick={() => void actions.refresh()}>
          <Icon name="refresh" />
        </button>
      </SideBarHeader>
      <div className="rv-side-tools">
        <ReviewerBox />
      </div>
      {error && <div className="notice error">{error.message}</div>}
      {loadedOnce && queues.length === 0 ? (
        <EmptyState icon="checklist" title="No review queues yet" testId="review-empty">
          <p>
            Make a queue from a recorded run or experiment, the ticket list’s filter, or a random sample stratified by task and model.
            Reviewers score the answers blind, by keyboard.
          </p>
          <button type="button" className="btn primary" onClick={() => actions.openCreate()}>
            <Icon name="add" /> New review queue
          </button>
        </EmptyState>
      ) : (
        <>
          <ul className="run-list" role="listbox" aria-label="Review queues" data-testid="queue-list">
            {queues.map((q) => (
              <QueueRow key={q.id} q={q} me={me} selected={q.id === shown} onOpen={() => open(q)} />
            ))}
          </ul>
          {sel && <QueueDetails key={sel.id} q={sel} />}
        </>
      )}
    </div>
  );
}
