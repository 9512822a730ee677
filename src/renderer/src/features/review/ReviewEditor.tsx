// The review screen: the ticket on the left (the answers' ids and details marked in it), the
// task's 2–6 answers on the right under slot letters, blind until the reviewer has scored them
// all. Driven from the keyboard (useReviewKeys); every control also works with the mouse.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { EmptyState, Icon, Kbd, Spinner } from '#renderer/app/ui.tsx';
import { focusUnlessInDialog } from '#renderer/app/focus.ts';
import { ReviewKeysSheet } from './ReviewKeysSheet.tsx';
import { takesCorrectValue, type ReviewKeyAction } from './screenModel.ts';
import { useReviewKeys } from './useReviewKeys.ts';
import './review.css';
import './reviewScreen.css';
import './reviewResults.css';
import { ItemScreen } from './ItemScreen.tsx';
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
    if (focusSeq > 0) focusUnlessInDialog(surfaceRef.current ?? rootRef.current);
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
        <p>
          {view.reviewers.length ? `It is dealt to ${view.reviewers.join(', ')}.` : 'Nobody is assigned yet.'} Join it and the untouched
          items are dealt again, so the work is shared.
        </p>
        <button type="button" className="btn primary" data-autofocus onClick={() => void actions.join(queueId)} data-testid="review-join">
          <Icon name="person-add" /> Join as {view.reviewer}
        </button>
      </EmptyState>
    );
  } else if (view?.state === 'done') {
    body = (
      <EmptyState icon="pass" title="Your share of this queue is done" testId="review-done">
        <p>
          {view.progress.done} of {view.progress.assigned} items scored, every score saved. Go over them again, or see the results (
          <Kbd chord="shift+r" />
          ).
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
    body = (
      <ItemScreen queueId={queueId} item={item} surfaceRef={surfaceRef} correctRef={correctRef} noteRef={noteRef} detailsRef={detailsRef} />
    );
  }

  return (
    <div
      className="review-editor"
      ref={rootRef}
      tabIndex={-1}
      data-testid="review-editor"
      data-queue-id={queueId}
      data-position={item?.position ?? ''}
    >
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
          <button
            type="button"
            className="btn"
            onClick={() => handlers.dispatch({ kind: 'results' })}
            title="Results of this queue (Shift+R)"
          >
            <Icon name="graph" /> Results
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => setSheet(true)}
            title="Keys of the review screen (?)"
            data-testid="review-keys-button"
          >
            <Icon name="keyboard" /> Keys <Kbd chord="?" />
          </button>
        </div>
      </header>
      <div className="rv-body">{body}</div>
      {item && (
        <footer className="rv-keys-hint" aria-hidden>
          {item.task === 'technical_details' ? (
            <>
              <Kbd chord="1" />…<Kbd chord="9" /> missed · <Kbd chord="x" /> no details (then <Kbd chord="1" />/<Kbd chord="0" />) ·{' '}
              <Kbd chord="enter" /> save &amp; next · <Kbd chord="d" /> expected details
            </>
          ) : (
            <>
              <Kbd chord="1" /> right · <Kbd chord="0" /> wrong
              {item.task === 'severity' ? (
                <>
                  {' '}
                  · <Kbd chord="5" /> ½ one level off
                </>
              ) : null}{' '}
              (the cursor stays) · <Kbd chord="enter" /> next unscored
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
