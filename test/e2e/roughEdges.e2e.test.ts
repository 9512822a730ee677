// Rough edges users met (issue 16 §3), measured the way a user sees them, at 1440 × 900 with the
// side bar open: nothing cut or overlapping (each table's width against its container's), the
// plan's recommendation with its success rate and its cost against the baseline, words instead of
// internal codes and jargon, one count of "in triage", a theme switch that sticks, sample tickets
// on an empty workspace, an import's whole outcome where the user looks, and a list of open editors
// when the tabs do not fit. A real `casebench serve`, the fake providers, Debian's Chromium.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, DEFAULT_GROQ_MODELS, DEFAULT_OPENAI_MODELS, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { cliEnv, runCli, tempDir } from '../cli/helpers.ts';
import { runCommand } from './palette.ts';
import { openWorkbench, type WorkbenchSession } from './session.ts';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, name) });
const VIEWPORT = { width: 1440, height: 900 };

const GROQ_KEY = 'gsk_ROUGHE2E-EDGES0000000000000000abcd';
const OPENAI_KEY = 'sk-ROUGHE2E-EDGES000000000000000000abcd';
const BASE = 'groq:openai/gpt-oss-120b';
const FAST = 'groq:openai/gpt-oss-20b';
const DEAR = 'openai:gpt-4o'; // the fastest, about ten times the baseline's price, and it fails on 5 tickets
const MODELS = [BASE, FAST, 'groq:qwen/qwen3.8-27b', DEAR, 'openai:gpt-6.1-terra'];
const SPEED: Record<string, number> = {
  'gpt-4o': 0.45,
  'openai/gpt-oss-20b': 1,
  'openai/gpt-oss-120b': 1.6,
  'qwen/qwen3.8-27b': 1.3,
  'gpt-6.1-terra': 2.2,
};
const LONG_ARN = 'arn:aws:iam::123456789012:role/checkout-service-production-deployer-role-for-eu-west-1';
const LONG_PATH = 'projects/shop-production-7/locations/europe-west1/instances/orders-db-primary-replica-7';
const TICKETS = Array.from({ length: 20 }, (_, k) => ({
  id: `RE-${k + 1}`,
  title: `Cloud SQL db-${k} refuses connections`,
  text: `${k % 3 === 0 ? 'URGENT: ' : ''}Ticket RE-${k + 1}: Cloud SQL instance db-${k} in project shop-${k} refuses connections since 08:00; checkout fails.`,
  labels: { platform: 'gcp' },
}));

let fake: FakeServer;
let dir: string;
let dbA: string;
let env: Record<string, string>;
let a: WorkbenchSession;
const pageErrors: string[] = [];

/** Width of an element's content against the width it is given (what is cut or overlaps shows as >). */
async function fits(page: Page, selector: string): Promise<Array<{ what: string; scroll: number; client: number }>> {
  return page.locator(selector).evaluateAll((els) =>
    els.map((el) => ({
      what: `${el.tagName.toLowerCase()}.${el.className}`,
      scroll: el.scrollWidth,
      client: (el.parentElement as HTMLElement).clientWidth,
    })),
  );
}

async function showExperiments(page: Page): Promise<void> {
  if ((await page.getByTestId('activity-experiments').getAttribute('aria-selected')) !== 'true')
    await page.getByTestId('activity-experiments').click();
  await page.getByTestId('run-row').first().waitFor();
}

beforeAll(async () => {
  fake = await startFakeServer({
    models: { groq: DEFAULT_GROQ_MODELS, openai: [...DEFAULT_OPENAI_MODELS, 'gpt-6.1-terra'] },
    latencyMs: (m, task) => 40 * (SPEED[m] ?? 1) * (task === 'technical_details' ? 1.2 : 1),
    answer: (i) => {
      if (i.model === 'gpt-4o' && i.task === 'platform' && /Ticket RE-[1-5]:/.test(i.ticketText)) return 'I think it is Google, probably [';
      if (i.task === 'asset_ids' && /Ticket RE-7:/.test(i.ticketText)) return { asset_ids: [LONG_ARN, LONG_PATH] };
      return undefined;
    },
  });
  dir = tempDir('cb-rough-');
  dbA = join(dir, 'a.db');
  const tf = join(dir, 'tickets.jsonl');
  writeFileSync(tf, `${TICKETS.map((t) => JSON.stringify(t)).join('\n')}\n`);
  env = {
    GROQ_API_KEY: GROQ_KEY,
    OPENAI_API_KEY: OPENAI_KEY,
    GROQ_BASE_URL: fake.groqBaseURL,
    OPENAI_BASE_URL: fake.openaiBaseURL,
    CASEBENCH_RETRY_AFTER_CAP_MS: '1000',
  };
  const r = await runCli(
    ['experiment', '--tickets', tf, '--baseline', BASE, '--models', MODELS.join(','), '--db', dbA, '--yes'],
    cliEnv(env),
  );
  expect(r.code, r.stderr).toBe(0);
  a = await openWorkbench(env, dbA, { errors: pageErrors, consoleErrors: true, viewport: VIEWPORT });
});
afterAll(async () => {
  await a?.close();
  await fake?.close();
});

describe('a recorded experiment at 1440 × 900, side bar open', () => {
  it('the plan shows five models and the sweep uncut; its recommendation says its failures and why it costs more than the baseline', async () => {
    const page = a.b.page;
    await showExperiments(page);
    await page.getByTestId('run-row').first().click();
    await page.getByTestId('exp-tab-plan').click();
    await page.getByTestId('exp-plan').waitFor();
    await expect.poll(() => page.getByTestId('plan-rec').textContent()).toMatch(/Recommended at floor 0\.80/);
    expect(await page.locator('#sidebar').evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThan(200);
    // Every model's column is on screen: the grid is no wider than the space it is given.
    expect(await page.locator('.plan-grid thead th').count()).toBe(1 + MODELS.length);
    for (const f of await fits(page, '.plan-grid, .plan-sweep')) expect(f.scroll, f.what).toBeLessThanOrEqual(f.client);
    // Every card names its five models in full: a long id goes under its task's name, not cut.
    const ids = await page
      .locator('.plan-card .plan-assign .model-id')
      .evaluateAll((els) => els.map((el) => ({ text: el.textContent, scroll: el.scrollWidth, client: el.clientWidth })));
    expect(ids.length).toBeGreaterThanOrEqual(15);
    for (const i of ids) expect(i.scroll, `${i.text} cut in a plan card`).toBeLessThanOrEqual(i.client);
    const editorRight = await page.locator('.editor-body').evaluate((el) => el.getBoundingClientRect().right);
    const lastHead = await page
      .locator('.plan-grid thead th')
      .last()
      .evaluate((el) => el.getBoundingClientRect().right);
    expect(lastHead).toBeLessThanOrEqual(editorRight);

    // Success is in the plan: the model that failed shows it per cell, and is not recommended
    // while the minimum success rate (default 95 %) keeps it out.
    expect(await page.getByTestId('plan-min-success-value').textContent()).toBe('95 %');
    const dearPlatform = page.locator(`[data-testid="plan-cell"][data-task="platform"][data-model="${DEAR}"]`);
    expect(await dearPlatform.getByTestId('plan-cell-success').textContent()).toBe('5 failed');
    const recPlatform = () => page.getByTestId('plan-rec').locator('li', { hasText: 'Platform' }).textContent();
    await expect.poll(recPlatform).not.toMatch(/gpt-4o/);
    expect(await page.getByTestId('plan-rec-success').textContent()).toBe('no failed tasks');
    await shot(page, 'plan-1440.png');

    // Lowering the minimum to 0 lets the fastest model in: its failures and its price are said, and why.
    await page.getByTestId('plan-min-success').fill('0');
    await expect.poll(() => page.getByTestId('plan-min-success-value').textContent()).toBe('0 %');
    await expect.poll(recPlatform).toMatch(/gpt-4o/);
    await expect.poll(() => page.getByTestId('plan-rec-success').textContent()).toMatch(/^5 failed tasks · lowest success 75 %$/);
    expect(await page.getByTestId('plan-rec-vsbase').textContent()).toMatch(/\d+\.\d× the baseline’s cost/);
    const note = (await page.getByTestId('plan-cost-note').textContent())!;
    expect(note).toMatch(
      /costs more than the baseline: it costs \d+\.\d× the baseline \(\$\d+\.\d\d vs \$\d+\.\d\d per 1K tickets\) because it is the fastest assignment that meets the quality floors/,
    );
    // … and the fastest plan within the baseline's cost is one click away.
    const within = page.getByTestId('plan-within');
    await within.waitFor();
    const usd = async (id: string) => Number((await page.getByTestId(id).textContent())!.replace(/[^0-9.]/g, ''));
    expect(await usd('plan-within-cost')).toBeLessThanOrEqual(await usd('plan-base-cost'));
    await page.getByTestId('plan-pick-within').click();
    await expect
      .poll(() => page.getByTestId('plan-mine-cost').textContent())
      .toBe(await page.getByTestId('plan-within-cost').textContent());
    await page.locator('.plan').evaluate((el) => el.closest('.exp-body')?.scrollTo(0, 0));
    await shot(page, 'plan-cost-note.png');
    expect(pageErrors).toEqual([]);
  });

  it('the report shows every column, "price unknown" included, and no internal jargon', async () => {
    const page = a.b.page;
    await page.getByTestId('exp-tab-report').click();
    await page.getByTestId('exp-report').waitFor();
    await expect.poll(() => page.locator('.rep-table').count()).toBe(5);
    for (const f of await fits(page, '.rep-table')) expect(f.scroll, f.what).toBeLessThanOrEqual(f.client);
    const costRatio = page.locator('.rep-table thead th', { hasText: 'Cost ratio' }).first();
    expect(await costRatio.evaluate((el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(
      await page.locator('.editor-body').evaluate((el) => el.getBoundingClientRect().right),
    );
    expect(await page.getByTestId('exp-report').textContent()).toMatch(/price unknown/);
    await shot(page, 'report-1440.png');
    await page.getByTestId('exp-tab-latency').click();
    await page.getByTestId('exp-latency').waitFor();
    await page.locator('[data-testid="plot-violin"][data-state="ready"]').waitFor({ timeout: 20_000 });
    const words = await page.locator('.editor-body').textContent();
    expect(words).not.toMatch(/contracts §|§\d/);
    expect(words).not.toMatch(/\b[A-Z]{3,}_[A-Z_]{3,}\b/);
  });

  it('the HTML report fits its 1,340 px page and says no "contracts §"', async () => {
    const out = join(dir, 'report.html');
    const r = await runCli(['report', '--db', dbA, '--format', 'html', '--out', out], cliEnv(env));
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/contracts §/);
    expect(html).toMatch(/The recommendation costs more than the baseline/);
    const page = await a.b.context.newPage();
    try {
      await page.setViewportSize(VIEWPORT);
      await page.goto(`file://${out}`);
      const tables = await fits(page, 'table');
      expect(tables.length).toBeGreaterThanOrEqual(7);
      for (const f of tables) expect(f.scroll, f.what).toBeLessThanOrEqual(f.client);
      await page.locator('h2', { hasText: 'Plan' }).scrollIntoViewIfNeeded();
      await shot(page, 'html-report-plan.png');
    } finally {
      await page.close();
    }
  });

  it('an imported export: the cost column holds "price unknown", and side by side the ids stay inside their cells', async () => {
    const page = a.b.page;
    const otlp = join(dir, 'experiment.otlp.jsonl');
    const exp = await runCli(['export', '--format', 'otlp', '--out', otlp, '--db', dbA], cliEnv(env));
    expect(exp.code, exp.stderr).toBe(0);
    await page.getByTestId('activity-traces').click();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('trace-open').click()]);
    await chooser.setFiles(otlp);
    await expect
      .poll(() => page.getByTestId('trace-report').first().textContent())
      .toMatch(/experiment\.otlp\.jsonl: \d+ calls, 20 tickets/);
    await expect.poll(() => page.getByTestId('trace-call').count()).toBeGreaterThan(100);
    const unknown = page.getByTestId('trace-call-cost').filter({ hasText: 'price unknown' });
    expect(await unknown.count()).toBeGreaterThan(0);
    // A cell's content stays inside it: nothing paints over the Origin column beside it.
    const cells = await unknown.evaluateAll((els) => els.slice(0, 20).map((el) => ({ scroll: el.scrollWidth, client: el.clientWidth })));
    for (const c of cells) expect(c.scroll).toBeLessThanOrEqual(c.client);
    await unknown.first().scrollIntoViewIfNeeded();
    await shot(page, 'traces-price-unknown.png');

    await page.getByTestId('trace-open-run').click();
    await page.getByTestId('run-editor').waitFor();
    await page.getByTestId('run-ticket').filter({ hasText: 'RE-7' }).first().click();
    await page.getByTestId('compare-editor').waitFor();
    await expect.poll(() => page.locator('.cmp-table .chip', { hasText: 'arn:aws:iam' }).count()).toBeGreaterThan(0);
    const overlaps = await page.locator('.cmp-table .chip').evaluateAll(
      (els) =>
        els.filter((el) => {
          const cell = el.closest('td')!.getBoundingClientRect();
          const r = el.getBoundingClientRect();
          return r.right > cell.right + 0.5 || r.left < cell.left - 0.5;
        }).length,
    );
    expect(overlaps).toBe(0);
    await shot(page, 'compare-long-ids.png');
    expect(pageErrors).toEqual([]);
  });

  it('more tabs than fit: the active one is in view and a list names them all', async () => {
    const page = a.b.page;
    await page.getByTestId('activity-tickets').click();
    const rows = page.getByTestId('ticket-row');
    await rows.first().waitFor();
    for (let i = 0; i < 14; i++) await rows.nth(i).dblclick();
    const n = await page.getByTestId('editor-tab').count();
    expect(n).toBeGreaterThanOrEqual(14);
    await page.getByTestId('tablist-button').waitFor();
    expect(await page.getByTestId('tablist-button').textContent()).toContain(String(n));
    // The active tab is inside the strip's visible part.
    const inView = async () =>
      page.getByTestId('tabstrip').evaluate((strip) => {
        const s = strip.getBoundingClientRect();
        const t = strip.querySelector('[role="tab"][aria-selected="true"]')!.getBoundingClientRect();
        return t.left >= s.left - 0.5 && t.right <= s.right + 0.5;
      });
    await expect.poll(inView).toBe(true);
    await page.getByTestId('tablist-button').click();
    await expect.poll(() => page.getByTestId('tablist-item').count()).toBe(n);
    // By keyboard: the first editor in the list, Enter opens it.
    await page.getByTestId('tablist-item').first().focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('tablist-menu').count()).toBe(0);
    await expect.poll(() => page.getByTestId('editor-tab').first().getAttribute('aria-selected')).toBe('true');
    await expect.poll(inView).toBe(true);
    await page.getByTestId('tablist-button').click();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('tablist-menu').count()).toBe(0);
  });

  it('a theme switch in Settings and the palette: light, dark or the system’s, kept across a reload', async () => {
    const page = a.b.page;
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await runCommand(page, 'theme dark', 'theme.dark');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    const dark = await bg();
    expect(dark).not.toBe('rgb(255, 255, 255)');
    await page.reload();
    await page.getByTestId('activity-tickets').waitFor();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    expect(await bg()).toBe(dark);
    await runCommand(page, 'open settings', 'settings.open');
    await page.getByTestId('theme-setting').scrollIntoViewIfNeeded();
    expect(await page.getByTestId('theme-dark').isChecked()).toBe(true);
    await shot(page, 'settings-theme-dark.png');
    await page.getByTestId('theme-light').check();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe('light');
    expect(await bg()).toBe('rgb(255, 255, 255)');
    // "System" follows the OS: here the browser says dark.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByTestId('theme-system').check();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'] ?? 'system')).toBe('system');
    await expect.poll(bg).toBe(dark);
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(bg).toBe('rgb(255, 255, 255)');
    expect(pageErrors).toEqual([]);
  });
});

describe('a new, empty workspace on the keyless demo', () => {
  let d: WorkbenchSession;
  const errs: string[] = [];
  beforeAll(async () => {
    d = await openWorkbench({}, join(tempDir('cb-rough-demo-'), 'demo.db'), { errors: errs, consoleErrors: true, viewport: VIEWPORT });
  });
  afterAll(async () => {
    await d?.close();
  });

  it('offers the labelled sample tickets on the welcome screen; one click imports them, said above the list', async () => {
    const page = d.b.page;
    await page.getByTestId('welcome-samples').waitFor();
    expect(await page.getByTestId('welcome-samples').textContent()).toMatch(/sample tickets.*gold labels.*keyless demo at no cost/s);
    await shot(page, 'welcome-samples.png');
    await page.getByTestId('import-samples').click();
    await expect.poll(() => page.getByTestId('import-result-added').textContent()).toMatch(/^14 sample tickets imported$/);
    expect(await page.getByTestId('import-result').textContent()).toMatch(/sample-tickets\.jsonl/);
    await expect.poll(() => page.getByTestId('ticket-count').textContent()).toMatch(/14 tickets/);
    if (/waiting for your go-ahead/.test((await page.getByTestId('import-result').textContent())!))
      await page.getByTestId('batch-start').click();
    // While the batch runs, "in triage" is the same number in the list and in the status bar.
    await expect
      .poll(() =>
        page.evaluate(() => {
          const list = document.querySelector('[data-testid="list-in-triage"]')?.textContent ?? '';
          const bar = document.querySelector('[data-testid="sb-inflight"]')?.textContent ?? '';
          const n = (s: string) => /(\d+) in triage/.exec(s)?.[1] ?? null;
          return n(list) !== null && n(list) === n(bar);
        }),
      )
      .toBe(true);
    await shot(page, 'samples-triage.png');
    await page.getByTestId('import-result-dismiss').click();
    await expect.poll(() => page.getByTestId('import-result').count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid="ticket-row"]:not([data-state="done"])').count(), { timeout: 60_000 }).toBe(0);
    expect(errs).toEqual([]);
  });

  it("shows an import's every skipped line above the list, by number and reason; a refused file says why", async () => {
    const page = d.b.page;
    const good = Array.from({ length: 3 }, (_, i) =>
      JSON.stringify({ id: `IMP-${i}`, text: `S3 bucket logs-${i} returns AccessDenied since 09:00` }),
    );
    const bad = ['{oops', '{"id": "x"}', 'not json at all', '{"text": ""}', '[1,2]', '{"id": 5, "text": 7}', '{"id"'];
    await page
      .getByTestId('ticket-file-input')
      .setInputFiles({ name: 'mixed.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(`${[...good, ...bad].join('\n')}\n`) });
    await expect.poll(() => page.getByTestId('import-result-added').textContent()).toMatch(/^3 tickets imported$/);
    expect(await page.getByTestId('import-result-skipped').textContent()).toBe('7 lines skipped');
    // A batch asks before it runs (the import says so); go ahead.
    if (/waiting for your go-ahead/.test((await page.getByTestId('import-result').textContent())!)) {
      await page.getByTestId('batch-start').click();
      await expect.poll(() => page.getByTestId('import-result').textContent()).toMatch(/queued for triage/);
    }
    await page.getByTestId('import-result-more').click();
    const lines = await page.getByTestId('import-result-lines').locator('li').allTextContents();
    expect(lines).toHaveLength(7);
    expect(lines.map((l) => Number(/^line (\d+):/.exec(l)?.[1]))).toEqual([4, 5, 6, 7, 8, 9, 10]);
    await shot(page, 'import-result.png');
    await page
      .getByTestId('ticket-file-input')
      .setInputFiles({ name: 'tickets.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\u0003\u0004') });
    await expect.poll(() => page.getByTestId('import-result').getAttribute('data-state')).toBe('refused');
    expect(await page.getByTestId('import-result').textContent()).toMatch(/tickets\.xlsx was not imported\..*not a ticket file/);
    expect(errs).toEqual([]);
  });
});
