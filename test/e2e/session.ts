// One browser session on a real `casebench serve`: the setup every workbench e2e file shares.
import { launchBrowser, type LaunchedBrowser, type LaunchOptions } from './browser.ts';
import { startServe, type ServeProcess } from './serveProcess.ts';

export interface WorkbenchSession {
  serve: ServeProcess;
  b: LaunchedBrowser;
  close(): Promise<void>;
}

/** Starts `casebench serve` with `env` on `dbPath`, opens its URL in Chromium, waits for the workbench. */
export async function openWorkbench(
  env: Record<string, string>,
  dbPath: string,
  opts: LaunchOptions & { errors?: string[]; consoleErrors?: boolean } = {},
): Promise<WorkbenchSession> {
  const serve = await startServe(env, ['--db', dbPath]);
  const b = await launchBrowser({ colorScheme: opts.colorScheme, viewport: opts.viewport });
  // Page errors (and, with consoleErrors, console errors) go into the caller's list.
  const pageErrors = opts.errors ?? [];
  b.page.on('pageerror', (e) => pageErrors.push(String(e)));
  if (opts.consoleErrors) b.page.on('console', (m) => void (m.type() === 'error' && pageErrors.push(m.text())));
  await b.page.goto(serve.url);
  await b.page.getByTestId('activity-tickets').waitFor();
  return {
    serve,
    b,
    async close() {
      await b.close();
      await serve.stop();
    },
  };
}
