// Key chords as data ("mod+shift+p", "j", "?") and matching them against keyboard events.
// "mod" is Cmd on macOS and Ctrl elsewhere, as in VS Code.

export interface Chord {
  mod: boolean;
  ctrl: boolean;
  alt: boolean;
  shift: boolean;
  key: string;
}

const ALIASES: Record<string, string> = {
  down: 'arrowdown',
  up: 'arrowup',
  left: 'arrowleft',
  right: 'arrowright',
  esc: 'escape',
  space: ' ',
};

/** Parses "mod+shift+p" into a chord; the key part is lower-case. */
export function parseChord(s: string): Chord {
  const parts = s.toLowerCase().split('+');
  // "mod++" would be a plus key; we never bind it, so a trailing empty part is an error.
  const key = parts.pop() ?? '';
  if (!key) throw new Error(`bad key chord "${s}"`);
  const c: Chord = { mod: false, ctrl: false, alt: false, shift: false, key: ALIASES[key] ?? key };
  for (const p of parts) {
    if (p === 'mod' || p === 'ctrl' || p === 'alt' || p === 'shift') c[p] = true;
    else throw new Error(`bad modifier "${p}" in "${s}"`);
  }
  return c;
}

/** Symbols typed with Shift on most layouts: their chords ignore the Shift state. */
const SHIFTED_SYMBOLS = new Set(['?', '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', '{', '}', '|', ':', '"', '<', '>', '~']);

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/** True when the event is exactly this chord (no extra modifiers). */
export function matchesChord(e: KeyLike, c: Chord, isMac: boolean): boolean {
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key.toLowerCase();
  if (key !== c.key) return false;
  const wantCtrl = c.ctrl || (c.mod && !isMac);
  const wantMeta = c.mod && isMac;
  if (e.ctrlKey !== wantCtrl || e.metaKey !== wantMeta || e.altKey !== c.alt) return false;
  if (!SHIFTED_SYMBOLS.has(c.key) && e.shiftKey !== c.shift) return false;
  return true;
}

/** How a chord reads on screen: "Ctrl+Shift+P" / "⌘⇧P", "J", "?". */
export function formatChord(s: string, isMac: boolean): string {
  const c = parseChord(s);
  const names: Record<string, string> = {
    arrowdown: '↓',
    arrowup: '↑',
    arrowleft: '←',
    arrowright: '→',
    escape: 'Esc',
    enter: 'Enter',
    ' ': 'Space',
    pagedown: 'PgDn',
    pageup: 'PgUp',
    backspace: 'Backspace',
    delete: 'Del',
    ',': ',',
  };
  const key = names[c.key] ?? (c.key.length === 1 ? c.key.toUpperCase() : c.key[0]!.toUpperCase() + c.key.slice(1));
  if (isMac) return `${c.ctrl ? '⌃' : ''}${c.alt ? '⌥' : ''}${c.shift ? '⇧' : ''}${c.mod ? '⌘' : ''}${key}`;
  return [c.ctrl || c.mod ? 'Ctrl' : '', c.alt ? 'Alt' : '', c.shift ? 'Shift' : '', key].filter(Boolean).join('+');
}

/** Whether keystrokes on this element are text entry (single-key shortcuts must not fire there). */
export function isTypingTarget(el: unknown): boolean {
  if (!el || typeof el !== 'object') return false;
  const e = el as { tagName?: string; isContentEditable?: boolean; type?: string };
  const tag = (e.tagName ?? '').toLowerCase();
  if (e.isContentEditable) return true;
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input')
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes((e.type ?? 'text').toLowerCase());
  return false;
}

/** A chord with a modifier (Ctrl/Cmd/Alt) works even while typing; a bare key does not. */
export function worksWhileTyping(c: Chord): boolean {
  return c.mod || c.ctrl || c.alt || c.key === 'escape' || /^f\d+$/.test(c.key);
}

export const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
