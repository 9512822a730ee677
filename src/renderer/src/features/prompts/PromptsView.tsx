// The Prompts side bar: every task with its prompt versions — the active one marked, shipped or
// saved in this workspace, when and by whom, how many recorded calls used it. A version opens in
// the prompt editor (Enter or click); each task's Roll back is here too.
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { type TASK_IDS, TASKS } from '#shared/tasks.ts';
import { useApp } from '#renderer/app/stores.tsx';
import { EmptyState, Icon, Spinner } from '#renderer/app/ui.tsx';
import { SideBarHeader } from '../layout/SideBar.tsx';
import './prompts.css';

export const when = (ms: number | null): string =>
  ms === null ? 'shipped' : new Date(ms).toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

export function PromptsView() {
  const { stores } = useApp();
  const s = useStore(stores.prompts);
  useEffect(() => {
    void s.actions.refresh();
  }, [s.actions]);
  const open = (task: (typeof TASK_IDS)[number], version: string): void => {
    s.actions.select(task, version);
    stores.editor.getState().actions.openPrompts();
  };
  return (
    <div className="pr-view" data-testid="prompts-view">
      <SideBarHeader title="Prompts">
        <button
          type="button"
          className="btn icon small"
          aria-label="Refresh prompt versions"
          title="Refresh"
          onClick={() => void s.actions.refresh()}
        >
          <Icon name="refresh" />
        </button>
      </SideBarHeader>
      {s.loadError && (
        <p className="small error" role="alert">
          {s.loadError.message}
        </p>
      )}
      {!s.tasks && !s.loadError && <Spinner label="Loading prompt versions" />}
      {s.tasks && s.tasks.length === 0 && <EmptyState icon="symbol-string" title="No prompts" />}
      {s.tasks?.map((t) => (
        <section
          key={t.task}
          className="pr-task"
          data-testid="prompt-task"
          data-task={t.task}
          aria-label={`${TASKS[t.task].label} prompt versions`}
        >
          <h3 className="pr-task-title">
            {TASKS[t.task].label}
            <span className="small muted">
              {' '}
              · active {t.active}
              {t.modelActive !== t.active ? ` (${t.model}: ${t.modelActive})` : ''}
            </span>
          </h3>
          <ul className="pr-versions">
            {[...t.versions].reverse().map((v) => {
              const active = v.version === t.active;
              const selected = s.task === t.task && s.version === v.version;
              return (
                <li key={v.version}>
                  <button
                    type="button"
                    className={`pr-version${selected ? ' selected' : ''}`}
                    data-testid="prompt-version"
                    data-task={t.task}
                    data-version={v.version}
                    data-active={active ? 'true' : 'false'}
                    aria-current={selected ? 'true' : undefined}
                    aria-label={`${TASKS[t.task].label} ${v.version}${active ? ', active' : ''}, ${v.source}, ${v.calls} calls`}
                    onClick={() => open(t.task, v.version)}
                  >
                    <span className="mono pr-v">{v.version}</span>
                    {active && (
                      <span className="pr-badge" data-testid="prompt-active-badge">
                        active
                      </span>
                    )}
                    <span className="small muted pr-meta">
                      {v.source === 'shipped' ? 'shipped' : `${when(v.createdAt)}${v.author ? ` · ${v.author}` : ''}`} ·{' '}
                      {v.calls.toLocaleString('en-US')} calls
                    </span>
                    {v.note && <span className="small pr-note">{v.note}</span>}
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}
