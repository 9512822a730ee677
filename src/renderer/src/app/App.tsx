// The workbench shell (VS Code's layout): activity bar → side bar → editor tabs over the bottom
// panel → status bar, with the command palette and the shortcut sheet above it all. Pane sizes
// are the user's (dragged, remembered between launches); the side bar and panel collapse.
import { useEffect, useMemo, useRef } from 'react';
import { Group, Panel, Separator, usePanelRef, type Layout } from 'react-resizable-panels';
import type { AppErrorShape } from '#shared/errors.ts';
import { createCommands } from '../commands/registry.ts';
import { CommandPalette } from '../commands/CommandPalette.tsx';
import { CheatSheet } from '../commands/CheatSheet.tsx';
import { useKeybindings } from '../commands/useKeybindings.ts';
import { ActivityBar } from '../features/layout/ActivityBar.tsx';
import { SideBar } from '../features/layout/SideBar.tsx';
import { SIDE_BAR_VIEWS } from './sideBarViews.ts';
import { EditorArea } from '../features/editor/EditorArea.tsx';
import { BottomPanel } from '../features/layout/BottomPanel.tsx';
import { StatusBar } from '../features/status/StatusBar.tsx';
import { BatchBar, BatchConfirm } from '../features/spend/BatchBar.tsx';
import { ComparePicker } from '../features/compare/ComparePicker.tsx';
import { useImportFile } from '../features/tickets/useImportFile.ts';
import { ReviewShell } from '../features/review/ReviewShell.tsx';
import { TraceShell } from '../features/traces/TraceShell.tsx';
import { useApp, useS } from './stores.tsx';
import { ErrorCode } from './errorWords.tsx';

function useCollapse(visible: boolean) {
  const ref = usePanelRef();
  useEffect(() => {
    const p = ref.current;
    if (!p) return;
    if (visible && p.isCollapsed()) p.expand();
    if (!visible && !p.isCollapsed()) p.collapse();
  }, [visible, ref]);
  return ref;
}

export function App({ problem }: { problem: AppErrorShape | null }) {
  const { stores, transport } = useApp();
  const sidebarVisible = useS('layout', (s) => s.sidebarVisible);
  const panelVisible = useS('layout', (s) => s.panelVisible);
  const sizes = useS('layout', (s) => s.sizes);
  const announcement = useS('ticket', (s) => s.announcement);
  const { input: fileInput, open: openTicketFile } = useImportFile();
  const commands = useMemo(() => createCommands({ stores, transport, openTicketFile }), [stores, transport, openTicketFile]);
  useKeybindings(commands);
  const openFileSeq = useS('layout', (s) => s.openFileSeq);
  useEffect(() => {
    if (openFileSeq > 0) openTicketFile();
  }, [openFileSeq, openTicketFile]);

  const sidebarRef = useCollapse(sidebarVisible);
  const panelRef = useCollapse(panelVisible);
  // The first layouts given are kept: later changes come from the user's own dragging.
  const initial = useRef(sizes);
  const save = (group: string) => (layout: Layout, meta: { isUserInteraction: boolean }) => {
    if (meta.isUserInteraction) stores.layout.getState().actions.saveSizes(group, layout);
  };
  // Dragging a pane shut is the same as toggling it.
  const syncCollapsed = (which: 'sidebar' | 'panel') => () => {
    const ref = which === 'sidebar' ? sidebarRef : panelRef;
    const collapsed = ref.current?.isCollapsed() ?? false;
    const s = stores.layout.getState();
    const visible = which === 'sidebar' ? s.sidebarVisible : s.panelVisible;
    if (collapsed === visible) (which === 'sidebar' ? s.actions.toggleSidebar : s.actions.togglePanel)();
  };

  return (
    <div className="workbench">
      {problem && (
        <div className="banner error global" role="alert">
          <ErrorCode code={problem.code} /> {problem.message}
        </div>
      )}
      <div className="wb-main">
        <ActivityBar />
        <Group orientation="horizontal" id="wb-h" className="wb-h" defaultLayout={initial.current['wb-h']} onLayoutChanged={save('wb-h')}>
          <Panel
            id="sidebar"
            panelRef={sidebarRef}
            className="pane-sidebar"
            collapsible
            collapsedSize={0}
            defaultSize="24%"
            minSize="170px"
            maxSize="60%"
            onResize={syncCollapsed('sidebar')}
          >
            <SideBar views={SIDE_BAR_VIEWS} />
          </Panel>
          <Separator className="sash sash-v" aria-label="Resize side bar" />
          <Panel id="main" minSize="30%" className="pane-main">
            <Group orientation="vertical" id="wb-v" className="wb-v" defaultLayout={initial.current['wb-v']} onLayoutChanged={save('wb-v')}>
              <Panel id="editor" minSize="20%" className="pane-editor">
                <EditorArea />
              </Panel>
              <Separator className="sash sash-h" aria-label="Resize panel" />
              <Panel
                id="panel"
                panelRef={panelRef}
                className="pane-panel"
                collapsible
                collapsedSize={0}
                defaultSize="30%"
                minSize="90px"
                onResize={syncCollapsed('panel')}
              >
                <BottomPanel />
              </Panel>
            </Group>
          </Panel>
        </Group>
      </div>
      <BatchBar />
      <StatusBar />
      <BatchConfirm />
      <CommandPalette commands={commands} />
      <CheatSheet commands={commands} />
      <ComparePicker />
      <ReviewShell />
      <TraceShell />
      {fileInput}
      <div className="sr-only" role="status" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
    </div>
  );
}
