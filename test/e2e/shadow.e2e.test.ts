// Shadow models in a real browser against a real `casebench serve` (fake providers, real SDKs): a
// candidate is added in the Shadow view, the intake token is created in Settings, a helpdesk
// webhook posts a ticket to POST /intake/tickets, the ticket appears in the workbench's list, and
// the candidate's answer shows in the Shadow view and its live experiment's report.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { tempDir } from '../cli/helpers.ts';
import { runCommand } from './palette.ts';
import { openWorkbench, type WorkbenchSession } from './session.ts';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });

let fake: FakeServer;
let session: WorkbenchSession;
const pageErrors: string[] = [];

beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 10 });
  const dir = tempDir('cb-shadow-e2e-');
  session = await openWorkbench(
    { GROQ_API_KEY: 'gsk_SHADOWE2E0000000000000000000000wxyz', GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL },
    join(dir, 'cb.db'),
    { errors: pageErrors },
  );
});
afterAll(async () => {
  await session?.close();
  await fake?.close();
});

describe('shadow models and the HTTP intake in the workbench (browser mode)', () => {
  it('a ticket posted to the intake endpoint appears in the list and its shadow answer shows in the Shadow view', async () => {
    const { page } = session.b;
    // A candidate for the product task (production answers it with gpt-oss-20b by default).
    await runCommand(page, 'show shadow', 'view.shadow');
    await page.getByTestId('shadow-view').waitFor();
    await page.getByTestId('shadow-task').selectOption('product');
    await page.getByTestId('shadow-model').selectOption('groq:openai/gpt-oss-120b');
    await page.getByTestId('shadow-add').click();
    const cand = page.locator('[data-testid="shadow-candidate"][data-task="product"][data-model="groq:openai/gpt-oss-120b"]');
    await cand.waitFor();
    await expect.poll(() => cand.getByTestId('shadow-answered').textContent()).toBe('0 answered');

    // The intake token, created in Settings (shown once created, as the webhook needs it).
    await runCommand(page, 'show settings', 'view.settings');
    await page.getByTestId('intake-token-rotate').click();
    const value = page.getByTestId('intake-token-value');
    await value.waitFor();
    const token = (await value.textContent())!.trim();
    expect(token).toMatch(/^cbi_/);
    expect(await page.getByTestId('intake-token-state').textContent()).toContain(`…${token.slice(-4)}`);

    const refused = await fetch(`${session.serve.origin}/intake/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer nope' },
      body: '{"text":"x"}',
    });
    expect(refused.status).toBe(401);
    const posted = await fetch(`${session.serve.origin}/intake/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        id: 'ZD-4242',
        title: 'GKE pods not scheduling',
        text: 'Our GKE cluster gke-prod-eu-1 in project acme-prod-42 stopped scheduling pods after the 1.29 upgrade; customers see 502s.',
      }),
    });
    expect(posted.status).toBe(202);
    expect(await posted.json()).toMatchObject({ ok: true, ids: ['ZD-4242'] });

    // It appears in the workbench's ticket list, triaged.
    await runCommand(page, 'show tickets', 'view.tickets');
    const row = page.locator('[data-testid="ticket-row"][data-ticket-id="ZD-4242"]');
    await row.waitFor();
    await expect.poll(() => row.getAttribute('data-state')).toBe('done');

    // Its shadow answer lands in the Shadow view, compared against production.
    await runCommand(page, 'show shadow', 'view.shadow');
    await expect.poll(() => cand.getByTestId('shadow-answered').textContent()).toBe('1 answered');
    await expect.poll(() => cand.getByTestId('shadow-agreement').textContent()).toMatch(/^agrees \d+\.\d % \(of 1\)$/);
    expect(await cand.getByTestId('shadow-cost').textContent()).toMatch(/^\$0\.\d{4} today$/);
    await page.screenshot({ path: join(SHOTS, 'shadow-view.png') });

    // The live experiment opens as an experiment: the product table compares the candidate with production.
    await page.getByTestId('shadow-open-report').click();
    await page.getByTestId('exp-editor').waitFor();
    const cell = page.locator('[data-testid="rep-cell"][data-task="product"][data-model="groq:openai/gpt-oss-120b"][data-col="agreement"]');
    await expect.poll(() => cell.textContent()).toMatch(/\d+ %/);
    expect(pageErrors).toEqual([]);
  });
});
