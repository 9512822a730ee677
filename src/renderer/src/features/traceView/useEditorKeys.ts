// Keys of an editor screen (trace view, trace review): one capture-phase listener on the window,
// acting when focus is in the screen (or nowhere in particular), never while typing in a field,
// never under a dialog or the palette; a key the screen uses is claimed so the workbench's own
// bare keys (j/k move tickets, n new ticket, …) do not fire underneath.
import { useEffect, useRef, type RefObject } from 'react';
import { useApp } from '#renderer/app/stores.tsx';
import { isTypingTarget } from '#renderer/commands/keybindings.ts';

/** handle returns true when it used the key. Escape in a field of the screen returns focus to the screen. */
export function useEditorKeys(rootRef: RefObject<HTMLElement | null>, handle: (key: string, e: KeyboardEvent) => boolean): void {
  const { stores } = useApp();
  const h = useRef(handle);
  h.current = handle;
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.isComposing || e.ctrlKey || e.metaKey || e.altKey) return;
      const root = rootRef.current;
      if (!root) return;
      const t = e.target instanceof HTMLElement ? e.target : null;
      const onBody = !t || t === document.body || t === document.documentElement;
      if (!onBody && !root.contains(t)) return;
      const { paletteOpen, cheatSheetOpen } = stores.layout.getState();
      if (paletteOpen || cheatSheetOpen || document.querySelector('[data-modal-open]')) return;
      if (isTypingTarget(t)) {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          root.focus();
        }
        return;
      }
      if ((e.key === 'Enter' || e.key === ' ') && t && /^(BUTTON|A|SELECT|SUMMARY)$/.test(t.tagName)) return;
      if (h.current(e.key, e)) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [rootRef, stores]);
}
