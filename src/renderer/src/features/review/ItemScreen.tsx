// One review item: the ticket beside the task's answers, the gold label and its history.
import { useRef } from 'react';
import { Group, Panel, Separator, type Layout } from 'react-resizable-panels';
import type { GoldChangeView, ReviewItemView, Slot } from '#shared/review.ts';
import { TASKS, type TaskId } from '#shared/tasks.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Icon, Kbd, Spinner } from '#renderer/app/ui.tsx';
import { correctHint, showCorrectValue, takesCorrectValue } from './screenModel.ts';
import { ReviewTicketText } from './ReviewTicket.tsx';
import { AnswerCard, ExpectedDetails } from './AnswerCard.tsx';

const GOLD_SOURCE: Record<GoldChangeView['source'], string> = {
  review: 'reviewed',
  import: 'imported',
  undo: 'undone',
  restore: 'put back',
};
const showGold = (task: TaskId, v: unknown): string =>
  task === 'technical_details' && typeof v === 'boolean' ? (v ? 'has details' : 'no details') : showCorrectValue(v);

export function ItemScreen({
  queueId,
  item,
  surfaceRef,
  correctRef,
  noteRef,
  detailsRef,
}: {
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
              <span
                className="rv-gold hidden"
                data-testid="review-gold-hidden"
                title="A gold label biases an independent reviewer: it shows once you have scored every answer"
              >
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
                  <button
                    type="button"
                    className="btn small"
                    tabIndex={-1}
                    onClick={() => actions.toggleHistory(queueId)}
                    aria-expanded={s.historyOpen}
                    data-testid="review-history-toggle"
                  >
                    <Icon name="history" /> history ({gold.history.length}) <Kbd chord="g" />
                  </button>
                )}
              </>
            )}
          </div>
          <p className="rv-rubric small muted">
            <Icon name="law" /> {item.rubric.help}
            {item.blind &&
              (item.revealed
                ? ' · models revealed after your scores'
                : ' · blind: model names hidden, order shuffled (seed ' + item.seed + ')')}
          </p>
          {s.historyOpen && gold && !gold.hidden && (
            <section className="rv-history" aria-label="Gold label history" data-testid="review-gold-history">
              <header className="rv-history-head">
                <span className="pane-title">
                  Gold label history · {TASKS[item.task].label} of {item.ticket.id}
                </span>
                <span className="faint small">newest first · u takes back your last action · g closes</span>
              </header>
              {gold.history.length === 0 ? (
                <p className="muted small">No change recorded{gold.has ? ' (the label came with the ticket)' : ''}.</p>
              ) : (
                <ol className="rv-history-list">
                  {gold.history.map((c) => (
                    <li key={c.id} data-testid="gold-change" data-source={c.source}>
                      <span className="tabular faint">{new Date(c.at).toLocaleString()}</span> <strong>{c.by}</strong>{' '}
                      <span className="kind-tag">{GOLD_SOURCE[c.source]}</span>{' '}
                      <span className="mono">{c.before.has ? showGold(item.task, c.before.value) : '(none)'}</span> →{' '}
                      <span className="mono">{c.after.has ? showGold(item.task, c.after.value) : '(none)'}</span>
                      {c.detail && <span className="faint"> · {c.detail}</span>}{' '}
                      <button
                        type="button"
                        className="link-btn"
                        onClick={() => void actions.restoreGold(queueId, c.id)}
                        data-testid="gold-restore"
                      >
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
                <span className="faint small">
                  becomes the ticket’s gold label · Enter shows it, Enter again writes it and scores the unscored answers
                </span>
              </label>
            )}
            {s.goldConfirm && (
              <div className="rv-gold-confirm" role="alert" id={`rv-gold-confirm-${queueId}`} data-testid="review-gold-confirm">
                <span>
                  Write the gold label{' '}
                  <strong>
                    {TASKS[item.task].label.toLowerCase()} = {s.goldConfirm.shown}
                  </strong>{' '}
                  for ticket <span className="mono">{item.ticket.id}</span>
                  {gold?.hidden
                    ? ' (replacing the hidden one, if any)'
                    : gold?.has
                      ? ` (now ${showGold(item.task, gold.value)})`
                      : ' (none yet)'}
                  {(() => {
                    const n = item.answers.filter((a) => !a.mine).length;
                    return n ? ` and score the ${n} unscored answer${n === 1 ? '' : 's'} from it?` : '? Scored answers keep their scores.';
                  })()}
                </span>
                <span className="spacer" />
                <span className="faint small">Enter confirms · Esc cancels</span>
                <button
                  type="button"
                  className="btn small primary"
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => void actions.applyCorrect(queueId)}
                  data-testid="review-gold-confirm-yes"
                >
                  Write gold label
                </button>
                <button
                  type="button"
                  className="btn small"
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => actions.cancelGold(queueId)}
                >
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
