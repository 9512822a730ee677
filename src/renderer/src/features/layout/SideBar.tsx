// The side bar shows the chosen activity's view. Each feature contributes its view; the app
// composes them (src/renderer/src/app/sideBarViews.ts), so this file imports no feature and a
// feature's view may use SideBarHeader below without an import cycle.
import type { ComponentType, ReactNode } from 'react';
import { useS } from '#renderer/app/stores.tsx';
import { ACTIVITIES, type Activity } from './layoutStore.ts';

export type SideBarViews = Record<Activity, ComponentType>;

export function SideBar({ views }: { views: SideBarViews }) {
  const activity = useS('layout', (s) => s.activity);
  const label = ACTIVITIES.find((a) => a.id === activity)?.label ?? '';
  const View = views[activity];
  return (
    <aside className="sidebar" aria-label={`${label} side bar`} data-testid="sidebar">
      {View && <View />}
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
