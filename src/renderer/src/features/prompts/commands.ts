// The Prompts view's commands (palette, ? sheet): open the prompt versions, save the draft, promote
// the shown version, roll back, undo.
import type { Stores } from '#renderer/app/stores.tsx';
import type { Command } from '#renderer/commands/types.ts';
import { isDirty, taskView } from './promptsStore.ts';

export function promptCommands(stores: Stores): Command[] {
  const p = () => stores.prompts.getState();
  const onTab = (): boolean => stores.editor.getState().activeId === 'prompts';
  return [
    {
      id: 'prompts.open',
      title: 'Prompts: Open Prompt Versions',
      category: 'Prompts',
      run: () => {
        stores.layout.getState().actions.showActivity('prompts');
        stores.editor.getState().actions.openPrompts();
      },
    },
    {
      id: 'prompts.save',
      title: 'Prompts: Save as New Version',
      category: 'Prompts',
      enabled: () => onTab() && isDirty(p()),
      run: () => p().actions.save(),
    },
    {
      id: 'prompts.promote',
      title: 'Prompts: Promote Shown Version…',
      category: 'Prompts',
      enabled: () => onTab() && p().version !== null && p().version !== taskView(p())?.active,
      run: () => p().actions.ask({ kind: 'promote', task: p().task, version: p().version, scope: null }),
    },
    {
      id: 'prompts.rollback',
      title: 'Prompts: Roll Back…',
      category: 'Prompts',
      enabled: () => onTab() && taskView(p())?.canRollback === true,
      run: () => p().actions.ask({ kind: 'rollback', task: p().task, version: null, scope: null }),
    },
    {
      id: 'prompts.undo',
      title: 'Prompts: Undo Last Promotion or Rollback',
      category: 'Prompts',
      enabled: () => p().undo !== null,
      run: () => p().actions.undoLast(),
    },
  ];
}
