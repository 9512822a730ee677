// Focus moved by work that finishes later (a queue item loading after a reload, say) must not take
// the keyboard from a dialog the user opened meanwhile: the palette would lose its Enter to the view
// behind it. Focus that a user's own key press asks for does not need this.

/** Focuses `el` unless focus sits in an open dialog outside it. */
export function focusUnlessInDialog(el: HTMLElement | null | undefined): void {
  if (!el) return;
  const active = document.activeElement;
  if (active && active !== document.body && !el.contains(active) && active.closest('[role="dialog"], [role="alertdialog"]')) return;
  el.focus();
}
