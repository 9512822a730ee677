import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_IDS } from '../../src/shared/tasks.ts';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { tempDir } from '../cli/helpers.ts';
import { launchBrowser, type LaunchedBrowser } from './browser.ts';
import { startServe, type ServeProcess } from './serveProcess.ts';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const TICKET = `Subject: URGENT - prod GKE cluster not scheduling pods after upgrade

Since the auto-upgrade to 1.29.4-gke.1043 last night our production cluster gke-prod-eu-1
(project acme-prod-42, europe-west1-b) stops scheduling new pods with "0/3 nodes are available".
Customers are affected right now.`;

let fake: FakeServer;
let serve: ServeProcess;
let b: LaunchedBrowser;

beforeAll(async () => {
  // Severity answers first; the platform → product → technical details chain takes longest.
  const lat: Record<string, number> = { severity: 150, platform: 300, asset_ids: 250, product: 300, technical_details: 350 };
  fake = await startFakeServer({ latencyMs: (_m, task) => lat[task ?? ''] ?? 100 });
  serve = await startServe({ GROQ_API_KEY: 'gsk_E2ETESTKEY000000000000000000wxyz', GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL }, ['--db', join(tempDir(), 'cb.db')]);
  b = await launchBrowser();
});
afterAll(async () => {
  await b?.close();
  await serve?.stop();
  await fake?.close();
});

describe('workbench in browser mode (real casebench serve, fake providers)', () => {
  it('loads from the printed URL alone, shows key status without the key, and fills the five cards in order of completion', async () => {
    const page = b.page;
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(serve.url);
    await expect.poll(() => page.getByTestId('keys-status').textContent()).toMatch(/Groq key: set …wxyz/);
    expect(await page.content()).not.toContain('gsk_E2ETESTKEY');

    // Record the order in which cards turn "ok" as they arrive.
    await page.evaluate(() => {
      const order: string[] = [];
      (window as unknown as { __order: string[] }).__order = order;
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('[data-testid^="card-"][data-status="ok"]')) {
          const id = el.getAttribute('data-testid')!.slice(5);
          if (!order.includes(id)) order.push(id);
        }
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-status'] });
    });
    await page.getByTestId('ticket-input').fill(TICKET);
    await page.getByTestId('run-button').click();
    await page.locator('[data-testid="card-severity"][data-status="ok"]').waitFor();
    // Severity is on screen while the dependent chain is still running.
    expect(await page.getByTestId('card-technical_details').getAttribute('data-status')).not.toBe('ok');
    await page.getByTestId('total-ms').waitFor();
    const order = await page.evaluate(() => (window as unknown as { __order: string[] }).__order);
    expect(order[0]).toBe('severity');
    expect(order.indexOf('platform')).toBeLessThan(order.indexOf('product'));
    expect(order.at(-1)).toBe('technical_details');
    for (const t of TASK_IDS) expect(await page.getByTestId(`card-${t}`).getAttribute('data-status')).toBe('ok');
    await expect.poll(() => page.getByTestId('card-platform').textContent()).toMatch(/gcp/i);
    expect(await page.getByTestId('card-asset_ids').textContent()).toContain('acme-prod-42');
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'triage-live.png') });
  });

  it('shows a failing provider on its card while the rest of the ticket completes', async () => {
    const page = b.page;
    fake.configure({ faults: (i) => (i.task === 'severity' ? 'reset' : null) });
    await page.getByTestId('ticket-input').fill(`${TICKET}\n(second run)`);
    await page.getByTestId('run-button').click();
    await page.locator('[data-testid="card-severity"][data-status="error"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="card-technical_details"][data-status="ok"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('card-severity').textContent()).toMatch(/NETWORK|connection/i);
    fake.configure({ faults: null });
    await page.screenshot({ path: join(SHOTS, 'triage-provider-down.png') });
  });
});

describe('browser-mode server', () => {
  it('refuses API calls without the start token or from a foreign origin', async () => {
    const api = `${serve.origin}/api/keys.status`;
    const noToken = await fetch(api, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noToken.status).toBe(401);
    const foreign = await fetch(api, { method: 'POST', headers: { 'content-type': 'application/json', 'x-casebench-token': serve.token, origin: 'http://evil.example' }, body: '{}' });
    expect(foreign.status).toBe(403);
    const ok = await fetch(api, { method: 'POST', headers: { 'content-type': 'application/json', 'x-casebench-token': serve.token }, body: '{}' });
    expect(ok.status).toBe(200);
    const body = await ok.text();
    expect(body).toContain('"last4":"wxyz"');
    expect(body).not.toContain('gsk_');
  });
});
