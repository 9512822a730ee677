// The colour scheme the workbench shows (the OS's unless Settings → Appearance pins one), for the
// plots, whose colours are set in their specs rather than by CSS.
import type { PlotTheme } from '#shared/plots/theme.ts';
import { useEffectiveTheme } from '#renderer/app/theme.ts';

export function useColorScheme(): PlotTheme {
  return useEffectiveTheme();
}
