// The workbench's theme: the OS's (default), or pinned light or dark from Settings → Appearance or
// the palette. The choice sets data-theme on <html> (styles.css keys its dark variables on it),
// is saved in the workspace through the host (`ui.save`, key "theme", so it survives a new port in
// browser mode) and mirrored in localStorage so the next start paints in it before the host answers.
import { useSyncExternalStore } from 'react';
import type { Transport } from '../platform/transport.ts';

export type ThemePref = 'system' | 'light' | 'dark';
export const THEME_PREFS: ReadonlyArray<{ id: ThemePref; label: string }> = [
  { id: 'system', label: 'System' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
];

const LOCAL_KEY = 'casebench.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';
const listeners = new Set<() => void>();
let pref: ThemePref = 'system';

export const isThemePref = (v: unknown): v is ThemePref => v === 'system' || v === 'light' || v === 'dark';

/** Applies a theme to the document (no saving). */
export function applyTheme(p: ThemePref): void {
  pref = p;
  if (typeof document !== 'undefined') {
    if (p === 'system') delete document.documentElement.dataset['theme'];
    else document.documentElement.dataset['theme'] = p;
  }
  try {
    localStorage.setItem(LOCAL_KEY, p);
  } catch {
    // storage unavailable: the workspace copy is the one that counts
  }
  for (const l of listeners) l();
}

/** The theme this window last used, before the workspace's is known. */
export function localThemePref(): ThemePref {
  try {
    const v = localStorage.getItem(LOCAL_KEY);
    return isThemePref(v) ? v : 'system';
  } catch {
    return 'system';
  }
}

export const themePref = (): ThemePref => pref;

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  const m = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(DARK_QUERY) : null;
  m?.addEventListener('change', onChange);
  return () => {
    listeners.delete(onChange);
    m?.removeEventListener('change', onChange);
  };
}

/** The chosen preference (system / light / dark). */
export function useThemePref(): ThemePref {
  return useSyncExternalStore(subscribe, themePref, () => 'system');
}

/** The theme in effect: the pinned one, else the OS's. */
export function effectiveTheme(): 'light' | 'dark' {
  if (pref !== 'system') return pref;
  return typeof window !== 'undefined' && window.matchMedia?.(DARK_QUERY).matches ? 'dark' : 'light';
}

export function useEffectiveTheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribe, effectiveTheme, () => 'light');
}

/** Applies a theme and saves it in the workspace. */
export function chooseTheme(p: ThemePref, transport: Transport): void {
  applyTheme(p);
  void transport.request('ui.save', { key: 'theme', value: p });
}
