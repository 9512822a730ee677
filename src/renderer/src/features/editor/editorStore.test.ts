import { describe, expect, it } from 'vitest';
import { createEditorStore } from './editorStore.ts';

describe('editor tabs', () => {
  it('keeps one preview tab that the next preview replaces; pinning keeps it', () => {
    const saved: unknown[] = [];
    const s = createEditorStore((v) => saved.push(v));
    const a = s.getState().actions;
    a.openTicket('T1', 'one');
    a.openTicket('T2', 'two');
    expect(s.getState().tabs.map((t) => t.id)).toEqual(['ticket:T2']);
    a.pin('ticket:T2');
    a.openTicket('T3', 'three');
    expect(s.getState().tabs.map((t) => [t.id, t.preview])).toEqual([
      ['ticket:T2', false],
      ['ticket:T3', true],
    ]);
    a.openTicket('T3', 'three', { preview: false });
    expect(s.getState().tabs.find((t) => t.id === 'ticket:T3')?.preview).toBe(false);
    expect(saved.length).toBeGreaterThan(0);
  });

  it('turns the new-ticket tab into the pasted ticket, and closing picks a neighbour', () => {
    const s = createEditorStore();
    const a = s.getState().actions;
    a.openTicket('T1', 'one', { preview: false });
    a.openNewTicket();
    a.replaceNewWithTicket('T9', 'pasted');
    expect(s.getState().tabs.map((t) => t.id)).toEqual(['ticket:T1', 'ticket:T9']);
    expect(s.getState().activeId).toBe('ticket:T9');
    a.close('ticket:T9');
    expect(s.getState().activeId).toBe('ticket:T1');
  });

  it('restores saved tabs and ignores junk', () => {
    const s = createEditorStore();
    s.getState().actions.hydrate({
      tabs: [{ kind: 'ticket', ticketId: 'T1', title: 'a' }, { kind: 'bogus' }, { kind: 'settings' }],
      activeId: 'settings',
    });
    expect(s.getState().tabs.map((t) => t.id)).toEqual(['ticket:T1', 'settings']);
    expect(s.getState().activeId).toBe('settings');
  });
});
