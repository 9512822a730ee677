// Workbench chrome: which activity is shown, whether the side bar and bottom panel are open,
// pane sizes, and the overlays (command palette, shortcut sheet). Remembered between launches
// through the host (the `ui.save` route), so it survives a new port in browser mode too.
import { createStore, type StoreApi } from 'zustand/vanilla';

export const ACTIVITIES = [
  { id: 'tickets', label: 'Tickets', icon: 'inbox' },
  { id: 'experiments', label: 'Experiments', icon: 'beaker' },
  { id: 'review', label: 'Review', icon: 'checklist' },
  { id: 'traces', label: 'Traces', icon: 'pulse' },
  { id: 'shadow', label: 'Shadow models', icon: 'mirror' },
  { id: 'prompts', label: 'Prompts', icon: 'symbol-string' },
  { id: 'settings', label: 'Settings', icon: 'settings-gear' },
] as const;
export type Activity = (typeof ACTIVITIES)[number]['id'];
export type PanelTab = 'timeline' | 'log';
export type PaneLayout = Record<string, number>;

export interface LayoutState {
  activity: Activity;
  sidebarVisible: boolean;
  panelVisible: boolean;
  panelTab: PanelTab;
  /** Saved pane sizes per resizable group. */
  sizes: Record<string, PaneLayout>;
  paletteOpen: boolean;
  cheatSheetOpen: boolean;
  /** Bumped to ask a view to take focus (e.g. "/" focuses the ticket search). */
  focus: { target: 'list' | 'search' | 'editor' | null; seq: number };
  /** Bumped to ask the shell to open a ticket file (picker or dialog). */
  openFileSeq: number;
  actions: LayoutActions;
}

export interface LayoutActions {
  /** Shows an activity's side bar; choosing the visible one again hides the side bar (as VS Code does). */
  showActivity(a: Activity, opts?: { toggle?: boolean }): void;
  toggleSidebar(): void;
  togglePanel(): void;
  showPanel(tab: PanelTab): void;
  saveSizes(group: string, layout: PaneLayout): void;
  openPalette(): void;
  toggleCheatSheet(): void;
  closeOverlays(): void;
  requestFocus(target: 'list' | 'search' | 'editor'): void;
  requestOpenFile(): void;
  /** Applies the saved state read at start. */
  hydrate(saved: unknown): void;
}

export type LayoutStore = StoreApi<LayoutState>;

const isActivity = (v: unknown): v is Activity => ACTIVITIES.some((a) => a.id === v);

export function createLayoutStore(persist: (value: unknown) => void = () => {}): LayoutStore {
  return createStore<LayoutState>()((set, get) => {
    const save = (): void => {
      const s = get();
      persist({
        activity: s.activity,
        sidebarVisible: s.sidebarVisible,
        panelVisible: s.panelVisible,
        panelTab: s.panelTab,
        sizes: s.sizes,
      });
    };
    const actions: LayoutActions = {
      showActivity(a, opts = {}) {
        const s = get();
        if (opts.toggle && s.activity === a && s.sidebarVisible) set({ sidebarVisible: false });
        else set({ activity: a, sidebarVisible: true });
        save();
      },
      toggleSidebar() {
        set({ sidebarVisible: !get().sidebarVisible });
        save();
      },
      togglePanel() {
        set({ panelVisible: !get().panelVisible });
        save();
      },
      showPanel(tab) {
        set({ panelVisible: true, panelTab: tab });
        save();
      },
      saveSizes(group, layout) {
        const prev = get().sizes[group];
        if (prev && JSON.stringify(prev) === JSON.stringify(layout)) return;
        set({ sizes: { ...get().sizes, [group]: layout } });
        save();
      },
      openPalette() {
        set({ paletteOpen: true, cheatSheetOpen: false });
      },
      toggleCheatSheet() {
        set({ cheatSheetOpen: !get().cheatSheetOpen, paletteOpen: false });
      },
      closeOverlays() {
        set({ paletteOpen: false, cheatSheetOpen: false });
      },
      requestFocus(target) {
        set({ focus: { target, seq: get().focus.seq + 1 } });
      },
      requestOpenFile() {
        set({ openFileSeq: get().openFileSeq + 1 });
      },
      hydrate(saved) {
        if (!saved || typeof saved !== 'object') return;
        const o = saved as Record<string, unknown>;
        const sizes: Record<string, PaneLayout> = {};
        if (o.sizes && typeof o.sizes === 'object') {
          for (const [k, v] of Object.entries(o.sizes as Record<string, unknown>)) {
            if (v && typeof v === 'object' && Object.values(v).every((n) => typeof n === 'number' && Number.isFinite(n)))
              sizes[k] = v as PaneLayout;
          }
        }
        set({
          activity: isActivity(o.activity) ? o.activity : get().activity,
          sidebarVisible: typeof o.sidebarVisible === 'boolean' ? o.sidebarVisible : get().sidebarVisible,
          panelVisible: typeof o.panelVisible === 'boolean' ? o.panelVisible : get().panelVisible,
          panelTab: o.panelTab === 'log' || o.panelTab === 'timeline' ? o.panelTab : get().panelTab,
          sizes,
        });
      },
    };
    return {
      activity: 'tickets',
      sidebarVisible: true,
      panelVisible: true,
      panelTab: 'timeline',
      sizes: {},
      paletteOpen: false,
      cheatSheetOpen: false,
      focus: { target: null, seq: 0 },
      openFileSeq: 0,
      actions,
    };
  });
}
