// Scoring a queue of imported calls (issue 14 §3), blind and by keyboard like ticket review: the
// call's input and output on the left, the queue's rubric on the right. Tab moves between
// criteria; pass/fail is 1 (p) or 0 (f), a score 0–4 (0, .25, .5, .75, 1), a label 1–9, n writes a
// note; Enter goes to the next unscored call, j/k to the next/previous one, u undoes the last
// score. The model, its metadata and the source's own scores stay hidden until every criterion of
// the call is scored. Each score is saved as it is given.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppErrorShape } from '#shared/errors.ts';
import type { Criterion, TraceReviewResults, TraceReviewScreen } from '#shared/traceReview.ts';
import { SCORE_STEPS } from '#shared/traceRubric.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { EmptyState, Icon, Kbd, Spinner } from '#renderer/app/ui.tsx';
import { formatCost, formatMs } from '../ticket/format.ts';
import { Messages, Output, ScoreList } from './TraceEditor.tsx';
import { reviewKey, scoreText } from './traceModel.ts';
import { useEditorKeys } from './useEditorKeys.ts';
import './traceView.css';
import './traceReview.css';

const f2 = (x: number | null): string => (x === null ? '—' : x.toFixed(2));

function Results({ r }: { r: TraceReviewResults }) {
  if (r.criteria.length === 0) return <p className="muted small">No scores yet.</p>;
  return (
    <div className="trv-results" data-testid="trv-results">
      {r.criteria.map((c) => (
        <section key={c.criterion}>
          <h4 className="tv-h4">
            {c.label} <span className="faint small">({c.kind === 'pass_fail' ? 'pass/fail' : c.kind})</span>
          </h4>
          <table className="tv-scores">
            <tbody>
              {c.models.map((m) => (
                <tr key={m.model}>
                  <td className="mono small">{m.model}</td>
                  <td className="num small">n {m.n}</td>
                  <td className="small">
                    {c.kind === 'pass_fail'
                      ? `${f2(m.passRate)} pass`
                      : c.kind === 'score'
                        ? `mean ${f2(m.mean)}`
                        : Object.entries(m.labels)
                            .map(([k, v]) => `${k} ${v}`)
                            .join(' · ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="small muted" data-testid="trv-agreement">
            α ({c.kind === 'score' ? 'interval' : 'nominal'}) {f2(c.alpha)} over {c.units} call{c.units === 1 ? '' : 's'} scored twice or
            more
            {c.pairs.map((p) => ` · ${p.a} × ${p.b}: κ ${f2(p.kappa)}, agree ${f2(p.agreement)} (n ${p.n})`).join('')}
          </p>
        </section>
      ))}
    </div>
  );
}

function CriterionRow({
  c,
  active,
  mine,
  onPick,
  onFocus,
  noteRef,
  onNote,
}: {
  c: Criterion;
  active: boolean;
  mine: TraceReviewScreen['mine'][string] | undefined;
  onPick: (v: boolean | number | string) => void;
  onFocus: () => void;
  noteRef: React.RefObject<HTMLTextAreaElement | null> | null;
  onNote: (text: string) => void;
}) {
  const v = mine?.value;
  const chip = (label: string, value: boolean | number | string, key: string) => (
    <button
      type="button"
      key={label}
      className={`trv-chip${v === value ? ' on' : ''}`}
      onClick={() => onPick(value)}
      aria-pressed={v === value}
      tabIndex={-1}
    >
      <kbd>{key}</kbd> {label}
    </button>
  );
  return (
    <div
      className={`trv-crit${active ? ' active' : ''}${mine ? ' scored' : ''}`}
      data-testid="trv-criterion"
      data-criterion={c.id}
      data-value={mine ? scoreText({ kind: c.kind, value: mine.value, note: mine.note }) : ''}
      onClick={onFocus}
    >
      <div className="trv-crit-head">
        <span className="trv-crit-label">{c.label}</span>
        <span className="faint small">
          {c.kind === 'pass_fail' ? 'pass / fail' : c.kind === 'score' ? 'score 0–1' : c.kind === 'label' ? 'label' : 'note (optional)'}
        </span>
        {mine && c.kind !== 'note' && <Icon name="pass-filled" className="trv-done" />}
      </div>
      <div className="trv-chips">
        {c.kind === 'pass_fail' && [chip('pass', true, '1'), chip('fail', false, '0')]}
        {c.kind === 'score' && SCORE_STEPS.map((s, i) => chip(String(s), s, String(i)))}
        {c.kind === 'label' && c.labels!.map((l, i) => chip(l, l, String(i + 1)))}
        {c.kind === 'note' && (
          <textarea
            ref={noteRef}
            className="trv-note"
            rows={2}
            defaultValue={mine?.note ?? ''}
            key={mine?.note ?? ''}
            placeholder="n to write · Esc to leave · saved when you leave the field"
            onBlur={(e) => {
              const text = e.currentTarget.value.trim();
              if (text && text !== (mine?.note ?? '')) onNote(text);
            }}
            data-testid="trv-note"
          />
        )}
      </div>
    </div>
  );
}

export function TraceReviewEditor({ queueId }: { queueId: string }) {
  const { transport } = useApp();
  const me = useS('review', (s) => s.me);
  const [reviewer, setReviewer] = useState<string | null>(null);
  const [screen, setScreen] = useState<TraceReviewScreen | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [crit, setCrit] = useState(0);
  const [results, setResults] = useState<TraceReviewResults | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const busy = useRef(false);
  useEffect(() => {
    void transport.request('traceReviews.overview', {}).then((r) => setReviewer(r.ok ? (r.data.me ?? me ?? 'me') : (me ?? 'me')));
  }, [transport, me]);
  const apply = useCallback((r: Awaited<ReturnType<typeof transport.request<'traceReviews.open'>>>, resetCrit: boolean) => {
    if (!r.ok) return setError(r.error);
    setError(null);
    setScreen(r.data);
    if (resetCrit) {
      const firstMissing = r.data.queue.rubric.findIndex((c) => r.data.missing.includes(c.id));
      setCrit(Math.max(0, firstMissing));
    }
  }, []);
  const open = useCallback(
    async (position?: number) => {
      if (!reviewer) return;
      apply(await transport.request('traceReviews.open', { queueId, reviewer, position }), true);
    },
    [transport, queueId, reviewer, apply],
  );
  useEffect(() => {
    void open();
  }, [open]);
  const score = useCallback(
    async (criterion: Criterion, value: boolean | number | string | null, note?: string) => {
      if (!screen || screen.position === null || !reviewer || busy.current) return;
      busy.current = true;
      try {
        const r = await transport.request('traceReviews.score', {
          queueId,
          position: screen.position,
          reviewer,
          criterion: criterion.id,
          value,
          note,
        });
        apply(r, false);
        if (r.ok) {
          // on to the next criterion still to score
          const rub = r.data.queue.rubric;
          const i = rub.findIndex((c, k) => k > rub.indexOf(criterion) && r.data.missing.includes(c.id));
          if (i >= 0) setCrit(i);
        }
      } finally {
        busy.current = false;
      }
    },
    [screen, reviewer, transport, queueId, apply],
  );
  const onKey = useCallback(
    (key: string, e: KeyboardEvent) => {
      if (!screen || !reviewer) return false;
      const rubric = screen.queue.rubric;
      const c = rubric[crit] ?? null;
      const a = reviewKey(key, e.shiftKey, c);
      if (!a) return false;
      if (a.kind === 'criterion') setCrit((i) => (i + a.delta + rubric.length) % rubric.length);
      else if (a.kind === 'value' && c) void score(c, a.value);
      else if (a.kind === 'item') {
        const p = a.delta === 1 ? screen.next : screen.prev;
        if (p !== null) void open(p);
      } else if (a.kind === 'confirm') {
        if (screen.nextUnscored !== null) void open(screen.nextUnscored);
        else if (screen.next !== null) void open(screen.next);
      } else if (a.kind === 'undo') void transport.request('traceReviews.undo', { queueId, reviewer }).then((r) => apply(r, true));
      else if (a.kind === 'note') {
        const i = rubric.findIndex((x) => x.kind === 'note');
        if (i < 0) return false;
        setCrit(i);
        setTimeout(() => noteRef.current?.focus(), 0);
      }
      return true;
    },
    [screen, reviewer, crit, score, open, transport, queueId, apply],
  );
  useEditorKeys(rootRef, onKey);
  const showResults = async () => {
    const r = await transport.request('traceReviews.results', { queueId });
    if (r.ok) setResults(r.data);
  };
  if (error && !screen) {
    return (
      <EmptyState icon="warning" title="This queue cannot be opened">
        <p>{error.message}</p>
      </EmptyState>
    );
  }
  if (!screen) {
    return (
      <div className="editor-loading">
        <Spinner label="Loading the queue" />
      </div>
    );
  }
  const c = screen.call;
  const q = screen.queue;
  return (
    <div className="trace-review" ref={rootRef} tabIndex={-1} data-testid="trace-review" data-position={screen.position ?? ''}>
      <header className="editor-head">
        <div className="eh-titles">
          <h2 className="eh-title">{q.name}</h2>
          <p className="eh-sub">
            call <strong data-testid="trv-pos">{(screen.position ?? 0) + 1}</strong> of {q.items} · {screen.done} scored by{' '}
            {screen.reviewer} · {q.blind ? 'blind: the model shows once you have scored' : 'open'}
          </p>
        </div>
        <div className="eh-actions">
          <button type="button" className="btn small" onClick={() => void showResults()} data-testid="trv-show-results">
            <Icon name="graph" /> Results
          </button>
          <button
            type="button"
            className="btn small"
            onClick={async () => {
              const r = await transport.request('traceReviews.export', { queueId });
              if (!r.ok) return;
              const a = document.createElement('a');
              a.href = URL.createObjectURL(new Blob([r.data.text], { type: 'application/jsonl' }));
              a.download = r.data.name;
              a.click();
              URL.revokeObjectURL(a.href);
            }}
          >
            <Icon name="desktop-download" /> Export JSONL
          </button>
        </div>
      </header>
      {error && (
        <div className="notice error" role="alert">
          {error.message}
        </div>
      )}
      {c ? (
        <div className="trv-body">
          <div className="trv-call" data-testid="trv-call">
            <div className="tv-stats">
              <div className="tv-stat" data-testid="trv-model">
                <span className="tv-stat-l">model</span>
                <span className="tv-stat-v">
                  {c.modelSpec === 'hidden' ? <span className="faint">hidden until scored</span> : c.modelSpec}
                </span>
              </div>
              <div className="tv-stat">
                <span className="tv-stat-l">task</span>
                <span className="tv-stat-v">{c.name}</span>
              </div>
              <div className="tv-stat">
                <span className="tv-stat-l">latency</span>
                <span className="tv-stat-v tabular">{formatMs(c.latencyMs)}</span>
              </div>
              {screen.revealed && (
                <div className="tv-stat">
                  <span className="tv-stat-l">cost</span>
                  <span className="tv-stat-v tabular">{formatCost(c.costUsd)}</span>
                </div>
              )}
            </div>
            {c.status === 'error' && (
              <div className="notice error">
                {c.errorCode}: {c.errorMessage}
              </div>
            )}
            <h4 className="tv-h4">Input</h4>
            <Messages messages={c.input} />
            <h4 className="tv-h4">Output</h4>
            <Output c={c} />
            {screen.revealed && screen.others.length > 0 && (
              <>
                <h4 className="tv-h4">Other scores (reviewers and the source)</h4>
                <ScoreList scores={screen.others} />
              </>
            )}
          </div>
          <aside className="trv-rubric" data-testid="trv-rubric">
            {q.rubric.map((x, i) => (
              <CriterionRow
                key={`${screen.position}-${x.id}`}
                c={x}
                active={i === crit}
                mine={screen.mine[x.id]}
                onPick={(v) => {
                  setCrit(i);
                  void score(x, v);
                }}
                onFocus={() => setCrit(i)}
                noteRef={x.kind === 'note' ? noteRef : null}
                onNote={(text) => void score(x, text, text)}
              />
            ))}
            <p className="small faint trv-keys">
              <Kbd chord="Tab" /> criterion · <Kbd chord="1" />/<Kbd chord="0" /> pass/fail · <Kbd chord="0" />–<Kbd chord="4" /> score ·{' '}
              <Kbd chord="1" />–<Kbd chord="9" /> label · <Kbd chord="n" /> note · <Kbd chord="Enter" /> next unscored · <Kbd chord="j" />/
              <Kbd chord="k" /> next/previous · <Kbd chord="u" /> undo
            </p>
            {screen.missing.length === 0 && (
              <p className="small st-done" data-testid="trv-item-done">
                Scored
                {screen.nextUnscored !== null
                  ? ' — Enter for the next call'
                  : screen.done === q.items
                    ? ' — every call of the queue is scored'
                    : ''}
              </p>
            )}
          </aside>
        </div>
      ) : (
        <p className="muted">This queue has no calls.</p>
      )}
      {results && <Results r={results} />}
    </div>
  );
}
