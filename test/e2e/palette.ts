// Runs a command through the command palette by keyboard, the way a user does: type, wait until
// the intended command is the highlighted one, Enter, and wait for the palette to close. (Pressing
// Enter before the list has filtered would run whichever command was highlighted.)
import type { Page } from 'playwright-core';

/** Opens the palette, types `text`, and runs the command with id `commandId` once it is selected. */
export async function runCommand(page: Page, text: string, commandId: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  const input = page.getByTestId('palette-input');
  await input.fill(text);
  const item = page.getByTestId(`cmd-${commandId}`);
  await item.waitFor();
  for (let i = 0; i < 20 && (await item.getAttribute('aria-selected')) !== 'true'; i++) {
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'detached' });
}
