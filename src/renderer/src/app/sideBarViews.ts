// Each feature's side-bar view, by activity: the one place that knows them all (the side bar itself
// imports no feature).
import type { SideBarViews } from '../features/layout/SideBar.tsx';
import { TicketsView } from '../features/tickets/TicketsView.tsx';
import { ExperimentsView } from '../features/experiments/ExperimentsView.tsx';
import { ReviewView } from '../features/review/ReviewView.tsx';
import { TracesView } from '../features/traces/TracesView.tsx';
import { ShadowView } from '../features/shadow/ShadowView.tsx';
import { SettingsNav } from '../features/settings/SettingsNav.tsx';
import { PromptsView } from '../features/prompts/PromptsView.tsx';

export const SIDE_BAR_VIEWS: SideBarViews = {
  tickets: TicketsView,
  experiments: ExperimentsView,
  review: ReviewView,
  traces: TracesView,
  shadow: ShadowView,
  settings: SettingsNav,
  prompts: PromptsView,
};
