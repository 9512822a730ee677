// The prompt editor tab: a task's prompt in a monospace editor with its problems shown as you type
// (the same rules as shipped files), the example ids that could leak, Save as new version (Ctrl+S),
// a line diff of any two versions, Promote (after the few-shot leak check) and Roll back with a
// confirmation and Undo, and Run as experiment: the same model on recorded tickets with the active
// version and this one, side by side in the report.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import { useApp } from '#renderer/app/stores.tsx';
import { Icon, Kbd, Spinner } from '#renderer/app/ui.tsx';
import { PromptConfirm } from './PromptConfirm.tsx';
import { PromptDiff } from './PromptDiff.tsx';
import { editorText, isDirty, taskView } from './promptsStore.ts';
import { when } from './PromptsView.tsx';
import './prompts.css';

export function PromptsEditor() {
  const { stores, transport } = useApp();
  const s = useStore(stores.prompts);
  const a = s.actions;
  const text = editorText(s);
  const dirty = isDirty(s);
  const tv = taskView(s);
  const shown = tv?.versions.find((v) => v.version === s.version) ?? null;
  const [limit, setLimit] = useState(20);
  // Which recorded tickets an experiment takes: every ticket, or those of one source (a file, pastes).
  const [sources, setSources] = useState<Array<{ source: string | null; count: number }>>([]);
  const [source, setSource] = useState<string>('\u0000all');
  useEffect(() => {
    void transport.request('experiments.ticketSources', {}).then((r) => r.ok && setSources(r.data.sources));
  }, [transport]);
  const area = useRef<HTMLTextAreaElement>(null);
  // On opening: load the versions if this is the first view of them, and check the draft.
  useEffect(() => {
    const { actions, tasks } = stores.prompts.getState();
    if (!tasks) void actions.refresh().then(() => actions.runCheck());
    else void actions.runCheck();
  }, [stores]);

  const onKey = (e: KeyboardEvent): void => {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key.toLowerCase() === 's') {
      e.preventDefault();
      e.stopPropagation();
      void a.save();
    } else if (
      mod &&
      e.key.toLowerCase() === 'z' &&
      !(e.target instanceof HTMLTextAreaElement) &&
      !(e.target instanceof HTMLInputElement) &&
      s.undo
    ) {
      e.preventDefault();
      void a.undoLast();
    }
  };
  const versions = tv?.versions ?? [];
  const from = s.diffPick.from ?? tv?.active ?? versions[0]?.version ?? '';
  const to = s.diffPick.to ?? versions.at(-1)?.version ?? '';
  const startExperiment = async (): Promise<void> => {
    const r = await a.runExperiment(limit, source === '\u0000all' ? undefined : source === '\u0000none' ? null : source);
    if (r) {
      stores.editor.getState().actions.openRun(r.runId, r.label, { preview: false });
      void stores.runs.getState().actions.refresh();
    }
  };

  return (
    <div className="pr-editor" data-testid="prompt-editor" onKeyDown={onKey}>
      <div className="pr-toolbar" role="toolbar" aria-label="Prompt">
        <label>
          Task{' '}
          <select data-testid="prompt-task" value={s.task} onChange={(e) => a.select(e.target.value as TaskId)}>
            {TASK_IDS.map((t) => (
              <option key={t} value={t}>
                {TASKS[t].label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Version{' '}
          <select data-testid="prompt-version-select" value={s.version ?? ''} onChange={(e) => a.select(s.task, e.target.value)}>
            {[...versions].reverse().map((v) => (
              <option key={v.version} value={v.version}>
                {v.version}
                {v.version === tv?.active ? ' (active)' : ''} · {v.source}
              </option>
            ))}
          </select>
        </label>
        {shown && (
          <span className="small muted" data-testid="prompt-shown-meta">
            {shown.source === 'shipped'
              ? 'shipped with casebench (read-only)'
              : `saved ${when(shown.createdAt)}${shown.author ? ` by ${shown.author}` : ''}${shown.parentVersion ? ` from ${shown.parentVersion}` : ''}`}{' '}
            · {shown.calls.toLocaleString('en-US')} calls · {shown.hash}
          </span>
        )}
      </div>

      <div className="pr-body">
        <div className="pr-edit">
          <label htmlFor="prompt-text" className="small muted">
            {dirty ? (
              <>
                Draft from {s.drafts[s.task]?.base}: <strong>unsaved</strong>
              </>
            ) : (
              'Edit to start a new version (saved versions never change)'
            )}
          </label>
          <textarea
            id="prompt-text"
            ref={area}
            className="pr-text mono"
            data-testid="prompt-text"
            spellCheck={false}
            value={text}
            aria-invalid={(s.check?.problems.length ?? 0) > 0}
            aria-describedby="prompt-problems"
            onChange={(e) => a.edit(e.target.value)}
          />
          <div id="prompt-problems" aria-live="polite">
            {s.check && s.check.problems.length > 0 && (
              <ul className="pr-problems" data-testid="prompt-problems">
                {s.check.problems.map((p, i) => (
                  <li key={i} className="error small">
                    {p.line ? `Line ${p.line}: ` : ''}
                    {p.message}
                  </li>
                ))}
              </ul>
            )}
            {s.check && s.check.exampleIds.length > 0 && (
              <p className="small muted" data-testid="prompt-example-ids">
                <Icon name="warning" /> Example answers hold {s.check.exampleIds.map((x) => `${x.id} (line ${x.line})`).join(', ')}: a model
                may copy them.
                {tv?.leakChecked ? ' Promoting runs the leak check on them.' : ''}
              </p>
            )}
            {dirty && s.check?.sameAs && <p className="small muted">This text is {s.check.sameAs} already.</p>}
          </div>
          <div className="pr-actions">
            <input
              className="pr-note-input"
              data-testid="prompt-note"
              placeholder="What changed (optional)"
              value={s.note}
              maxLength={500}
              onChange={(e) => a.setNote(e.target.value)}
              aria-label="Note for the new version"
            />
            <button
              type="button"
              className="btn primary"
              data-testid="prompt-save"
              disabled={!dirty || s.busy !== null || (s.check?.problems.length ?? 0) > 0}
              onClick={() => void a.save()}
              title="Save as new version (Ctrl+S)"
            >
              Save as new version <Kbd chord="mod+s" />
            </button>
            <button type="button" className="btn" data-testid="prompt-discard" disabled={!dirty} onClick={() => a.discard()}>
              Discard draft
            </button>
          </div>
        </div>

        <aside className="pr-side" aria-label="Versions">
          <section>
            <h3>Active version</h3>
            <p data-testid="prompt-active">
              <strong className="mono">{tv?.active ?? '…'}</strong> for every model
              {tv && tv.modelActive !== tv.active ? (
                <>
                  ; <span className="mono">{tv.modelActive}</span> on {tv.model}
                </>
              ) : null}
            </p>
            {tv && tv.scoped.length > 0 && (
              <ul className="small">
                {tv.scoped.map((x) => (
                  <li key={x.scope}>
                    <span className="mono">{x.scope}</span>: {x.version}{' '}
                    <button
                      type="button"
                      className="btn small"
                      disabled={!x.canRollback || s.busy !== null}
                      onClick={() => a.ask({ kind: 'rollback', task: s.task, version: null, scope: x.scope })}
                    >
                      Roll back
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <div className="pr-actions">
              <button
                type="button"
                className="btn primary"
                data-testid="prompt-promote"
                disabled={!s.version || s.version === tv?.active || dirty || s.busy !== null}
                title={
                  dirty
                    ? 'Save or discard the draft first: Promote acts on a saved version'
                    : 'Make this version active (confirmation follows)'
                }
                onClick={() => a.ask({ kind: 'promote', task: s.task, version: s.version, scope: null })}
              >
                {s.busy === 'promote' ? <Spinner label="Checking and promoting" /> : `Promote ${s.version ?? ''}`}
              </button>
              <button
                type="button"
                className="btn"
                data-testid="prompt-rollback"
                disabled={!tv?.canRollback || s.busy !== null}
                onClick={() => a.ask({ kind: 'rollback', task: s.task, version: null, scope: null })}
              >
                Roll back
              </button>
            </div>
            {s.message && (
              <div
                className={`pr-message ${s.message.kind}`}
                role={s.message.kind === 'error' ? 'alert' : 'status'}
                data-testid="prompt-message"
                data-kind={s.message.kind}
              >
                {s.message.text}
                {s.undo && s.message.undoable && (
                  <button
                    type="button"
                    className="btn small"
                    data-testid="prompt-undo"
                    onClick={() => void a.undoLast()}
                    title="Undo (Ctrl+Z)"
                  >
                    Undo
                  </button>
                )}
              </div>
            )}
            {s.leak && (
              <p className="small muted" data-testid="prompt-leak">
                {s.leak.message}
              </p>
            )}
          </section>

          <section>
            <h3>Compare versions</h3>
            <div className="pr-actions">
              <select
                aria-label="Diff from"
                data-testid="prompt-diff-from"
                value={from}
                onChange={(e) => void a.showDiff(e.target.value, to)}
              >
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {v.version}
                  </option>
                ))}
              </select>
              →
              <select aria-label="Diff to" data-testid="prompt-diff-to" value={to} onChange={(e) => void a.showDiff(from, e.target.value)}>
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {v.version}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="btn"
                data-testid="prompt-diff"
                disabled={versions.length < 2}
                onClick={() => void a.showDiff(from, to)}
              >
                Diff
              </button>
            </div>
          </section>

          <section>
            <h3>Run as experiment</h3>
            <p className="small muted">
              {tv?.model ?? 'The task’s model'} answers the chosen recorded tickets twice: with {tv?.modelActive ?? 'the active version'}{' '}
              (baseline) and with {s.version ?? 'this version'}. The report shows the two versions as two models.
            </p>
            <div className="pr-actions">
              <label className="small">
                From{' '}
                <select data-testid="prompt-exp-source" value={source} onChange={(e) => setSource(e.target.value)}>
                  <option value={'\u0000all'}>every recorded ticket</option>
                  {sources.map((x) => (
                    <option key={x.source ?? '\u0000none'} value={x.source ?? '\u0000none'}>
                      {x.source ?? 'no source'} ({x.count.toLocaleString('en-US')})
                    </option>
                  ))}
                </select>
              </label>
              <label className="small">
                First{' '}
                <input
                  type="number"
                  min={1}
                  max={10000}
                  value={limit}
                  data-testid="prompt-exp-limit"
                  onChange={(e) => setLimit(Math.max(1, Math.min(10_000, Number(e.target.value) || 1)))}
                  style={{ width: '6em' }}
                />
              </label>
              <button
                type="button"
                className="btn"
                data-testid="prompt-experiment"
                disabled={!s.version || s.version === tv?.modelActive || s.busy !== null}
                onClick={() => void startExperiment()}
              >
                {s.busy === 'experiment' ? <Spinner label="Starting" /> : 'Run as experiment'}
              </button>
            </div>
          </section>

          {tv && tv.history.length > 0 && (
            <section>
              <h3>History</h3>
              <ol className="small pr-history" data-testid="prompt-history">
                {tv.history.slice(0, 10).map((h) => (
                  <li key={h.id}>
                    {h.action === 'promote' ? 'promoted' : 'rolled back'} {h.fromVersion} → <strong>{h.version}</strong>
                    {h.scope ? ` for ${h.scope}` : ''} · {when(h.at)}
                  </li>
                ))}
              </ol>
            </section>
          )}
        </aside>
      </div>

      {s.diff && <PromptDiff diff={s.diff} onClose={() => a.closeDiff()} />}

      {s.confirm && <PromptConfirm confirm={s.confirm} tv={tv} actions={a} />}
      {s.busy && s.busy !== 'experiment' && (
        <p className="small muted pr-busy" role="status">
          {s.busy === 'promote' ? 'Running the leak check…' : s.busy === 'save' ? 'Saving…' : 'Rolling back…'}
        </p>
      )}
    </div>
  );
}
