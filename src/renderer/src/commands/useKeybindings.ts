// One window-level key listener for every command with keys (the registry is the only source).
import { useEffect } from 'react';
import { useApp } from '../app/stores.tsx';
import type { Command } from './registry.ts';
import { IS_MAC, isTypingTarget, matchesChord, parseChord, worksWhileTyping } from './keybindings.ts';

const LIST_ONLY_KEYS = new Set(['arrowdown', 'arrowup', 'enter']);
const OVERLAY_SAFE = new Set(['workbench.commandPalette', 'workbench.shortcuts']);

/** Whether list keys (arrows, Enter) may act: focus is on the ticket list, or on nothing in particular. */
function listKeysApply(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || el === document.body || el === document.documentElement) return true;
  if (el.closest?.('[data-ticket-list]')) return true;
  return false;
}

export function useKeybindings(commands: Command[]): void {
  const { stores } = useApp();
  useEffect(() => {
    const bound = commands.flatMap((c) => (c.keys ?? []).map((k) => ({ c, chord: parseChord(k) })));
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.isComposing) return;
      const { paletteOpen, cheatSheetOpen } = stores.layout.getState();
      const overlay = paletteOpen || cheatSheetOpen || document.querySelector('[data-modal-open]') !== null;
      const typing = isTypingTarget(e.target);
      for (const { c, chord } of bound) {
        if (!matchesChord(e, chord, IS_MAC)) continue;
        if (overlay && !OVERLAY_SAFE.has(c.id)) continue;
        if (typing && !worksWhileTyping(chord)) continue;
        if (c.listKeys && LIST_ONLY_KEYS.has(chord.key) && !listKeysApply(e.target)) continue;
        if (c.enabled && !c.enabled()) continue;
        e.preventDefault();
        void c.run();
        return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [commands, stores]);
}
