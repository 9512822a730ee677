// One answer on the review screen under its slot letter (the model hidden until scored), its score
// buttons, correct value and note; and the expected-details list of a technical-details item.
import { useState } from 'react';
import type { AnswerView, ReviewItemView } from '#shared/review.ts';
import { useApp } from '#renderer/app/stores.tsx';
import { Icon, Kbd } from '#renderer/app/ui.tsx';
import { asTechnicalDetails, splitSpec } from '../ticket/format.ts';
import { TaskValue } from '../ticket/TaskValue.tsx';
import { detailChoices, detailsScore, noDetailsScore, scoreKey, showScore } from './screenModel.ts';

/** A gold label as the screen shows it (technical details keep "has details" as a yes/no). */

export function ModelName({ a, blind }: { a: AnswerView; blind: boolean }) {
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

export function AnswerCard(props: {
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
    isDetails &&
    a.mine !== null &&
    (JSON.stringify([...(a.mine.missing ?? [])].sort()) !== JSON.stringify([...missed].sort()) ||
      JSON.stringify(a.mine.expected ?? []) !== JSON.stringify(expected));
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
          <span
            className={`rv-score s-${String(a.mine.score).replace('.', '_')}`}
            data-testid="review-score"
            title={`Your score, ${new Date(a.mine.scoredAt).toLocaleString()}`}
          >
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
          No details expected (M = 0):{' '}
          {named.length
            ? `names ${named.length} detail${named.length === 1 ? '' : 's'}, which the ticket does not have`
            : 'says the ticket has none'}{' '}
          → <strong>{showScore(pending ?? 0)}</strong>
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

export function ExpectedDetails({
  queueId,
  item,
  expected,
  listRef,
}: {
  queueId: string;
  item: ReviewItemView;
  expected: string[];
  listRef: React.RefObject<HTMLDivElement | null>;
}) {
  const { stores } = useApp();
  const [draft, setDraft] = useState('');
  const choices = detailChoices(item, expected);
  const actions = stores.review.getState().actions;
  return (
    <div
      className="rv-expected"
      data-review-passthrough
      ref={listRef}
      role="group"
      aria-label="Details you expect (M)"
      data-testid="review-expected"
    >
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
        <button
          type="button"
          className={`btn small${expected.length === 0 ? ' on' : ''}`}
          onClick={() => actions.toggleNoDetails(queueId)}
          data-testid="review-none-toggle"
          tabIndex={-1}
        >
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
