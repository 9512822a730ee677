// The review screen's keys. One capture-phase listener on the window, active while the screen is
// shown: it acts only when focus is inside the screen — never when focus is elsewhere or nowhere
// (a name typed after a field vanished must not run shortcuts), never while typing in a field,
// never under a dialog or the palette — and it claims the keys it uses so the workbench's own
// bare keys (j/k move tickets, n new ticket, …) do not fire underneath.
import { useEffect, type RefObject } from 'react';
import { useApp } from '#renderer/app/stores.tsx';
import { isTypingTarget } from '#renderer/commands/keybindings.ts';
import { reviewKeyAction, type ReviewKeyAction } from './screenModel.ts';

export interface ReviewKeyHandlers {
  /** The screen's focus home (the answers). */
  focusSurface(): void;
  /** Esc in a field: true when it only cancelled something pending there (focus stays). */
  escapeInField(target: HTMLElement): boolean;
  dispatch(action: ReviewKeyAction): void;
}

export function useReviewKeys(queueId: string, rootRef: RefObject<HTMLElement | null>, h: ReviewKeyHandlers): void {
  const { stores } = useApp();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.isComposing) return;
      const root = rootRef.current;
      if (!root) return;
      const t = e.target instanceof HTMLElement ? e.target : null;
      if (!t || !root.contains(t)) return;
      const { paletteOpen, cheatSheetOpen } = stores.layout.getState();
      if (paletteOpen || cheatSheetOpen || document.querySelector('[data-modal-open]')) return;
      if (isTypingTarget(t) || t?.closest('[data-review-passthrough]')) {
        // Esc leaves a field (or the expected-details list) for the answers; every other key types.
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          if (!h.escapeInField(t)) h.focusSurface();
        }
        return;
      }
      const s = stores.review.getState().screens[queueId];
      const item = s?.view?.state === 'item' ? s.view.item : null;
      const action = item
        ? reviewKeyAction(e, item.task)
        : e.key === '?'
          ? ({ kind: 'help' } as const)
          : e.key === 'R' && s?.view
            ? ({ kind: 'results' } as const)
            : null;
      if (!action) return;
      // Tab moves between answers on the answers themselves; elsewhere (header buttons, the ticket
      // text) it moves focus as usual. Enter and Space on a button press the button.
      if (e.key === 'Tab' && t !== root && !t.closest('[data-review-surface]')) return;
      if ((e.key === 'Enter' || e.key === ' ') && /^(BUTTON|A|SELECT|SUMMARY)$/.test(t.tagName)) return;
      e.preventDefault();
      e.stopPropagation();
      h.dispatch(action);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [queueId, rootRef, h, stores]);
}
