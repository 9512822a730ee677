// The side bar shows the chosen activity's view.
import type { ReactNode } from 'react';
import { useS } from '../../app/stores.tsx';
import { TicketsView } from '../tickets/TicketsView.tsx';
import { ExperimentsView } from '../experiments/ExperimentsView.tsx';
import { ReviewView } from '../review/ReviewView.tsx';
import { TracesView } from '../traces/TracesView.tsx';
import { ShadowView } from '../shadow/ShadowView.tsx';
import { SettingsNav } from '../settings/SettingsNav.tsx';
import { PromptsView } from '../prompts/PromptsView.tsx';
import { ACTIVITIES } from './layoutStore.ts';

export function SideBar() {
  const activity = useS('layout', (s) => s.activity);
  const label = ACTIVITIES.find((a) => a.id === activity)?.label ?? '';
  return (
    <aside className="sidebar" aria-label={`${label} side bar`} data-testid="sidebar">
      {activity === 'tickets' && <TicketsView />}
      {activity === 'experiments' && <ExperimentsView />}
      {activity === 'review' && <ReviewView />}
      {activity === 'traces' && <TracesView />}
      {activity === 'shadow' && <ShadowView />}
      {activity === 'settings' && <SettingsNav />}
      {activity === 'prompts' && <PromptsView />}
    </aside>
  );
}

/** The side bar's title row, with its view's actions. */
export function SideBarHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="sb-header">
      <h2 className="sb-title">{title}</h2>
      <div className="sb-actions">{children}</div>
    </header>
  );
}
