import { describe, expect, it } from 'vitest';
import { createLayoutStore } from './layoutStore.ts';

describe('workbench layout', () => {
  it('hides the side bar when its visible activity is chosen again, and saves every change', () => {
    const saved: unknown[] = [];
    const s = createLayoutStore((v) => saved.push(v));
    const a = s.getState().actions;
    a.showActivity('experiments', { toggle: true });
    expect(s.getState()).toMatchObject({ activity: 'experiments', sidebarVisible: true });
    a.showActivity('experiments', { toggle: true });
    expect(s.getState().sidebarVisible).toBe(false);
    a.saveSizes('wb-h', { sidebar: 20, main: 80 });
    expect(saved.at(-1)).toMatchObject({ activity: 'experiments', sidebarVisible: false, sizes: { 'wb-h': { sidebar: 20, main: 80 } } });
  });

  it('restores what was saved, dropping values that are not sizes', () => {
    const s = createLayoutStore();
    s.getState().actions.hydrate({
      activity: 'settings',
      panelVisible: false,
      panelTab: 'log',
      sizes: { 'wb-v': { editor: 70, panel: 30 }, bad: { x: 'no' } },
    });
    expect(s.getState()).toMatchObject({
      activity: 'settings',
      panelVisible: false,
      panelTab: 'log',
      sizes: { 'wb-v': { editor: 70, panel: 30 } },
    });
    expect(s.getState().sizes.bad).toBeUndefined();
    s.getState().actions.hydrate({ activity: 'nope' });
    expect(s.getState().activity).toBe('settings');
  });
});
