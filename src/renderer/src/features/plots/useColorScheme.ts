// The OS colour scheme the workbench follows (styles.css switches on prefers-color-scheme), for
// the plots, whose colours are set in their specs rather than by CSS.
import { useSyncExternalStore } from 'react';
import type { PlotTheme } from '../../../../shared/plots/theme.ts';

const QUERY = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const m = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(QUERY) : null;
  m?.addEventListener('change', onChange);
  return () => m?.removeEventListener('change', onChange);
}

const current = (): PlotTheme => (typeof window !== 'undefined' && window.matchMedia?.(QUERY).matches ? 'dark' : 'light');

export function useColorScheme(): PlotTheme {
  return useSyncExternalStore(subscribe, current, () => 'light');
}
