// Actions several features and commands share: the ticket a command acts on, re-running a ticket,
// opening Settings at a provider's key, opening a ticket. No command registry here, so features
// import them without a cycle.
import type { Stores } from '../app/stores.tsx';
import type { TaskId } from '#shared/tasks.ts';
import type { KeyProviderId } from '#shared/providers.ts';

/** The ticket a ticket command acts on: the active ticket tab, else the list's selection. */
export function currentTicket(stores: Stores): { id: string; title: string } | null {
  const { tabs, activeId } = stores.editor.getState();
  const tab = tabs.find((t) => t.id === activeId);
  if (tab?.kind === 'ticket') return { id: tab.ticketId, title: tab.title };
  const sel = stores.tickets.getState().actions.selected();
  return sel ? { id: sel.id, title: sel.title } : null;
}

/** Re-runs a ticket (or one task), pointing Settings at a missing key when that is why it was refused. */
export async function rerunTicket(stores: Stores, ticketId: string, task?: TaskId, opts?: { skipInfoGate?: boolean }): Promise<void> {
  const ok = await stores.ticket.getState().actions.rerun(ticketId, task, opts);
  if (!ok) {
    const err = stores.ticket.getState().views[ticketId]?.actionError;
    if (err?.code === 'KEY_MISSING') openKeySettings(stores, err.provider ?? null);
  }
}

/** Opens Settings at the provider keys, highlighting the provider whose key is missing (KEY_MISSING's `provider`). */
export function openKeySettings(stores: Stores, provider: KeyProviderId | null): void {
  stores.settings.getState().actions.needKey(provider);
  stores.layout.getState().actions.showActivity('settings');
  stores.editor.getState().actions.openSettings('keys');
}

export function openTicketAt(stores: Stores, ticketId: string, title: string, pin: boolean): void {
  stores.editor.getState().actions.openTicket(ticketId, title, { preview: !pin });
  void stores.ticket.getState().actions.open(ticketId);
}
