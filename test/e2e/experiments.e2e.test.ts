// The Experiments view in a real browser: Debian's Chromium against a real `casebench serve`,
// the fake Groq/OpenAI server behind it. A support engineer sets up a small experiment (4 tickets
// × 2 models), watches it run, reads the report, follows a disagreement to its tickets, moves
// the quality floor, applies the recommendation to Settings, and looks at the latency plots —
// light and dark. Screenshots go to test-results/screenshots/ for review.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { tempDir } from '../cli/helpers.ts';
import type { LaunchedBrowser } from './browser.ts';
import type { ServeProcess } from './serveProcess.ts';
import { runCommand } from './palette.ts';
import { openWorkbench, type WorkbenchSession } from './session.ts';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, name) });

const GROQ_KEY = 'gsk_EXPE2EKE-Y00000000000000000000abcd';
const BASE = 'groq:openai/gpt-oss-120b';
const FAST = 'groq:openai/gpt-oss-20b';
// The smaller model answers faster; on two tickets it calls the severity "low" (the baseline: urgent).
const latency = (slow: number) => (model: string, task: string | null) =>
  (model.includes('120b') ? 1.6 : model.includes('qwen') ? 1.25 : 1) *
  slow *
  (task === 'technical_details' ? 1.3 : task === 'severity' ? 0.6 : 1);
// Seeded log-normal noise, so the latency plots have distributions to show.
let seed = 7;
const rnd = (): number => ((seed = (seed * 1664525 + 1013904223) % 4294967296) + 0.5) / 4294967296;
const gauss = (): number => Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());
const jittered = (slow: number) => (model: string, task: string | null) => latency(slow)(model, task) * Math.exp(0.3 * gauss());
const MANY = Array.from({ length: 30 }, (_, i) => {
  const what = [
    `Cloud SQL instance db-${i} in project shop-${i}`,
    `S3 bucket logs-${i} in account 1234567890${String(i).padStart(2, '0')}`,
    `Azure VM vm-${i} in subscription 1111-2222-${i}`,
  ][i % 3];
  return {
    id: `LAT-${i + 1}`,
    text: `${i % 4 === 0 ? 'URGENT: ' : ''}${what} fails since 08:00. ${'Customers see errors at checkout and our status page is red. '.repeat(1 + ((i * 7) % 9))}`,
  };
});

const TICKETS = [
  {
    id: 'EXP-1',
    title: 'Cloud SQL db-1 refuses connections',
    text: 'URGENT: Cloud SQL instance db-1 in project shop-1 refuses connections since 08:00; checkout is down for every customer.',
    labels: { platform: 'gcp', severity: 'urgent' },
  },
  {
    id: 'EXP-2',
    title: 'S3 bucket logs-2 AccessDenied',
    text: 'URGENT: S3 bucket logs-2 in account 123456789012 returns AccessDenied for Lambda writes since 09:00; we are losing audit logs.',
    labels: { platform: 'aws', severity: 'urgent' },
  },
  {
    id: 'EXP-3',
    title: 'Azure VM vm-web-3 will not boot',
    text: 'URGENT: Azure VM vm-web-3 in subscription 1111-2222-3333 does not boot after a resize; production web tier is down.',
    labels: { platform: 'azure', severity: 'urgent' },
  },
  {
    id: 'EXP-4',
    title: 'GKE cluster gke-prod-4 not scheduling pods',
    text: 'URGENT: GKE cluster gke-prod-4 (project acme-prod-4) stopped scheduling pods after the upgrade; ingress returns 502 for 40% of requests.',
    labels: { platform: 'gcp', severity: 'urgent' },
  },
];

let fake: FakeServer;
let serve: ServeProcess;
let b: LaunchedBrowser;
let session: WorkbenchSession;
const pageErrors: string[] = [];
let runId = '';

async function palette(page: Page, text: string): Promise<void> {
  await runCommand(page, text, 'experiments.new');
}

const cell = (page: Page, task: string, model: string, col: string) =>
  page.locator(`[data-testid="rep-cell"][data-task="${task}"][data-model="${model}"][data-col="${col}"]`);

beforeAll(async () => {
  fake = await startFakeServer({
    latencyMs: latency(60),
    answer: (i) => {
      if (i.model !== 'openai/gpt-oss-20b') return undefined;
      if (i.task === 'severity' && /\b(db-1|vm-web-3)\b/.test(i.ticketText)) return { severity: 'low' };
      // One answer that never parses: a failed task, with its raw text kept.
      if (i.task === 'asset_ids' && /\blogs-2\b/.test(i.ticketText)) return 'Sure! The asset ids are: [logs-2';
      return undefined;
    },
  });
  session = await openWorkbench(
    { GROQ_API_KEY: GROQ_KEY, GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL },
    join(tempDir(), 'cb.db'),
    {
      errors: pageErrors,
      consoleErrors: true,
      viewport: { width: 1440, height: 900 },
    },
  );
  ({ serve, b } = session);
  // Reading tables and plots: the bottom panel (timeline, log) out of the way, as one would.
  await b.page.keyboard.press('Control+j');
});
afterAll(async () => {
  await session?.close();
  await fake?.close();
});

describe('experiments in the workbench (real casebench serve, fake providers)', () => {
  it('sets up an experiment from a file: retired models refused, the cost estimate shown before it starts', async () => {
    const page = b.page;
    await palette(page, 'new experiment');
    await page.getByTestId('exp-setup').waitFor();
    await page.getByTestId('exp-file-input').setInputFiles({
      name: 'exp.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(`${TICKETS.map((t) => JSON.stringify(t)).join('\n')}\n{not json\n`),
    });
    await expect
      .poll(() => page.getByTestId('exp-staged').textContent())
      .toMatch(/exp\.jsonl — 4 tickets, 4 with gold labels.*1 bad line skipped \(line 5/s);
    // The models of the current assignment are picked; a retired model cannot be.
    await expect.poll(() => page.getByTestId(`exp-pick-${BASE}`).isChecked()).toBe(true);
    expect(await page.getByTestId(`exp-pick-${FAST}`).isChecked()).toBe(true);
    expect(await page.getByTestId('exp-pick-groq:llama-3.1-8b-instant').isDisabled()).toBe(true);
    expect(await page.getByTestId('exp-model-groq:llama-3.1-8b-instant').textContent()).toMatch(/retired.*Shut down/s);
    await page.getByTestId(`exp-baseline-${BASE}`).check();
    await page.getByTestId(`exp-rpm-${FAST}`).fill('6000');
    await page.getByTestId('exp-concurrency').fill('1');
    // Checked by the core before anything is called: 4 × 2 × 5 calls, a priced estimate, the rpm's least time.
    const before = fake.stats.total;
    await expect
      .poll(() => page.getByTestId('exp-estimate').textContent())
      .toMatch(/40.*4 tickets × 2 models × 5 tasks.*≈ \$0\.0\d+.*groq:openai\/gpt-oss-20b: 20 calls at 6000\/min/s);
    expect(fake.stats.total).toBe(before);
    expect(await page.getByTestId('exp-start').textContent()).toMatch(/Start · ≈ \$/);
    await page.locator('.exp-setup-body').evaluate((el) => el.scrollTo(0, 0));
    await shot(page, 'experiment-setup.png');
  });

  it('runs it live: progress, time left and spend, then done; every model at 20 of 20', async () => {
    const page = b.page;
    fake.configure({ latencyMs: latency(160) });
    await page.getByTestId('exp-start').click();
    await page.getByTestId('exp-editor').waitFor();
    runId = (await page.getByTestId('exp-editor').getAttribute('data-run-id'))!;
    expect(runId).toMatch(/^experiment-/);
    await page.getByTestId('exp-live').waitFor();
    await expect.poll(() => page.getByTestId('exp-state').getAttribute('data-state')).toBe('running');
    // Partway: some tasks done, not all, the spend counting, and the answer that never parses already failed.
    await expect
      .poll(async () => Number((await page.getByTestId('exp-progress').textContent())!.split('/')[0]!.trim()), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(8);
    await expect.poll(() => page.getByTestId('exp-failed').textContent(), { timeout: 20_000 }).toBe('1');
    expect(await page.getByTestId('exp-progress').textContent()).toMatch(/\/ 40/);
    await expect.poll(() => page.getByTestId('exp-eta').textContent()).toMatch(/\d+ s|min/);
    expect(await page.getByTestId('exp-spent').textContent()).toMatch(/^\$0\.\d+/);
    expect(await page.getByTestId('run-live').count()).toBe(1);
    await shot(page, 'experiment-live.png');
    await expect.poll(() => page.getByTestId('exp-state').getAttribute('data-state'), { timeout: 40_000 }).toBe('done');
    expect(await page.getByTestId('exp-progress').textContent()).toMatch(/40 \/ 40/);
    const perModel = await page.getByTestId('exp-model-progress').allTextContents();
    expect(perModel).toHaveLength(2);
    for (const row of perModel) expect(row).toMatch(/20 \/ 20/);
    // The answer that never parsed is a failure, named with its ticket.
    expect(await page.getByTestId('exp-failed').textContent()).toBe('1');
    expect(await page.getByTestId('exp-live').textContent()).toMatch(/Unusable answer\s*1.*EXP-2.*Asset ids.*groq:openai\/gpt-oss-20b/s);
    fake.configure({ latencyMs: latency(60) });
  });

  it('reads the report: best cell per column marked; a disagreement cell leads to exactly those tickets, each opening side by side', async () => {
    const page = b.page;
    await page.getByTestId('exp-open-report').click();
    await page.getByTestId('exp-report').waitFor();
    // The smaller model disagrees with the baseline on severity for two of four tickets.
    await expect.poll(() => cell(page, 'severity', FAST, 'agreement').textContent()).toMatch(/50\.0 %/);
    expect(await cell(page, 'platform', FAST, 'agreement').textContent()).toMatch(/100\.0 %/);
    // Faster → its median is the best of the column; the baseline is 100 % accurate on severity.
    expect(await cell(page, 'platform', FAST, 'median').getAttribute('data-best')).toBe('true');
    expect(await cell(page, 'platform', BASE, 'median').getAttribute('data-best')).toBeNull();
    expect(await cell(page, 'severity', BASE, 'accuracy').getAttribute('data-best')).toBe('true');
    expect(await page.locator('[data-testid="rep-cell"][data-best="true"]').count()).toBeGreaterThan(10);
    expect(await cell(page, 'asset_ids', FAST, 'success').textContent()).toMatch(/75\.0 %.*1 failed/);
    await shot(page, 'experiment-report.png');

    // Its failures: the one ticket whose answer never parsed.
    await cell(page, 'asset_ids', FAST, 'success').locator('button').click();
    await expect.poll(() => page.getByTestId('drill-label').textContent()).toMatch(/Failed tasks · groq:openai\/gpt-oss-20b · Asset ids/);
    await expect.poll(() => page.getByTestId('drill-row').count()).toBe(1);
    expect(await page.getByTestId('drill-row').textContent()).toMatch(/EXP-2.*Unusable answer/s);
    await page.getByTestId('exp-tab-report').click();

    await cell(page, 'severity', FAST, 'agreement').locator('button').click();
    await page.getByTestId('exp-drill').waitFor();
    expect(await page.getByTestId('drill-label').textContent()).toMatch(
      /Disagreements with the baseline · groq:openai\/gpt-oss-20b · Severity/,
    );
    await expect.poll(() => page.getByTestId('drill-row').count()).toBe(2);
    const ids = await page.getByTestId('drill-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-ticket-id')));
    expect(ids).toEqual(['EXP-1', 'EXP-3']);
    expect(await page.getByTestId('drill-row').first().textContent()).toMatch(/low.*urgent.*urgent/s);
    await page.getByTestId('drill-row').first().click();
    await page.getByTestId('compare-editor').waitFor();
    const severityRow = page.locator('tr', { has: page.locator('th', { hasText: 'Severity' }) });
    expect(await severityRow.locator('[data-testid="cmp-cell"][data-agreement="differs"]').count()).toBe(1);
    // The same model has the same colour in the comparison as in the experiment.
    const cmpColor = await page
      .locator('[data-testid="cmp-model"]', { hasText: 'gpt-oss-20b' })
      .locator('.model-swatch')
      .getAttribute('data-color');
    await page.locator(`[data-testid="editor-tab"][data-tab-id="run:${runId}"]`).click();
    await page.getByTestId('exp-tab-report').click();
    const repColor = await cell(page, 'severity', FAST, 'agreement')
      .locator('xpath=ancestor::tr')
      .locator('.model-swatch')
      .getAttribute('data-color');
    expect(repColor).toBe(cmpColor);
  });

  it('plans a model per task: picking updates the critical path; moving the floor changes the recommendation; applying writes Settings', async () => {
    const page = b.page;
    await page.getByTestId('exp-tab-plan').click();
    await page.getByTestId('exp-plan').waitFor();
    await expect.poll(() => page.getByTestId('plan-rec').textContent()).toMatch(/Recommended at floor 0\.80/);
    // At 0.80 only the baseline qualifies on severity (the other agrees on half the tickets).
    const recSeverity = () => page.getByTestId('plan-rec').locator('li', { hasText: 'Severity' }).textContent();
    expect(await recSeverity()).toMatch(/gpt-oss-120b/);
    // Picking a model per task moves "your pick": the baseline everywhere is slower than the
    // smaller model everywhere, which is below the floor on severity.
    const pickAll = async (model: string) => {
      for (const t of ['platform', 'product', 'technical_details', 'asset_ids', 'severity']) {
        await page.locator(`[data-testid="plan-cell"][data-task="${t}"][data-model="${model}"] input`).check();
      }
    };
    await pickAll(BASE);
    await expect
      .poll(() => page.getByTestId('plan-mine-median').textContent())
      .toBe(await page.getByTestId('plan-base-median').textContent());
    const slow = await page.getByTestId('plan-mine-median').textContent();
    await pickAll(FAST);
    await expect.poll(() => page.getByTestId('plan-mine-median').textContent()).not.toBe(slow);
    expect(parseInt((await page.getByTestId('plan-mine-median').textContent())!, 10)).toBeLessThan(parseInt(slow!, 10));
    await expect.poll(() => page.getByTestId('plan-mine-below').textContent()).toMatch(/below the floor: severity/);
    // Lower the floor to 0.50: now the faster model is recommended for severity too.
    await page.getByTestId('plan-floor').fill('0.5');
    await expect.poll(() => page.getByTestId('plan-floor-value').textContent()).toBe('0.50');
    await expect.poll(() => page.getByTestId('plan-rec').textContent()).toMatch(/Recommended at floor 0\.50/);
    await expect.poll(recSeverity).toMatch(/gpt-oss-20b/);
    expect(await page.getByTestId('plan-sweep').locator('tr.current').textContent()).toMatch(/^0\.50/);
    await page.getByTestId('plan-use-rec').click();
    await expect.poll(() => page.getByTestId('plan-use-rec').textContent()).toMatch(/In Settings/);
    await shot(page, 'experiment-plan.png');
    const settings = await fetch(`${serve.origin}/api/settings.get`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-casebench-token': serve.token },
      body: '{}',
    });
    const body = (await settings.json()) as { data: { assignment: Record<string, string>; assignmentSaved: boolean } };
    expect(body.data.assignmentSaved).toBe(true);
    expect(body.data.assignment.severity).toBe(FAST);
  });

  it('draws the latency plots of a larger run: violins per model, raw vs filtered, export as SVG, a click on a dot leads to its ticket', async () => {
    const page = b.page;
    fake.configure({ latencyMs: jittered(70) });
    await palette(page, 'new experiment');
    await page.getByTestId('exp-setup').waitFor();
    await page.getByTestId('exp-file-input').setInputFiles({
      name: 'latency.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(MANY.map((t) => JSON.stringify(t)).join('\n')),
    });
    await expect.poll(() => page.getByTestId('exp-staged').textContent()).toMatch(/latency\.jsonl — 30 tickets/);
    await page.getByTestId('exp-pick-groq:qwen/qwen3.8-27b').check();
    await page.getByTestId(`exp-baseline-${BASE}`).check();
    await page.getByTestId(`exp-rpm-${FAST}`).fill('');
    await page.getByTestId('exp-concurrency').fill('4');
    await expect.poll(() => page.getByTestId('exp-estimate').textContent()).toMatch(/450.*30 tickets × 3 models/s);
    await page.getByTestId('exp-start').click();
    await page.getByTestId('exp-live').waitFor();
    await expect.poll(() => page.getByTestId('exp-state').getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    await page.getByTestId('exp-tab-latency').click();
    await page.getByTestId('exp-latency').waitFor();
    for (const kind of ['violin', 'histogram', 'ecdf', 'scatter']) {
      const plot = page.locator(`[data-testid="plot-${kind}"]:is([data-state="ready"], [data-state="error"])`);
      await plot.waitFor({ timeout: 20_000 });
      expect(await plot.getAttribute('data-state'), `${kind}: ${await plot.textContent()} ${pageErrors.join('; ')}`).toBe('ready');
    }
    expect(await page.getByTestId('plot-violin').locator('svg').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('plot-violin').textContent()).toMatch(/Platform: latency per model/);
    await page.getByTestId('lat-task-product').click();
    await expect.poll(() => page.getByTestId('plot-violin').textContent()).toMatch(/Product: latency per model/);
    await page.locator('[data-testid="plot-violin"][data-state="ready"]').waitFor();
    await page.mouse.move(0, 0);
    await shot(page, 'plots-violin.png');
    await page.getByTestId('lat-mode-raw').click();
    await expect.poll(() => page.getByTestId('plot-violin').textContent()).toMatch(/raw: all \d+ successful calls/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('plot-violin').getByTestId('plot-export-svg').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^casebench-experiment-.*-product-violin-raw-light\.svg$/);
    const svg = readFileSync((await download.path())!, 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('<title>');
    // A dot of the scatter is one call: a click lists its ticket.
    // (dispatched on the dot itself: the trend line may lie over it)
    await page.locator('[data-testid="plot-scatter"] .mark-symbol path').first().dispatchEvent('click');
    await page.getByTestId('exp-drill').waitFor();
    await expect
      .poll(() => page.getByTestId('drill-label').textContent())
      .toMatch(/1 ticket behind the mark · groq:[a-z/.0-9-]+ · Product/);
    await expect.poll(() => page.getByTestId('drill-row').count()).toBe(1);
  });

  it('reads in dark mode with the same model colours', async () => {
    const page = b.page;
    await page.getByTestId('exp-tab-report').click();
    const colours = async (): Promise<Record<string, string>> => {
      const out: Record<string, string> = {};
      for (const m of [BASE, FAST])
        out[m] = (await cell(page, 'product', m, 'median')
          .locator('xpath=ancestor::tr')
          .locator('.model-swatch')
          .getAttribute('data-color'))!.toLowerCase();
      return out;
    };
    const light = await colours();
    await page.getByTestId('exp-tab-latency').click();
    await page.getByTestId('lat-mode-filtered').click();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('[data-testid="plot-ecdf"][data-state="ready"]').waitFor();
    await expect
      .poll(() => page.evaluate(() => getComputedStyle(document.querySelector('[data-testid="plot-violin"] svg')!).backgroundColor))
      .not.toBe('rgb(255, 255, 255)');
    // The violins are drawn in the same colours as the report's swatches, in dark as in light.
    const fills = await page
      .locator('[data-testid="plot-violin"] .mark-area path')
      .evaluateAll((els) => els.map((e) => (e.getAttribute('fill') ?? '').toLowerCase()));
    expect(fills).toEqual(expect.arrayContaining([light[BASE], light[FAST]]));
    await page.getByTestId('exp-tab-report').click();
    expect(await colours()).toEqual(light);
    await page.getByTestId('exp-tab-latency').click();
    await page.locator('[data-testid="plot-violin"][data-state="ready"]').waitFor();
    await page.mouse.move(0, 0);
    await shot(page, 'plots-dark.png');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(pageErrors).toEqual([]);
  });

  it('stops a running experiment keeping what finished, and resumes it to the end', async () => {
    const page = b.page;
    fake.configure({ latencyMs: latency(300) });
    await palette(page, 'new experiment');
    await page.getByTestId('exp-setup').waitFor();
    // Now from the workspace: the four tickets the file brought, another model set.
    await page.getByTestId('exp-tickets-workspace').check();
    await page.getByTestId('exp-source').selectOption('exp.jsonl');
    await page.getByTestId(`exp-pick-${FAST}`).uncheck();
    await page.getByTestId('exp-pick-groq:qwen/qwen3.8-27b').check();
    await page.getByTestId(`exp-baseline-${BASE}`).check();
    await expect.poll(() => page.getByTestId('exp-estimate').textContent()).toMatch(/40.*4 tickets × 2 models/s);
    await page.getByTestId('exp-start').click();
    await page.getByTestId('exp-live').waitFor();
    await expect
      .poll(async () => Number((await page.getByTestId('exp-progress').textContent())!.split('/')[0]!.trim()), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(2);
    // While it runs, the run list counts the tasks left from the same progress as the editor.
    const row = page.locator(`[data-testid="run-row"][data-run-id="${await page.getByTestId('exp-editor').getAttribute('data-run-id')}"]`);
    if ((await page.getByTestId('activity-experiments').getAttribute('aria-selected')) !== 'true')
      await page.getByTestId('activity-experiments').click();
    await expect.poll(() => row.textContent()).toMatch(/\d+ tasks? left/);
    await page.getByTestId('exp-stop').click();
    await expect.poll(() => page.getByTestId('exp-state').getAttribute('data-state'), { timeout: 20_000 }).toBe('interrupted');
    const stoppedAt = Number((await page.getByTestId('exp-progress').textContent())!.split('/')[0]!.trim());
    expect(stoppedAt).toBeLessThan(40);
    // The same word in the header and in the list.
    expect(await page.getByTestId('exp-state').textContent()).toBe('stopped');
    await expect.poll(() => row.getByTestId('run-status').textContent()).toBe('stopped');
    fake.configure({ latencyMs: latency(20) });
    await page.getByTestId('exp-resume').click();
    await expect.poll(() => page.getByTestId('exp-state').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    expect(await page.getByTestId('exp-progress').textContent()).toMatch(/40 \/ 40/);
    await expect.poll(() => row.getByTestId('run-status').textContent()).toBe('done');
    expect(await row.textContent()).not.toMatch(/left/);
    expect(pageErrors).toEqual([]);
  });
});
