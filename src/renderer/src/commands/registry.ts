import type { Command, CommandContext } from './types.ts';
import { currentTicket, openKeySettings, openTicketAt, rerunTicket } from './actions.ts';
import { ACTIVITIES } from '../features/layout/layoutStore.ts';
import { downloadText } from '../features/review/download.ts';
import { experimentCommands } from '../features/experiments/commands.ts';
import { promptCommands } from '../features/prompts/commands.ts';
import { resumableBatch, stoppableBatch } from '../features/status/statusStore.ts';
import { chooseTheme, THEME_PREFS } from '../app/theme.ts';

// Commands' types and the actions features share live in their own files, so a feature that
// contributes commands (features/<feature>/commands.ts) never imports this registry back.
export type { Command, CommandCategory, CommandContext } from './types.ts';
export { currentTicket, openKeySettings, openTicketAt, rerunTicket } from './actions.ts';

export function createCommands(ctx: CommandContext): Command[] {
  const { stores } = ctx;
  const layout = () => stores.layout.getState().actions;
  const editor = () => stores.editor.getState().actions;
  const tickets = () => stores.tickets.getState().actions;
  const activeTab = () => {
    const s = stores.editor.getState();
    return s.tabs.find((t) => t.id === s.activeId) ?? null;
  };
  const move = (delta: number) => () => {
    const row = tickets().move(delta);
    if (row) openTicketAt(stores, row.id, row.title, false);
  };
  const hasTicket = () => currentTicket(stores) !== null;

  const views: Command[] = ACTIVITIES.map((a) => ({
    id: `view.${a.id}`,
    title: `Show ${a.label}`,
    category: 'View' as const,
    keys: a.id === 'tickets' ? ['mod+shift+e'] : a.id === 'experiments' ? ['mod+shift+x'] : undefined,
    run: () => {
      layout().showActivity(a.id);
      if (a.id === 'settings') editor().openSettings();
      if (a.id === 'tickets') layout().requestFocus('list');
    },
  }));

  return [
    {
      id: 'workbench.commandPalette',
      title: 'Show All Commands',
      category: 'Help',
      keys: ['mod+shift+p', 'f1'],
      run: () => layout().openPalette(),
    },
    { id: 'workbench.shortcuts', title: 'Keyboard Shortcuts', category: 'Help', keys: ['?'], run: () => layout().toggleCheatSheet() },
    ...views,
    { id: 'workbench.toggleSidebar', title: 'Toggle Side Bar', category: 'View', keys: ['mod+b'], run: () => layout().toggleSidebar() },
    { id: 'workbench.togglePanel', title: 'Toggle Panel', category: 'View', keys: ['mod+j'], run: () => layout().togglePanel() },
    { id: 'workbench.timeline', title: 'Show Timeline', category: 'View', run: () => layout().showPanel('timeline') },
    { id: 'workbench.log', title: 'Show Log', category: 'View', run: () => layout().showPanel('log') },
    {
      id: 'tickets.new',
      title: 'New Ticket (paste)',
      category: 'Tickets',
      keys: ['n'],
      run: () => editor().openNewTicket(),
    },
    {
      id: 'tickets.openFile',
      title: 'Open Ticket File (JSONL or CSV)…',
      category: 'Tickets',
      keys: ['o'],
      run: () => ctx.openTicketFile(),
    },
    {
      id: 'tickets.search',
      title: 'Search Tickets',
      category: 'Tickets',
      keys: ['/'],
      run: () => {
        layout().showActivity('tickets');
        layout().requestFocus('search');
      },
    },
    { id: 'tickets.next', title: 'Next Ticket', category: 'Tickets', keys: ['j', 'down'], listKeys: true, run: move(1) },
    { id: 'tickets.prev', title: 'Previous Ticket', category: 'Tickets', keys: ['k', 'up'], listKeys: true, run: move(-1) },
    {
      id: 'tickets.open',
      title: 'Open Selected Ticket',
      category: 'Tickets',
      keys: ['enter'],
      listKeys: true,
      enabled: () => tickets().selected() !== null,
      run: () => {
        const row = tickets().selected();
        if (row) {
          openTicketAt(stores, row.id, row.title, true);
          layout().requestFocus('editor');
        }
      },
    },
    { id: 'tickets.clearFilters', title: 'Clear Ticket Filters', category: 'Tickets', run: () => tickets().clearFilters() },
    {
      id: 'tickets.showFailed',
      title: 'Show Tickets with Failed Tasks',
      category: 'Tickets',
      run: () => {
        layout().showActivity('tickets');
        tickets().setFilter({ failed: true });
      },
    },
    {
      id: 'tickets.resume',
      title: 'Resume Interrupted Tickets',
      category: 'Tickets',
      run: async () => {
        const r = await ctx.transport.request('triage.resumeInterrupted', {});
        stores.log
          .getState()
          .actions.add(
            r.ok ? 'info' : 'error',
            r.ok
              ? r.data.confirm
                ? `${r.data.queued} interrupted tickets wait for your go-ahead (see the batch bar)`
                : `Resuming ${r.data.queued} interrupted tickets`
              : r.error.message,
          );
      },
    },
    {
      id: 'batch.stop',
      title: 'Stop Batch',
      category: 'Tickets',
      enabled: () => stoppableBatch(stores.status.getState()) !== undefined,
      run: () => stores.status.getState().actions.stopBatch(stoppableBatch(stores.status.getState())?.runId),
    },
    {
      id: 'batch.resume',
      title: 'Resume Batch',
      category: 'Tickets',
      enabled: () => resumableBatch(stores.status.getState()) !== undefined,
      run: () => stores.status.getState().actions.resumeBatch(resumableBatch(stores.status.getState())?.runId),
    },
    {
      id: 'ticket.rerun',
      title: 'Re-run Ticket',
      category: 'Ticket',
      keys: ['r'],
      enabled: hasTicket,
      run: () => {
        const t = currentTicket(stores);
        if (t) void rerunTicket(stores, t.id);
      },
    },
    {
      id: 'ticket.cancel',
      title: 'Cancel Running Ticket',
      category: 'Ticket',
      keys: ['mod+.'],
      enabled: () => {
        const t = currentTicket(stores);
        return t !== null && stores.ticket.getState().views[t.id]?.state === 'running';
      },
      run: () => {
        const t = currentTicket(stores);
        if (t) void stores.ticket.getState().actions.cancel(t.id);
      },
    },
    {
      id: 'ticket.compare',
      title: 'Compare Models on Ticket…',
      category: 'Ticket',
      keys: ['c'],
      enabled: hasTicket,
      run: () => {
        const t = currentTicket(stores);
        if (!t) return;
        const s = stores.settings.getState().settings;
        const suggested = s ? [...new Set(Object.values(s.assignment))] : [];
        stores.compare.getState().actions.openPicker(t.id, t.title, suggested);
      },
    },
    {
      id: 'ticket.pin',
      title: 'Keep Editor Open (pin preview)',
      category: 'Editor',
      enabled: () => activeTab()?.preview === true,
      run: () => {
        const t = activeTab();
        if (t) editor().pin(t.id);
      },
    },
    {
      id: 'editor.close',
      title: 'Close Editor',
      category: 'Editor',
      keys: ['alt+w'],
      enabled: () => activeTab() !== null,
      run: () => editor().closeActive(),
    },
    { id: 'editor.next', title: 'Next Editor', category: 'Editor', keys: [']'], run: () => editor().cycle(1) },
    { id: 'editor.prev', title: 'Previous Editor', category: 'Editor', keys: ['['], run: () => editor().cycle(-1) },
    ...experimentCommands(stores, (provider) => openKeySettings(stores, provider)),
    ...promptCommands(stores),
    {
      id: 'review.newQueue',
      title: 'New Review Queue…',
      category: 'Review',
      run: () => {
        layout().showActivity('review');
        stores.review.getState().actions.openCreate();
      },
    },
    {
      id: 'review.results',
      title: 'Open Review Results',
      category: 'Review',
      run: () => {
        const tab = activeTab();
        stores.review.getState().actions.setResultsScope({ queueId: tab?.kind === 'review' ? tab.queueId : null });
        editor().openReviewResults();
      },
    },
    {
      id: 'review.import',
      title: 'Import Reviews (JSONL)…',
      category: 'Review',
      run: () => stores.review.getState().actions.requestImport(),
    },
    {
      id: 'review.export',
      title: 'Export Reviews (JSONL)',
      category: 'Review',
      run: async () => {
        const x = await stores.review.getState().actions.exportReviews(null);
        if (x) downloadText(x.fileName, x.text);
      },
    },
    {
      id: 'traces.open',
      title: 'Open Trace File…',
      category: 'Traces',
      run: () => {
        layout().showActivity('traces');
        stores.traces.getState().actions.requestOpen();
      },
    },
    {
      id: 'traces.cancel',
      title: 'Cancel Trace Import',
      category: 'Traces',
      enabled: () => stores.traces.getState().importing !== null && !stores.traces.getState().cancelling,
      run: () => stores.traces.getState().actions.cancel(),
    },
    {
      id: 'settings.open',
      title: 'Open Settings',
      category: 'Settings',
      keys: ['mod+,'],
      run: () => {
        layout().showActivity('settings');
        editor().openSettings();
      },
    },
    {
      id: 'settings.keys',
      title: 'Set Provider Keys',
      category: 'Settings',
      run: () => {
        layout().showActivity('settings');
        editor().openSettings('keys');
      },
    },
    {
      id: 'settings.assignment',
      title: 'Change Model Assignment',
      category: 'Settings',
      run: () => {
        layout().showActivity('settings');
        editor().openSettings('assignment');
      },
    },
    ...THEME_PREFS.map((t) => ({
      id: `theme.${t.id}`,
      title: t.id === 'system' ? 'Theme: System (follow the OS)' : `Theme: ${t.label}`,
      category: 'Settings' as const,
      run: () => chooseTheme(t.id, ctx.transport),
    })),
    {
      id: 'settings.watch',
      title: 'Watch a Folder for Tickets',
      category: 'Settings',
      run: () => {
        layout().showActivity('settings');
        editor().openSettings('intake');
      },
    },
  ];
}
