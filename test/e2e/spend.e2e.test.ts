// Spend you control, in Chromium against a real `casebench serve` and the fake providers: a big
// import shows its estimate and asks before any call; Stop stops (from the batch bar and the
// palette) and Resume finishes; the status bar's spend is the store's and survives a reload; a
// large paste asks first; retired models cannot be picked in Settings.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { tempDir } from '../cli/helpers.ts';
import { runCommand } from './palette.ts';
import { openWorkbench, type WorkbenchSession } from './session.ts';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, name) });

let fake: FakeServer;
let session: WorkbenchSession;
const pageErrors: string[] = [];

beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 30 });
  session = await openWorkbench(
    { GROQ_API_KEY: 'gsk_E2ESPEND-KEY000000000000000000wxyz', GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL },
    join(tempDir(), 'cb.db'),
    { errors: pageErrors },
  );
});
afterAll(async () => {
  await session?.close();
  await fake?.close();
});

const ticketsJsonl = (n: number, prefix: string): Buffer =>
  Buffer.from(
    Array.from({ length: n }, (_, i) =>
      JSON.stringify({
        id: `${prefix}-${i}`,
        text: `S3 bucket logs-${i} in account 1234567890${String(i % 100).padStart(2, '0')} returns AccessDenied for Lambda writes since 09:00`,
      }),
    ).join('\n'),
  );

describe('spend you control (browser mode)', () => {
  it('a big import shows the estimate and asks; nothing is called before Start', async () => {
    const page = session.b.page;
    const before = fake.stats.total;
    await page
      .getByTestId('ticket-file-input')
      .setInputFiles({ name: 'big.jsonl', mimeType: 'application/x-ndjson', buffer: ticketsJsonl(120, 'BIG') });
    const dialog = page.getByTestId('batch-confirm');
    await dialog.waitFor({ timeout: 30_000 });
    expect(await dialog.textContent()).toMatch(/Triage 120 tickets from big\.jsonl\?/);
    expect(await page.getByTestId('estimate-usd').textContent()).toMatch(/≈ \$\d/);
    expect(await page.getByTestId('spend-estimate').textContent()).toMatch(/600 calls/);
    expect(await page.getByTestId('estimate-today').textContent()).toMatch(/Spent today \$[\d.]+ \(no daily limit set\)/);
    await shot(page, 'spend-batch-confirm.png');
    expect(fake.stats.total).toBe(before);
    await page.getByTestId('batch-start').click();
    await page.locator('[data-testid="batch-row"][data-state="running"]').waitFor();
    await expect.poll(() => fake.stats.total, { timeout: 20_000 }).toBeGreaterThan(before);
  });

  it('Stop stops further calls; Resume (from the palette) finishes the batch', async () => {
    const page = session.b.page;
    await page.getByTestId('batch-stop').click();
    await page.locator('[data-testid="batch-row"][data-state="stopped"]').waitFor();
    await expect.poll(() => fake.stats.inFlight, { timeout: 20_000 }).toBe(0);
    const sent = fake.stats.total;
    const progress = await page.getByTestId('batch-progress').textContent();
    // Nothing more goes out while stopped (checked after the UI and server have settled).
    await page.waitForTimeout(1000);
    expect(fake.stats.total).toBe(sent);
    expect(await page.getByTestId('batch-progress').textContent()).toBe(progress);
    // A stopped batch is not a closed session's leftover, and stopping is not a provider failure.
    expect(await page.getByTestId('interrupted-notice').count()).toBe(0);
    expect(await page.locator('footer').textContent()).not.toMatch(/failed/);
    await shot(page, 'spend-batch-stopped.png');
    await runCommand(page, 'resume batch', 'batch.resume');
    await page.locator('[data-testid="batch-row"][data-state="running"]').waitFor();
    await runCommand(page, 'stop batch', 'batch.stop');
    await page.locator('[data-testid="batch-row"][data-state="stopped"]').waitFor();
    await runCommand(page, 'resume batch', 'batch.resume');
    await page.getByTestId('batch-bar').waitFor({ state: 'detached', timeout: 110_000 });
    expect(fake.stats.total).toBeGreaterThan(sent);
  }, 120_000);

  it("the status bar's spend is the store's: it survives a reload", async () => {
    const page = session.b.page;
    await expect
      .poll(async () => (await page.getByTestId('sb-spend').textContent()) ?? '', { timeout: 10_000 })
      .toMatch(/^\$0\.\d{2,4} today|^\$\d+\.\d{2} today/);
    // Settled: the batch's last rows (a hedge's cancelled loser is recorded after the answer) have
    // reached the status bar when two readings a second apart agree.
    let shown = '';
    await expect
      .poll(
        async () => {
          const before = (await page.getByTestId('sb-spend').textContent()) ?? '';
          await page.waitForTimeout(1000);
          shown = (await page.getByTestId('sb-spend').textContent()) ?? '';
          return shown === before;
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    expect(shown).not.toMatch(/^\$0\.00 today/);
    await page.reload();
    await page.getByTestId('activity-tickets').waitFor();
    await expect.poll(() => page.getByTestId('sb-spend').textContent()).toBe(shown);
    expect(await page.getByTestId('sb-spend').getAttribute('title')).toMatch(
      /Today \(\d{4}-\d{2}-\d{2}, this machine's local day\): \$[\d.]+\nLatest run \(big\.jsonl\): \$[\d.]+\nTotal in this workspace: \$[\d.]+/,
    );
  });

  it('a daily limit reached mid-batch stops it with the reason; Resume works once it is raised', async () => {
    const page = session.b.page;
    await page.getByTestId('sb-spend').click();
    await page.getByTestId('spend-limit').waitFor();
    const today = Number((await page.getByTestId('spend-today').textContent())!.replace('$', ''));
    // Room for a few more tickets only.
    await page.getByTestId('spend-limit').fill(String((today + 0.0005).toFixed(4)));
    await page.getByTestId('spend-limit').press('Enter');
    await expect.poll(() => page.getByTestId('sb-spend').textContent()).toMatch(/ \/ \$/);
    await page.getByTestId('activity-tickets').click();
    await page
      .getByTestId('ticket-file-input')
      .setInputFiles({ name: 'more.jsonl', mimeType: 'application/x-ndjson', buffer: ticketsJsonl(60, 'MORE') });
    await page.getByTestId('batch-confirm').waitFor();
    expect(await page.getByTestId('spend-estimate').textContent()).toMatch(/of the \$[\d.]+ daily limit/);
    await page.getByTestId('estimate-over').waitFor();
    await page.getByTestId('batch-start').click();
    await page.locator('[data-testid="batch-row"][data-state="limited"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid="batch-row"][data-state="limited"]').getByTestId('batch-message').textContent()).toMatch(
      /daily spend limit reached: \$[\d.]+ spent today \(local day \d{4}-\d{2}-\d{2}\)/,
    );
    await shot(page, 'spend-batch-limited.png');
    // Resume while the limit holds says why.
    await page.getByTestId('batch-resume').click();
    expect(await page.getByTestId('batch-error').textContent()).toMatch(/Spend limit reached.*daily spend limit reached/);
    // Raise it (remove it) and resume.
    await page.getByTestId('sb-spend').click();
    await page.getByTestId('spend-limit').fill('');
    await page.getByTestId('spend-limit').press('Enter');
    await expect.poll(() => page.getByTestId('sb-spend').textContent()).not.toMatch(/ \/ \$/);
    await page.getByTestId('batch-resume').click();
    await page.getByTestId('batch-bar').waitFor({ state: 'detached', timeout: 110_000 });
  }, 120_000);

  it('a large paste shows its estimate and asks before any call', async () => {
    const page = session.b.page;
    await runCommand(page, 'new ticket', 'tickets.new');
    const big = `Our EKS cluster in account 123456789012 has nodes NotReady.\n${'kubelet: PLEG is not healthy: pleg was last seen active 3m0s ago\n'.repeat(2500)}`;
    // Set in one input event (as a paste does; typing 160 KB through fill() is needlessly slow).
    await page.getByTestId('ticket-input').evaluate((el, value) => {
      const ta = el as HTMLTextAreaElement;
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(ta, value);
      ta.dispatchEvent(new Event('input', { bubbles: true }));
    }, big);
    await expect.poll(() => page.getByTestId('byte-count').textContent()).toMatch(/^16\d,\d{3} \//);
    const before = fake.stats.total;
    await page.getByTestId('ticket-input').press('Control+Enter');
    await page.getByTestId('paste-confirm').waitFor();
    expect(await page.getByTestId('paste-confirm').textContent()).toMatch(/This ticket is large.*≈ \$[\d.]+.*1 ticket · 5 calls/s);
    await shot(page, 'spend-paste-confirm.png');
    expect(fake.stats.total).toBe(before);
    await page.getByTestId('paste-confirm-go').click();
    await page.getByTestId('total-ms').waitFor({ timeout: 60_000 });
    expect(fake.stats.total).toBeGreaterThan(before);
  });

  it('Settings: retired models cannot be picked and name their replacement; Spending shows today, latest run and total', async () => {
    const page = session.b.page;
    await page.keyboard.press('Control+,');
    await page.getByTestId('settings-nav-assignment').click();
    const opt = page.locator('[data-testid="assign-platform"] option[value="groq:llama-3.1-8b-instant"]');
    expect(await opt.isDisabled()).toBe(true);
    expect(await opt.textContent()).toMatch(/retired 2026-08-16, use groq:openai\/gpt-oss-20b/);
    await page.getByTestId('settings-nav-spend').click();
    expect(await page.getByTestId('spend-figures').textContent()).toMatch(
      /Today \(\d{4}-\d{2}-\d{2}\)\$[\d.]+Latest run\$[\d.]+.*Total\$[\d.]+/,
    );
    await shot(page, 'spend-settings.png');
    expect(pageErrors).toEqual([]);
  });
});
