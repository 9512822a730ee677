// Browser-mode smoke check (not a vitest file): serves the built renderer with the test stand-in
// core, runs one ticket in headless Chromium, asserts the five cards fill in, saves screenshots.
//   npx electron-vite build && node test/e2e/smoke.ts
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startServer } from '#server/server.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import { createStandInHandlers } from '../fakes/standInHandlers.ts';
import { launchBrowser } from './browser.ts';

const root = resolve(import.meta.dirname, '../..');
const staticDir = resolve(root, 'out/renderer');
const outDir = resolve(root, 'test-results');
if (!existsSync(resolve(staticDir, 'index.html'))) {
  console.error('out/renderer is missing: run `npx electron-vite build` first');
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });

const TICKET = `Subject: URGENT – prod GKE cluster not scheduling pods after upgrade

Since the auto-upgrade to 1.29.4-gke.1043 last night our production cluster gke-prod-eu-1
(project acme-prod-42, europe-west1-b) stops scheduling new pods. Ingress returns 502 for about
40% of requests. Customers are affected right now. We did not change anything on our side.`;

async function runOnce(colorScheme: 'light' | 'dark', file: string, failPlatform: boolean): Promise<void> {
  const handlers = createStandInHandlers({
    latencies: { platform: 420, product: 610, technical_details: 980, asset_ids: 380, severity: 700 },
    unpriced: ['severity'],
    ...(failPlatform
      ? { failures: { platform: { code: 'RATE_LIMITED', message: 'Groq returned 429 (tokens per minute) after 3 attempts' } } }
      : {}),
  });
  const server = await startServer({ handlers, staticDir });
  const b = await launchBrowser({ colorScheme });
  const errors: string[] = [];
  b.page.on('pageerror', (e) => errors.push(String(e)));
  b.page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  try {
    await b.page.goto(server.url);
    await b.page.getByTestId('keys-status').filter({ hasText: 'Groq key: set …abcd' }).waitFor();
    if (!failPlatform) await b.page.screenshot({ path: resolve(outDir, file.replace('.png', '-idle.png')) });
    await b.page.locator('body').press('n');
    await b.page.getByTestId('ticket-input').fill(TICKET);
    await b.page.getByTestId('ticket-input').press('Control+Enter');
    await b.page.locator(`[data-testid="card-${failPlatform ? 'severity' : 'product'}"][data-status="running"]`).waitFor();
    if (!failPlatform) await b.page.screenshot({ path: resolve(outDir, file.replace('.png', '-running.png')) });
    await b.page.getByTestId('total-ms').waitFor({ timeout: 10_000 });
    const statuses: Record<string, string | null> = {};
    for (const id of TASK_IDS) statuses[id] = await b.page.getByTestId(`card-${id}`).getAttribute('data-status');
    const expected = failPlatform
      ? { platform: 'error', product: 'skipped', technical_details: 'skipped', asset_ids: 'skipped', severity: 'ok' }
      : Object.fromEntries(TASK_IDS.map((id) => [id, 'ok']));
    if (JSON.stringify(statuses) !== JSON.stringify(expected)) throw new Error(`card statuses ${JSON.stringify(statuses)}`);
    if (errors.length) throw new Error(`page errors: ${errors.join('\n')}`);
    await b.page.screenshot({ path: resolve(outDir, file) });
    console.log(
      `ok ${colorScheme}${failPlatform ? ' (platform failing)' : ''}: ${JSON.stringify(statuses)}, total ${await b.page.getByTestId('total-ms').textContent()} → test-results/${file}`,
    );
  } finally {
    await b.close();
    await server.close();
    handlers.close();
  }
}

await runOnce('light', 'triage.png', false);
await runOnce('dark', 'triage-dark.png', false);
await runOnce('light', 'triage-error.png', true);
