// Renderer entry: one transport, the feature stores, the saved workbench state, then React.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@vscode/codicons/dist/codicon.css';
import './styles.css';
import './styles/shell.css';
import './styles/lists.css';
import './styles/controls.css';
import './styles/panels.css';
import { App } from './app/App.tsx';
import { debounce } from './app/debounce.ts';
import { StoresProvider, type Stores } from './app/stores.tsx';
import { applyTheme, isThemePref, localThemePref } from './app/theme.ts';
import { createCompareStore } from './features/compare/compareStore.ts';
import { createEditorStore } from './features/editor/editorStore.ts';
import { createRunsStore } from './features/experiments/runsStore.ts';
import { createExperimentsStore } from './features/experiments/experimentsStore.ts';
import { createLayoutStore } from './features/layout/layoutStore.ts';
import { createLogStore } from './features/log/logStore.ts';
import { createReviewStore } from './features/review/reviewStore.ts';
import { createSettingsStore } from './features/settings/settingsStore.ts';
import { createStatusStore } from './features/status/statusStore.ts';
import { createTicketStore } from './features/ticket/ticketStore.ts';
import { createTicketsStore } from './features/tickets/ticketsStore.ts';
import { createTracesStore } from './features/traces/tracesStore.ts';
import { createPromptsStore } from './features/prompts/promptsStore.ts';
import { createTransport } from './platform/transport.ts';

// The last theme this window used, before anything paints; the workspace's follows at boot.
applyTheme(localThemePref());
const transport = createTransport();
// Workbench state is saved through the host, so it survives restarts (and a new port in browser mode).
const saver = (key: 'layout' | 'editor') => debounce((value: unknown) => void transport.request('ui.save', { key, value }), 400);
const saveLayout = saver('layout');
const saveEditor = saver('editor');
// A reload or a closed tab within the debounce would lose the last change (the tab just opened).
addEventListener('pagehide', () => {
  saveLayout.flush();
  saveEditor.flush();
});
const stores: Stores = {
  layout: createLayoutStore(saveLayout),
  editor: createEditorStore(saveEditor),
  tickets: createTicketsStore(transport),
  ticket: createTicketStore(transport),
  compare: createCompareStore(transport),
  runs: createRunsStore(transport),
  experiments: createExperimentsStore(transport),
  settings: createSettingsStore(transport),
  status: createStatusStore(transport),
  log: createLogStore(transport),
  review: createReviewStore(transport),
  traces: createTracesStore(transport),
  prompts: createPromptsStore(transport),
};
for (const s of Object.values(stores)) {
  const a = (s.getState() as { actions: { attach?: () => void } }).actions;
  a.attach?.();
}

async function boot(): Promise<void> {
  if (!transport.problem) {
    void stores.tickets.getState().actions.refresh();
    void stores.runs.getState().actions.refresh();
    // The saved layout is applied before the first paint so panes do not jump.
    await Promise.race([stores.settings.getState().actions.load(), new Promise((r) => setTimeout(r, 1500))]);
    const ui = stores.settings.getState().settings?.ui;
    if (ui) {
      if (isThemePref(ui['theme'])) applyTheme(ui['theme']);
      stores.layout.getState().actions.hydrate(ui.layout);
      stores.editor.getState().actions.hydrate(ui.editor);
    }
  }
  const rootEl = document.getElementById('root');
  if (!rootEl) throw new Error('#root missing');
  createRoot(rootEl).render(
    <StrictMode>
      <StoresProvider value={{ stores, transport }}>
        <App problem={transport.problem} />
      </StoresProvider>
    </StrictMode>,
  );
}

void boot();
