// The editor area: a tab strip (preview tabs in italics, as in VS Code) over the active editor.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Icon } from '#renderer/app/ui.tsx';
import { TicketEditor } from '../ticket/TicketEditor.tsx';
import { NewTicketEditor } from '../ticket/NewTicketEditor.tsx';
import { CompareEditor } from '../compare/CompareEditor.tsx';
import { RunEditor } from '../experiments/RunEditor.tsx';
import { SettingsEditor } from '../settings/SettingsEditor.tsx';
import { ReviewEditor } from '../review/ReviewEditor.tsx';
import { ReviewResultsEditor } from '../review/ReviewResultsEditor.tsx';
import { TraceImportEditor } from '../traces/TraceImportEditor.tsx';
import { SetupEditor } from '../experiments/SetupEditor.tsx';
import { TraceEditor } from '../traceView/TraceEditor.tsx';
import { TraceReviewEditor } from '../traceView/TraceReviewEditor.tsx';
import { Welcome } from '../welcome/Welcome.tsx';
import { PromptsEditor } from '../prompts/PromptsEditor.tsx';
import type { EditorTab } from './editorStore.ts';

const TAB_ICONS: Record<EditorTab['kind'], string> = {
  ticket: 'mail',
  new: 'new-file',
  compare: 'split-horizontal',
  run: 'beaker',
  settings: 'settings-gear',
  review: 'checklist',
  reviewResults: 'graph',
  traceImport: 'pulse',
  experimentSetup: 'beaker',
  trace: 'list-tree',
  traceReview: 'checklist',
  prompts: 'symbol-string',
};

function TabStrip() {
  const { stores } = useApp();
  const tabs = useS('editor', (s) => s.tabs);
  const activeId = useS('editor', (s) => s.activeId);
  // A string, so the strip re-renders only when which tickets are running changes.
  const running = useS('ticket', (s) =>
    Object.values(s.views)
      .filter((v) => v.state === 'running')
      .map((v) => v.ticketId)
      .join('\n'),
  );
  const runningSet = new Set(running.split('\n'));
  const actions = stores.editor.getState().actions;
  const strip = useRef<HTMLDivElement>(null);
  const [overflowing, setOverflowing] = useState(false);
  // More tabs than fit: the strip scrolls, the active tab is scrolled into view, and a list button
  // at the end names every open editor.
  // biome-ignore lint/correctness/useExhaustiveDependencies: tabs.length is the trigger: a tab opened or closed may change whether the strip overflows
  useLayoutEffect(() => {
    const el = strip.current;
    if (!el) return;
    const check = () => setOverflowing(el.scrollWidth > el.clientWidth + 1);
    check();
    const ro = new ResizeObserver(check);
    ro.observe(el);
    return () => ro.disconnect();
  }, [tabs.length]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: activeId and tabs.length are the trigger: scroll the active tab into view when it changes
  useEffect(() => {
    strip.current
      ?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')
      ?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [activeId, tabs.length]);
  return (
    <div className="tabbar">
      <div className="tabstrip" role="tablist" aria-label="Open editors" ref={strip} data-testid="tabstrip">
        {tabs.map((t) => {
          const isRunning = t.kind === 'ticket' && runningSet.has(t.ticketId);
          const active = t.id === activeId;
          return (
            <div
              key={t.id}
              role="tab"
              aria-selected={active}
              tabIndex={active ? 0 : -1}
              data-testid="editor-tab"
              data-tab-id={t.id}
              className={`tab${active ? ' active' : ''}${t.preview ? ' preview' : ''}`}
              title={t.preview ? `${t.title} (preview: opening another ticket replaces it; double-click to keep it)` : t.title}
              onClick={() => actions.activate(t.id)}
              onDoubleClick={() => actions.pin(t.id)}
              onAuxClick={(e) => e.button === 1 && actions.close(t.id)}
              onKeyDown={(e) => {
                if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                  e.preventDefault();
                  actions.cycle(e.key === 'ArrowRight' ? 1 : -1);
                }
              }}
            >
              <Icon name={isRunning ? 'loading' : TAB_ICONS[t.kind]} className={isRunning ? 'codicon-modifier-spin' : ''} />
              <span className="tab-title">{t.title}</span>
              <button
                type="button"
                className="tab-close"
                aria-label={`Close ${t.title}`}
                tabIndex={-1}
                onClick={(e) => {
                  e.stopPropagation();
                  actions.close(t.id);
                }}
              >
                <Icon name="close" />
              </button>
            </div>
          );
        })}
      </div>
      {overflowing && <TabList />}
    </div>
  );
}

/** Every open editor in a menu: for when the strip cannot show them all. */
function TabList() {
  const { stores } = useApp();
  const tabs = useS('editor', (s) => s.tabs);
  const activeId = useS('editor', (s) => s.activeId);
  const [open, setOpen] = useState(false);
  const menu = useRef<HTMLUListElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>('[aria-current="true"], button')?.focus();
    const away = (e: MouseEvent) => {
      if (!menu.current?.contains(e.target as Node) && e.target !== button.current) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);
  const pick = (id: string) => {
    stores.editor.getState().actions.activate(id);
    setOpen(false);
    button.current?.focus();
  };
  return (
    <div className="tablist-wrap">
      <button
        ref={button}
        type="button"
        className="icon-btn tablist-btn"
        aria-haspopup="menu"
        aria-expanded={open}
        title={`All ${tabs.length} open editors`}
        aria-label={`Show all ${tabs.length} open editors`}
        onClick={() => setOpen(!open)}
        data-testid="tablist-button"
      >
        <Icon name="chevron-down" /> <span className="tabular small">{tabs.length}</span>
      </button>
      {open && (
        <ul
          ref={menu}
          className="tablist-menu"
          role="menu"
          aria-label="Open editors"
          data-testid="tablist-menu"
          onKeyDown={(e) => {
            const items = [...(menu.current?.querySelectorAll<HTMLElement>('button') ?? [])];
            const i = items.indexOf(document.activeElement as HTMLElement);
            if (e.key === 'Escape') {
              e.preventDefault();
              setOpen(false);
              button.current?.focus();
            } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
            }
          }}
        >
          {tabs.map((t) => (
            <li key={t.id} role="none">
              <button
                type="button"
                role="menuitem"
                aria-current={t.id === activeId ? 'true' : undefined}
                className={t.id === activeId ? 'active' : ''}
                onClick={() => pick(t.id)}
                data-testid="tablist-item"
              >
                <Icon name={TAB_ICONS[t.kind]} /> <span className={t.preview ? 'preview' : ''}>{t.title}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function EditorArea() {
  const { stores } = useApp();
  const tabs = useS('editor', (s) => s.tabs);
  const active = useS('editor', (s) => s.tabs.find((t) => t.id === s.activeId) ?? null);
  // Keep only open editors' live state in memory.
  useEffect(() => {
    stores.ticket.getState().actions.retain(tabs.flatMap((t) => (t.kind === 'ticket' ? [t.ticketId] : [])));
    stores.compare.getState().actions.retain(tabs.flatMap((t) => (t.kind === 'compare' ? [`${t.runId}:${t.ticketId}`] : [])));
  }, [tabs, stores]);
  return (
    <section className="editor-area" aria-label="Editor">
      {tabs.length > 0 && <TabStrip />}
      <div className="editor-body" role="tabpanel">
        {!active && <Welcome />}
        {active?.kind === 'ticket' && <TicketEditor key={active.ticketId} ticketId={active.ticketId} />}
        {active?.kind === 'new' && <NewTicketEditor />}
        {active?.kind === 'compare' && <CompareEditor key={active.id} runId={active.runId} ticketId={active.ticketId} />}
        {active?.kind === 'run' && <RunEditor key={active.runId} runId={active.runId} />}
        {active?.kind === 'settings' && <SettingsEditor />}
        {active?.kind === 'review' && <ReviewEditor key={active.queueId} queueId={active.queueId} />}
        {active?.kind === 'reviewResults' && <ReviewResultsEditor />}
        {active?.kind === 'traceImport' && <TraceImportEditor key={active.runId} runId={active.runId} />}
        {active?.kind === 'experimentSetup' && <SetupEditor />}
        {active?.kind === 'trace' && <TraceEditor key={active.callId} callId={active.callId} />}
        {active?.kind === 'traceReview' && <TraceReviewEditor key={active.queueId} queueId={active.queueId} />}
        {active?.kind === 'prompts' && <PromptsEditor />}
      </div>
    </section>
  );
}
