// The review screen: the ticket on the left (the answers' ids and details marked in it), the
// task's 2–6 answers on the right under slot letters, blind until the reviewer has scored them
// all. Driven from the keyboard (useReviewKeys); every control also works with the mouse.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Group, Panel, Separator, type Layout } from 'react-resizable-panels';
import type { AnswerView, GoldChangeView, ReviewItemView, Slot } from '../../../../shared/review.ts';
import { TASKS, type TaskId } from '../../../../shared/tasks.ts';
import { useApp, useS } from '../../app/stores.tsx';
import { EmptyState, Icon, Kbd, Spinner } from '../../app/ui.tsx';
import { asStringList, asTechnicalDetails, splitSpec } from '../ticket/format.ts';
import { findMarks, segments } from '../ticket/highlight.ts';
import { TaskValue } from '../ticket/TaskValue.tsx';
import { ReviewKeysSheet } from './ReviewKeysSheet.tsx';
import { correctHint, detailChoices, detailsScore, noDetailsScore, scoreKey, showCorrectValue, showScore, takesCorrectValue, type ReviewKeyAction } from './screenModel.ts';
import { useReviewKeys } from './useReviewKeys.ts';
import type { PrivacyPreview } from '../../../../shared/routes/privacyRoutes.ts';
import './review.css';
import './reviewScreen.css';
import './reviewResults.css';

function ReviewTicketText({ item }: { item: ReviewItemView }) {
  const segs = useMemo(() => {
    const ids = item.task === 'asset_ids' ? [...new Set(item.answers.flatMap((a) => asStringList(a.value) ?? []))] : [];
    const details =
      item.task === 'technical_details'
        ? [...new Set(item.answers.flatMap((a) => asTechnicalDetails(a.value)?.present ?? []))]
        : item.task === 'product'
          ? [...new Set(item.answers.flatMap((a) => (typeof a.value === 'string' ? [a.value] : [])))]
          : [];
    return segments(item.ticket.text, findMarks(item.ticket.text, ids, details));
  }, [item]);
  const counts = { asset: 0, detail: 0 };
  for (const s of segs) if (s.mark) counts[s.mark.kind]++;
  return (
    <section className="ticket-text-pane" aria-label="Ticket text">
      <div className="pane-head">
        <h3 className="pane-title">Ticket</h3>
        <span className="legend">
          <span className="mono">{item.ticket.id}</span> · <span className="hl hl-asset">asset id</span> {counts.asset} · <span className="hl hl-detail">{item.task === 'product' ? 'product' : 'technical detail'}</span>{' '}
          {counts.detail}
        </span>
      </div>
      {item.ticket.title && <p className="rv-ticket-title">{item.ticket.title}</p>}
      <pre className="ticket-text" data-testid="review-ticket-text" tabIndex={0}>
        {segs.map((s, i) =>
          s.mark ? (
            <mark key={i} className={`hl hl-${s.mark.kind}`} data-mark={s.mark.kind} title={s.mark.label}>
              {s.text}
            </mark>
          ) : (
            <span key={i}>{s.text}</span>
          ),
        )}
      </pre>
      <MaskedPanel ticketId={item.ticket.id} text={item.ticket.text} />
    </section>
  );
}

/**
 * What was masked in this ticket before it was sent to the models (the workspace's rules now), so a
 * reviewer can spot a miss: select the missed text in the ticket and flag it. Only offsets and a
 * kind are sent back; the value stays where it is, in the ticket.
 */
function MaskedPanel({ ticketId, text }: { ticketId: string; text: string }) {
  const { transport } = useApp();
  const [preview, setPreview] = useState<PrivacyPreview | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setPreview(null);
    setStatus(null);
    transport.request('privacy.preview', { ticketId }).then((r) => live && setPreview(r.ok ? r.data : null), () => live && setPreview(null));
    return () => {
      live = false;
    };
  }, [transport, ticketId]);
  const flag = (): void => {
    const sel = window.getSelection();
    const pre = document.querySelector('[data-testid="review-ticket-text"]');
    if (!sel || sel.isCollapsed || !pre || !sel.anchorNode || !pre.contains(sel.anchorNode)) {
      setStatus('Select the missed text in the ticket first.');
      return;
    }
    const range = sel.getRangeAt(0);
    const before = document.createRange();
    before.selectNodeContents(pre);
    before.setEnd(range.startContainer, range.startOffset);
    const start = before.toString().length;
    const end = start + range.toString().length;
    if (end <= start || end > text.length) {
      setStatus('Select the missed text in the ticket first.');
      return;
    }
    transport
      .request('privacy.flagMiss', { ticketId, start, end, kind: 'missed' })
      .then(
        (r) => setStatus(r.ok ? `Flagged ${end - start} characters as missed.` : `Not flagged: ${r.error.message}`),
        (e: unknown) => setStatus(`Not flagged: ${(e as Error).message}`),
      );
  };
  if (!preview) return null;
  return (
    <div className="rv-masked" role="group" data-testid="review-masked" aria-label="Masked before sending">
      <span className="faint">Masked before sending:</span>{' '}
      {preview.masked.length === 0 ? (
        <span>nothing</span>
      ) : (
        [...new Map(preview.masked.map((m) => [m.placeholder, m])).values()].map((m) => (
          <span key={m.placeholder} className="rv-masked-item" title={text.slice(m.start, m.end)}>
            <span className="mono">{m.placeholder}</span> <span className="faint">{m.kind.replace(/_/g, ' ')}</span>{' '}
          </span>
        ))
      )}{' '}
      <button type="button" className="link" onClick={flag} data-testid="review-flag-miss" title="Select text in the ticket that should have been masked, then flag it">
        Flag a miss
      </button>
      {status && <span role="status"> {status}</span>}
    </div>
  );
}

const GOLD_SOURCE: Record<GoldChangeView['source'], string> = { review: 'reviewed', import: 'imported', undo: 'undone', restore: 'put back' };

/** A gold label as the screen shows it (technical details keep "has details" as a yes/no). */
const showGold = (task: TaskId, v: unknown): string => (task === 'technical_details' && typeof v === 'boolean' ? (v ? 'has details' : 'no details') : showCorrectValue(v));

function ModelName({ a, blind }: { a: AnswerView; blind: boolean }) {
  if (a.model === null) {
    return (
      <span className="rv-model hidden" data-testid="review-model">
        <Icon name="eye-closed" /> model hidden
      </span>
    );
  }
  const { provider, model } = splitSpec(a.model);
  return (
    <span className={`rv-model${blind ? ' revealed' : ''}`} data-testid="review-model" title={a.model}>
      {blind && <Icon name="eye" />}
      <span className="mono">{model}</span> <span className="faint">{provider}</span>
    </span>
  );
}

function AnswerCard(props: {
  queueId: string;
  item: ReviewItemView;
  a: AnswerView;
  index: number;
  current: boolean;
  expected: string[];
  missed: string[];
  rescore: number | null;
}) {
  const { stores } = useApp();
  const { queueId, item, a, index, current, expected, missed, rescore } = props;
  const actions = stores.review.getState().actions;
  const isDetails = item.task === 'technical_details';
  const none = isDetails && expected.length === 0;
  const pending = !isDetails ? null : none ? noDetailsScore(a.value) : detailsScore(missed.length, expected.length);
  const changed =
    isDetails && a.mine !== null && (JSON.stringify([...(a.mine.missing ?? [])].sort()) !== JSON.stringify([...missed].sort()) || JSON.stringify(a.mine.expected ?? []) !== JSON.stringify(expected));
  const named = isDetails ? (asTechnicalDetails(a.value)?.present ?? []).filter((d) => d.trim()) : [];
  const select = () => actions.setCursor(queueId, index);
  return (
    <div
      id={`rv-answer-${queueId}-${a.slot}`}
      role="option"
      aria-selected={current}
      aria-label={`Answer ${a.slot}${a.mine ? `, scored ${showScore(a.mine.score)}` : ', not scored'}`}
      className={`rv-answer${current ? ' current' : ''}${a.mine ? ' scored' : ''}${rescore !== null ? ' rescore' : ''}`}
      data-testid="review-answer"
      data-slot={a.slot}
      data-score={a.mine ? String(a.mine.score) : ''}
      onMouseDown={select}
    >
      <header className="rv-answer-head">
        <span className="rv-slot">{a.slot}</span>
        <ModelName a={a} blind={item.blind} />
        {a.mine ? (
          <span className={`rv-score s-${String(a.mine.score).replace('.', '_')}`} data-testid="review-score" title={`Your score, ${new Date(a.mine.scoredAt).toLocaleString()}`}>
            {showScore(a.mine.score)}
          </span>
        ) : (
          <span className="rv-score unscored">—</span>
        )}
      </header>
      <div className="rv-value">
        <TaskValue task={item.task} value={a.value} />
      </div>
      {rescore !== null && a.mine && (
        <p className="rv-rescore small" role="alert" data-testid="review-rescore">
          Scored {showScore(a.mine.score)} · press <kbd>{scoreKey(rescore)}</kbd> again to change it to {showScore(rescore)}
        </p>
      )}
      {none && (
        <p className="rv-none small" data-testid={`review-none-${a.slot}`}>
          No details expected (M = 0): {named.length ? `names ${named.length} detail${named.length === 1 ? '' : 's'}, which the ticket does not have` : 'says the ticket has none'} →{' '}
          <strong>{showScore(pending ?? 0)}</strong>
          {changed && <span className="rv-changed"> · changed: Enter saves</span>}
          {!a.mine && <span className="faint"> · Enter saves</span>}
        </p>
      )}
      {isDetails && !none && (
        <fieldset className="rv-missed" aria-label={`Expected details ${a.slot} missed`}>
          <legend className="rv-missed-title">
            Missed {missed.length} of {expected.length}
            {pending !== null && (
              <span className="tabular">
                {' '}
                · score 1 − {missed.length}/{expected.length} = <strong>{showScore(Math.round(pending * 100) / 100)}</strong>
              </span>
            )}
            {changed && <span className="rv-changed"> · changed: Enter saves</span>}
          </legend>
          {expected.map((d, i) => (
            <label key={d} className={`rv-check${missed.includes(d) ? ' on' : ''}`}>
              <input
                type="checkbox"
                tabIndex={-1}
                checked={missed.includes(d)}
                onChange={() => {
                  select();
                  actions.toggleMissed(queueId, i);
                }}
                data-testid={`missed-${a.slot}-${i + 1}`}
              />
              {i < 9 && <kbd>{i + 1}</kbd>}
              <span>{d}</span>
            </label>
          ))}
        </fieldset>
      )}
      {!isDetails && item.rubric.scores && (
        <div className="rv-score-buttons" role="group" aria-label={`Score ${a.slot}`}>
          {item.rubric.scores.map((s) => (
            <button
              key={s}
              type="button"
              tabIndex={-1}
              className={`rv-score-btn${a.mine?.score === s ? ' on' : ''}`}
              onClick={() => {
                select();
                void actions.score(queueId, s);
              }}
            >
              {showScore(s)} <kbd>{s === 0.5 ? '5' : String(s)}</kbd>
            </button>
          ))}
        </div>
      )}
      {a.mine?.note && (
        <p className="rv-note-shown small" title="Your note">
          <Icon name="note" /> {a.mine.note}
        </p>
      )}
    </div>
  );
}

function ExpectedDetails({ queueId, item, expected, listRef }: { queueId: string; item: ReviewItemView; expected: string[]; listRef: React.RefObject<HTMLDivElement | null> }) {
  const { stores } = useApp();
  const [draft, setDraft] = useState('');
  const choices = detailChoices(item, expected);
  const actions = stores.review.getState().actions;
  return (
    <div className="rv-expected" data-review-passthrough ref={listRef} role="group" aria-label="Details you expect (M)" data-testid="review-expected">
      <div className="rv-expected-head">
        <span className="pane-title" data-testid="review-m">
          Details you expect · M = {expected.length}
        </span>
        {expected.length === 0 ? (
          <span className="rv-none-note small" data-testid="review-no-details">
            the ticket has no technical details: an answer saying none scores 1, one naming some 0
          </span>
        ) : null}
        <span className="spacer" />
        <button type="button" className={`btn small${expected.length === 0 ? ' on' : ''}`} onClick={() => actions.toggleNoDetails(queueId)} data-testid="review-none-toggle" tabIndex={-1}>
          {expected.length === 0 ? 'List details' : 'None'} <Kbd chord="x" />
        </button>
        <span className="faint small">
          <Kbd chord="d" /> to edit · Space ticks · Esc back to the answers
        </span>
      </div>
      <div className="rv-expected-list">
        {choices.map((d) => (
          <label key={d} className={`rv-check${expected.includes(d) ? ' on' : ''}`}>
            <input type="checkbox" checked={expected.includes(d)} onChange={() => actions.toggleExpected(queueId, d)} />
            {expected.includes(d) && expected.indexOf(d) < 9 && <kbd>{expected.indexOf(d) + 1}</kbd>}
            <span>{d}</span>
          </label>
        ))}
        <input
          type="text"
          className="rv-add-detail"
          placeholder="Add a detail you expect…"
          aria-label="Add a detail you expect"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && draft.trim()) {
              e.preventDefault();
              actions.addExpected(queueId, draft);
              setDraft('');
            }
          }}
        />
      </div>
    </div>
  );
}

function ItemScreen({ queueId, item, surfaceRef, correctRef, noteRef, detailsRef }: {
  queueId: string;
  item: ReviewItemView;
  surfaceRef: React.RefObject<HTMLDivElement | null>;
  correctRef: React.RefObject<HTMLInputElement | null>;
  noteRef: React.RefObject<HTMLInputElement | null>;
  detailsRef: React.RefObject<HTMLDivElement | null>;
}) {
  const { stores } = useApp();
  const s = useS('review', (st) => st.screens[queueId]);
  const sizes = useS('layout', (st) => st.sizes['review-split']);
  const initial = useRef(sizes);
  if (!s) return null;
  const actions = stores.review.getState().actions;
  const gold = s.view?.state === 'item' ? s.view.gold : null;
  const cur = item.answers[s.cursor];
  const slot: Slot | null = cur?.slot ?? null;
  const isDetails = item.task === 'technical_details';
  return (
    <Group
      orientation="horizontal"
      id="review-split"
      className="ticket-split"
      defaultLayout={initial.current}
      onLayoutChanged={(l: Layout, meta) => meta.isUserInteraction && stores.layout.getState().actions.saveSizes('review-split', l)}
    >
      <Panel id="review-ticket" defaultSize="36%" minSize="220px" className="split-pane">
        <ReviewTicketText item={item} />
      </Panel>
      <Separator className="sash sash-v" aria-label="Resize ticket text" />
      <Panel id="review-answers" minSize="340px" className="split-pane">
        <section className="rv-answers-pane" aria-label="Answers to score">
          <div className="rv-task-line">
            <span className="rv-task">{TASKS[item.task].label}</span>
            <span className="rv-question">{item.question}</span>
            <span className="spacer" />
            {gold?.hidden ? (
              <span className="rv-gold hidden" data-testid="review-gold-hidden" title="A gold label biases an independent reviewer: it shows once you have scored every answer">
                <Icon name="eye-closed" /> gold label hidden (blind)
              </span>
            ) : (
              <>
                {gold?.has && (
                  <span className="rv-gold" data-testid="review-gold" title="The ticket's gold label for this task">
                    <Icon name="star-full" /> gold: {showGold(item.task, gold.value)}
                  </span>
                )}
                {gold && gold.history.length > 0 && (
                  <button type="button" className="btn small" tabIndex={-1} onClick={() => actions.toggleHistory(queueId)} aria-expanded={s.historyOpen} data-testid="review-history-toggle">
                    <Icon name="history" /> history ({gold.history.length}) <Kbd chord="g" />
                  </button>
                )}
              </>
            )}
          </div>
          <p className="rv-rubric small muted">
            <Icon name="law" /> {item.rubric.help}
            {item.blind && (item.revealed ? ' · models revealed after your scores' : ' · blind: model names hidden, order shuffled (seed ' + item.seed + ')')}
          </p>
          {s.historyOpen && gold && !gold.hidden && (
            <section className="rv-history" aria-label="Gold label history" data-testid="review-gold-history">
              <header className="rv-history-head">
                <span className="pane-title">Gold label history · {TASKS[item.task].label} of {item.ticket.id}</span>
                <span className="faint small">newest first · u takes back your last action · g closes</span>
              </header>
              {gold.history.length === 0 ? (
                <p className="muted small">No change recorded{gold.has ? ' (the label came with the ticket)' : ''}.</p>
              ) : (
                <ol className="rv-history-list">
                  {gold.history.map((c) => (
                    <li key={c.id} data-testid="gold-change" data-source={c.source}>
                      <span className="tabular faint">{new Date(c.at).toLocaleString()}</span> <strong>{c.by}</strong> <span className="kind-tag">{GOLD_SOURCE[c.source]}</span>{' '}
                      <span className="mono">{c.before.has ? showGold(item.task, c.before.value) : '(none)'}</span> → <span className="mono">{c.after.has ? showGold(item.task, c.after.value) : '(none)'}</span>
                      {c.detail && <span className="faint"> · {c.detail}</span>}{' '}
                      <button type="button" className="link-btn" onClick={() => void actions.restoreGold(queueId, c.id)} data-testid="gold-restore">
                        put back {c.before.has ? showGold(item.task, c.before.value) : '(none)'}
                      </button>
                    </li>
                  ))}
                </ol>
              )}
            </section>
          )}
          {s.refusal && (
            <div className="banner error rv-banner" role="alert" data-testid="review-refusal">
              <strong>Refused:</strong> {s.refusal}
            </div>
          )}
          {isDetails && <ExpectedDetails queueId={queueId} item={item} expected={s.expected} listRef={detailsRef} />}
          <div
            ref={surfaceRef}
            className={`rv-answers n-${item.answers.length}`}
            role="listbox"
            aria-label={`${item.answers.length} answers; Tab moves between them`}
            aria-activedescendant={slot ? `rv-answer-${queueId}-${slot}` : undefined}
            tabIndex={0}
            data-review-surface
            data-testid="review-answers"
          >
            {item.answers.map((a, i) => (
              <AnswerCard
                key={a.slot}
                queueId={queueId}
                item={item}
                a={a}
                index={i}
                current={i === s.cursor}
                expected={s.expected}
                missed={s.missed[a.slot] ?? []}
                rescore={s.pendingRescore?.slot === a.slot ? s.pendingRescore.score : null}
              />
            ))}
          </div>
          <div className="rv-fields">
            {takesCorrectValue(item.task) && (
              <label className="rv-field">
                <span className="rv-field-label">
                  Correct value <Kbd chord="e" />
                </span>
                <input
                  ref={correctRef}
                  type="text"
                  value={s.correct}
                  placeholder={correctHint(item.task)}
                  data-testid="review-correct"
                  onChange={(e) => actions.setCorrect(queueId, e.target.value)}
                  onBlur={() => actions.cancelGold(queueId)}
                  aria-describedby={s.goldConfirm ? `rv-gold-confirm-${queueId}` : undefined}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      void actions.applyCorrect(queueId);
                    }
                  }}
                />
                <span className="faint small">becomes the ticket’s gold label · Enter shows it, Enter again writes it and scores the unscored answers</span>
              </label>
            )}
            {s.goldConfirm && (
              <div className="rv-gold-confirm" role="alert" id={`rv-gold-confirm-${queueId}`} data-testid="review-gold-confirm">
                <span>
                  Write the gold label <strong>{TASKS[item.task].label.toLowerCase()} = {s.goldConfirm.shown}</strong> for ticket <span className="mono">{item.ticket.id}</span>
                  {gold?.hidden ? ' (replacing the hidden one, if any)' : gold?.has ? ` (now ${showGold(item.task, gold.value)})` : ' (none yet)'}
                  {(() => {
                    const n = item.answers.filter((a) => !a.mine).length;
                    return n ? ` and score the ${n} unscored answer${n === 1 ? '' : 's'} from it?` : '? Scored answers keep their scores.';
                  })()}
                </span>
                <span className="spacer" />
                <span className="faint small">Enter confirms · Esc cancels</span>
                <button type="button" className="btn small primary" onMouseDown={(e) => e.preventDefault()} onClick={() => void actions.applyCorrect(queueId)} data-testid="review-gold-confirm-yes">
                  Write gold label
                </button>
                <button type="button" className="btn small" onMouseDown={(e) => e.preventDefault()} onClick={() => actions.cancelGold(queueId)}>
                  Cancel
                </button>
              </div>
            )}
            <label className="rv-field">
              <span className="rv-field-label">
                Note on {slot ?? '—'} <Kbd chord="n" />
              </span>
              <input
                ref={noteRef}
                type="text"
                value={slot ? (s.notes[slot] ?? '') : ''}
                placeholder="why this score (optional)"
                data-testid="review-note"
                maxLength={4000}
                onChange={(e) => slot && actions.setNote(queueId, slot, e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    void actions.saveNote(queueId);
                  }
                }}
              />
              <span className="faint small">saved with the score · Enter saves it now</span>
            </label>
          </div>
          <p className="rv-status small" role="status" aria-live="polite" data-testid="review-hint">
            {s.busy ? <Spinner /> : null} {s.hint ?? ''}
          </p>
        </section>
      </Panel>
    </Group>
  );
}

export function ReviewEditor({ queueId }: { queueId: string }) {
  const { stores } = useApp();
  const me = useS('review', (s) => s.me);
  const loadedOnce = useS('review', (s) => s.loadedOnce);
  const screen = useS('review', (s) => s.screens[queueId]);
  const queue = useS('review', (s) => s.queues.find((q) => q.id === queueId) ?? null);
  const [sheet, setSheet] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const surfaceRef = useRef<HTMLDivElement>(null);
  const correctRef = useRef<HTMLInputElement>(null);
  const noteRef = useRef<HTMLInputElement>(null);
  const detailsRef = useRef<HTMLDivElement>(null);
  const actions = stores.review.getState().actions;

  useEffect(() => {
    if (!loadedOnce) void stores.review.getState().actions.refresh();
  }, [loadedOnce, stores]);
  useEffect(() => {
    if (!me) return;
    // Back on this tab: the item it showed, as it is now; a fresh start: the next unfinished item.
    const v = stores.review.getState().screens[queueId]?.view;
    void stores.review.getState().actions.open(queueId, v?.state === 'item' ? v.item.position : undefined);
  }, [me, queueId, stores]);
  const focusSeq = screen?.focusSeq ?? 0;
  useEffect(() => {
    if (focusSeq > 0) (surfaceRef.current ?? rootRef.current)?.focus();
  }, [focusSeq]);

  const run = (a: ReviewKeyAction): unknown => {
    const act = stores.review.getState().actions;
    switch (a.kind) {
      case 'score':
        return act.score(queueId, a.score);
      case 'toggleMissed':
        return act.toggleMissed(queueId, a.index);
      case 'confirm':
        return act.confirm(queueId);
      case 'answer':
        return act.moveAnswer(queueId, a.delta);
      case 'item':
        return act.moveItem(queueId, a.delta);
      case 'undo':
        return act.undo(queueId);
      case 'focusCorrect':
        return correctRef.current?.focus();
      case 'focusNote':
        return noteRef.current?.focus();
      case 'focusDetails':
        return detailsRef.current?.querySelector<HTMLElement>('input')?.focus();
      case 'noDetails':
        return act.toggleNoDetails(queueId);
      case 'history':
        return act.toggleHistory(queueId);
      case 'results':
        act.setResultsScope({ queueId });
        return stores.editor.getState().actions.openReviewResults();
      case 'help':
        return setSheet(true);
    }
  };
  const runRef = useRef(run);
  runRef.current = run;
  // Keys are played in order, each after the previous one's answer: a fast reviewer loses none.
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const handlers = useMemo(
    () => ({
      focusSurface: () => (surfaceRef.current ?? rootRef.current)?.focus(),
      escapeInField: (t: HTMLElement) => {
        const s = stores.review.getState().screens[queueId];
        if (t === correctRef.current && s?.goldConfirm) {
          stores.review.getState().actions.cancelGold(queueId);
          return true;
        }
        return false;
      },
      dispatch: (a: ReviewKeyAction) => {
        chain.current = chain.current.then(() => runRef.current(a)).catch(() => undefined);
      },
    }),
    [queueId, stores],
  );
  useReviewKeys(queueId, rootRef, handlers);

  const view = screen?.view ?? null;
  const item = view?.state === 'item' ? view.item : null;
  const title = view ? (view.state === 'item' ? view.item.queueName : view.queueName) : (queue?.name ?? queueId);
  const progress = item ? item.progress : view?.state === 'done' ? view.progress : null;
  const pct = progress?.assigned ? Math.round((progress.done / progress.assigned) * 100) : 0;

  let body;
  if (!me) {
    body = (
      <EmptyState icon="person" title="Who is reviewing?" testId="review-need-name">
        <p>Enter your reviewer name in the Review side bar once; the workspace remembers it.</p>
      </EmptyState>
    );
  } else if (!screen || (screen.load === 'loading' && !view)) {
    body = (
      <div className="editor-loading">
        <Spinner label="Loading the queue" />
      </div>
    );
  } else if (screen.load === 'error' && !view) {
    body = (
      <EmptyState icon="warning" title="This queue cannot be shown">
        <p>{screen.error?.message}</p>
      </EmptyState>
    );
  } else if (view?.state === 'not-reviewer') {
    body = (
      <EmptyState icon="person-add" title={`${view.reviewer} is not a reviewer of this queue`} testId="review-not-reviewer">
        <p>{view.reviewers.length ? `It is dealt to ${view.reviewers.join(', ')}.` : 'Nobody is assigned yet.'} Join it and the untouched items are dealt again, so the work is shared.</p>
        <button type="button" className="btn primary" data-autofocus onClick={() => void actions.join(queueId)} data-testid="review-join">
          <Icon name="person-add" /> Join as {view.reviewer}
        </button>
      </EmptyState>
    );
  } else if (view?.state === 'done') {
    body = (
      <EmptyState icon="pass" title="Your share of this queue is done" testId="review-done">
        <p>
          {view.progress.done} of {view.progress.assigned} items scored, every score saved. Go over them again, or see the results (<Kbd chord="shift+r" />).
        </p>
        <div className="rv-done-actions">
          <button type="button" className="btn" onClick={() => void actions.open(queueId, 0)}>
            <Icon name="history" /> Review again from item 1
          </button>
          <button type="button" className="btn primary" onClick={() => handlers.dispatch({ kind: 'results' })}>
            <Icon name="graph" /> Results
          </button>
        </div>
      </EmptyState>
    );
  } else if (item) {
    body = <ItemScreen queueId={queueId} item={item} surfaceRef={surfaceRef} correctRef={correctRef} noteRef={noteRef} detailsRef={detailsRef} />;
  }

  return (
    <div className="review-editor" ref={rootRef} tabIndex={-1} data-testid="review-editor" data-queue-id={queueId} data-position={item?.position ?? ''}>
      <header className="editor-head">
        <div className="eh-titles">
          <h2 className="eh-title" title={title}>
            {title}
          </h2>
          <p className="eh-sub" data-testid="review-position">
            <span className="mono">{queueId}</span>
            {item && (
              <>
                {' '}
                · item {item.position + 1} of {item.total}
                {!item.dealt && ' (not dealt to you)'} · {item.blind ? (item.revealed ? 'blind, revealed' : 'blind') : 'open'}
              </>
            )}
            {me && <> · reviewing as {me}</>}
          </p>
        </div>
        {progress && (
          <div className="rv-progress" title="Items of your share with every answer scored" data-testid="review-progress">
            <span className="tabular">
              {progress.done}/{progress.assigned}
            </span>
            <span className="rv-bar" aria-hidden>
              <span style={{ width: `${pct}%` }} />
            </span>
          </div>
        )}
        <div className="eh-actions">
          <button type="button" className="btn" onClick={() => handlers.dispatch({ kind: 'results' })} title="Results of this queue (Shift+R)">
            <Icon name="graph" /> Results
          </button>
          <button type="button" className="btn" onClick={() => setSheet(true)} title="Keys of the review screen (?)" data-testid="review-keys-button">
            <Icon name="keyboard" /> Keys <Kbd chord="?" />
          </button>
        </div>
      </header>
      <div className="rv-body">{body}</div>
      {item && (
        <footer className="rv-keys-hint" aria-hidden>
          {item.task === 'technical_details' ? (
            <>
              <Kbd chord="1" />…<Kbd chord="9" /> missed · <Kbd chord="x" /> no details (then <Kbd chord="1" />/<Kbd chord="0" />) · <Kbd chord="enter" /> save &amp; next · <Kbd chord="d" /> expected details
            </>
          ) : (
            <>
              <Kbd chord="1" /> right · <Kbd chord="0" /> wrong{item.task === 'severity' ? <> · <Kbd chord="5" /> ½ one level off</> : null} (the cursor stays) · <Kbd chord="enter" /> next unscored
            </>
          )}{' '}
          · <kbd>Tab</kbd> next answer · <Kbd chord="j" />/<Kbd chord="k" /> item · <Kbd chord="u" /> undo · <Kbd chord="g" /> gold history
          {takesCorrectValue(item.task) ? (
            <>
              {' '}
              · <Kbd chord="e" /> correct value
            </>
          ) : null}{' '}
          · <Kbd chord="n" /> note · <Kbd chord="?" /> all keys
        </footer>
      )}
      {sheet && (
        <ReviewKeysSheet
          onClose={() => {
            setSheet(false);
            handlers.focusSurface();
          }}
        />
      )}
    </div>
  );
}
