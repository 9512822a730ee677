import { describe, expect, it } from 'vitest';
import { createCompareStore } from '../features/compare/compareStore.ts';
import { createEditorStore } from '../features/editor/editorStore.ts';
import { createRunsStore } from '../features/experiments/runsStore.ts';
import { createExperimentsStore } from '../features/experiments/experimentsStore.ts';
import { createLayoutStore } from '../features/layout/layoutStore.ts';
import { createLogStore } from '../features/log/logStore.ts';
import { createReviewStore } from '../features/review/reviewStore.ts';
import { createSettingsStore, missingKeys } from '../features/settings/settingsStore.ts';
import { createStatusStore } from '../features/status/statusStore.ts';
import { createTicketStore } from '../features/ticket/ticketStore.ts';
import { createTicketsStore } from '../features/tickets/ticketsStore.ts';
import { createTracesStore } from '../features/traces/tracesStore.ts';
import { createPromptsStore } from '../features/prompts/promptsStore.ts';
import { fakeTransport } from '../platform/fakeTransport.ts';
import type { Stores } from '../app/stores.tsx';
import { parseChord } from './keybindings.ts';
import { createCommands, openKeySettings } from './registry.ts';

function setup() {
  const t = fakeTransport();
  const stores: Stores = {
    layout: createLayoutStore(),
    editor: createEditorStore(),
    tickets: createTicketsStore(t),
    ticket: createTicketStore(t),
    compare: createCompareStore(t),
    runs: createRunsStore(t),
    experiments: createExperimentsStore(t),
    settings: createSettingsStore(t),
    status: createStatusStore(t),
    log: createLogStore(t),
    review: createReviewStore(t),
    traces: createTracesStore(t),
    prompts: createPromptsStore(t),
  };
  let opened = 0;
  const commands = createCommands({ stores, transport: t, openTicketFile: () => opened++ });
  return { t, stores, commands, opened: () => opened };
}

describe('command registry', () => {
  it('binds each chord to one command only, and every chord parses', () => {
    const { commands } = setup();
    const chords = commands.flatMap((c) => c.keys ?? []);
    expect(new Set(chords).size).toBe(chords.length);
    for (const c of chords) expect(() => parseChord(c)).not.toThrow();
    const ids = commands.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has the issue’s keys: palette, ?, j/k, Enter, r', () => {
    const { commands } = setup();
    const keysOf = (id: string) => commands.find((c) => c.id === id)?.keys;
    expect(keysOf('workbench.commandPalette')).toContain('mod+shift+p');
    expect(keysOf('workbench.shortcuts')).toEqual(['?']);
    expect(keysOf('tickets.next')).toEqual(['j', 'down']);
    expect(keysOf('tickets.prev')).toEqual(['k', 'up']);
    expect(keysOf('tickets.open')).toEqual(['enter']);
    expect(keysOf('ticket.rerun')).toEqual(['r']);
  });

  it('moves through tickets into a preview tab and opens the selection pinned', async () => {
    const { t, stores, commands } = setup();
    t.on('tickets.list', () => ({
      ok: true,
      data: {
        total: 2,
        products: [],
        rows: ['A', 'B'].map((id) => ({
          id,
          title: `ticket ${id}`,
          source: null,
          addedAt: 0,
          state: 'done' as const,
          runId: null,
          platform: null,
          product: null,
          severity: null,
          hasDetails: null,
          failed: 0,
          doneTasks: 0,
          totalMs: null,
        })),
      },
    }));
    t.on('tickets.get', () => ({ ok: false, error: { code: 'BAD_INPUT', message: 'x' } }));
    await stores.tickets.getState().actions.refresh();
    const run = (id: string) => commands.find((c) => c.id === id)!.run();
    run('tickets.next');
    run('tickets.next');
    expect(stores.editor.getState().tabs).toEqual([expect.objectContaining({ id: 'ticket:B', preview: true })]);
    run('tickets.open');
    expect(stores.editor.getState().tabs).toEqual([expect.objectContaining({ id: 'ticket:B', preview: false })]);
  });

  it('points Settings at the provider a refusal names', async () => {
    // KEY_MISSING carries the provider as data; Settings opens at the keys with that provider marked.
    const { stores } = setup();
    openKeySettings(stores, 'openai');
    expect(stores.settings.getState().attention).toBe('openai');
    expect(stores.layout.getState().activity).toBe('settings');
    expect(
      missingKeys({ platform: 'groq:x', severity: 'openai:y' }, [
        { provider: 'groq', set: true, last4: 'abcd', source: 'keychain' },
        { provider: 'openai', set: false, last4: null, source: null },
      ]),
    ).toEqual(['openai']);
  });

  it('offers Cancel Trace Import only while an import runs, and asks the host to stop it', async () => {
    const { t, stores, commands } = setup();
    const cancel = commands.find((c) => c.id === 'traces.cancel')!;
    expect(cancel.enabled!()).toBe(false);
    let finish: (v: unknown) => void = () => {};
    t.on('traces.importPath', () => new Promise((r) => (finish = r)) as never);
    t.on('traces.cancel', () => ({ ok: true, data: { cancelled: 1 } }));
    const importing = stores.traces.getState().actions.importPath('/data/big.otlp.jsonl');
    expect(stores.traces.getState().importing).toBe('big.otlp.jsonl');
    expect(cancel.enabled!()).toBe(true);
    await cancel.run();
    expect(t.calls.map((c) => c.route)).toContain('traces.cancel');
    expect(cancel.enabled!()).toBe(false); // asked once; the button says Cancelling…
    finish({ ok: false, error: { code: 'CANCELLED', message: 'import of big.otlp.jsonl cancelled; nothing of it was written' } });
    expect(await importing).toBeNull();
    expect(stores.traces.getState()).toMatchObject({ importing: null, cancelling: false, last: { error: { code: 'CANCELLED' } } });
  });
});
