// The workbench in a real browser: Debian's Chromium (playwright-core) against a real
// `casebench serve`, with the fake Groq/OpenAI server behind it. Each test is something a support
// engineer does; screenshots of the main views go to test-results/screenshots/ for review.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_IDS } from '#shared/tasks.ts';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { cliEnv, runCli, tempDir } from '../cli/helpers.ts';
import { launchBrowser, type LaunchedBrowser } from './browser.ts';
import { startServe, type ServeProcess } from './serveProcess.ts';
import { runCommand } from './palette.ts';
import { openWorkbench, type WorkbenchSession } from './session.ts';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, name) });

const TICKET = `Subject: URGENT - prod GKE cluster not scheduling pods after upgrade

Since the auto-upgrade to 1.29.4-gke.1043 last night our production cluster gke-prod-eu-1
(project acme-prod-42, europe-west1-b) stops scheduling new pods with "0/3 nodes are available".
Ingress returns 502 for about 40% of requests. Customers are affected right now.`;
const GROQ_KEY = 'gsk_E2ETESTK-EY000000000000000000wxyz';
const OPENAI_KEY = 'sk-e2e-openai-key-0000000000000000q9z7';
// Severity answers first; the platform → product → technical details chain takes longest.
const LATENCY: Record<string, number> = { severity: 150, platform: 300, asset_ids: 250, product: 300, technical_details: 350 };

let fake: FakeServer;
let serve: ServeProcess;
let b: LaunchedBrowser;
let session: WorkbenchSession;
let dbPath: string;
const pageErrors: string[] = [];

/** New ticket through the command palette (works wherever focus is), paste, Ctrl+Enter. */
async function newTicket(page: Page, text: string): Promise<void> {
  await runCommand(page, 'new ticket', 'tickets.new');
  await page.getByTestId('ticket-input').fill(text);
  await page.getByTestId('ticket-input').press('Control+Enter');
}

beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: (_m, task) => LATENCY[task ?? ''] ?? 100 });
  dbPath = join(tempDir(), 'cb.db');
  session = await openWorkbench({ GROQ_API_KEY: GROQ_KEY, GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL }, dbPath, {
    errors: pageErrors,
  });
  ({ serve, b } = session);
});
afterAll(async () => {
  await session?.close();
  await fake?.close();
});

describe('workbench in browser mode (real casebench serve, fake providers)', () => {
  it('opens from the printed URL alone: activity bar, side bar, editor, panel, status bar; keys shown as set + last 4 only', async () => {
    const page = b.page;
    await expect.poll(() => page.getByTestId('keys-status').textContent()).toMatch(/Groq key: set …wxyz/);
    expect(await page.getByTestId('keys-status').textContent()).toMatch(/OpenAI key: not set/);
    for (const a of ['tickets', 'experiments', 'review', 'traces', 'settings']) await page.getByTestId(`activity-${a}`).waitFor();
    await page.getByTestId('tickets-empty').waitFor();
    await page.getByTestId('welcome').waitFor();
    expect(await page.content()).not.toContain('gsk_E2ETESTKEY');
    await shot(page, 'welcome.png');
  });

  it('pastes a ticket and shows the five facts in order of completion, marked in the text and on the timeline', async () => {
    const page = b.page;
    await page.evaluate(() => {
      const order: string[] = [];
      (window as unknown as { __order: string[] }).__order = order;
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('[data-testid^="card-"][data-status="ok"]')) {
          const id = el.getAttribute('data-testid')!.slice(5);
          if (!order.includes(id)) order.push(id);
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
    });
    await newTicket(page, TICKET);
    await page.locator('[data-testid="card-severity"][data-status="ok"]').waitFor();
    await shot(page, 'ticket-running.png');
    await page.getByTestId('total-ms').waitFor();
    const order = await page.evaluate(() => (window as unknown as { __order: string[] }).__order);
    // Each fact appears as it completes; a dependent never before its upstream (speculation, on by
    // default here, may start it early but publishes it only once the upstream agrees).
    expect(new Set(order)).toEqual(new Set(TASK_IDS));
    expect(order.indexOf('platform')).toBeLessThan(order.indexOf('product'));
    expect(order.indexOf('platform')).toBeLessThan(order.indexOf('asset_ids'));
    expect(order.indexOf('product')).toBeLessThan(order.indexOf('technical_details'));
    for (const t of TASK_IDS) expect(await page.getByTestId(`card-${t}`).getAttribute('data-status')).toBe('ok');
    expect(await page.getByTestId('card-platform').textContent()).toMatch(/Google Cloud/);
    expect(await page.getByTestId('card-asset_ids').textContent()).toContain('acme-prod-42');
    // Each card says which model answered, how long it took, tokens and cost.
    expect(await page.getByTestId('card-severity').textContent()).toMatch(/groq.*gpt-oss.*\d+ ms.*in · .*out.*\$/s);
    // The extracted asset id is marked where it stands in the ticket text.
    expect(await page.locator('[data-testid="ticket-text"] mark[data-mark="asset"]').first().textContent()).toBe('acme-prod-42');
    // The observed path: with speculation (on in the workbench) product may finish before the platform
    // and drop off it; technical details always end it and the platform always starts it.
    expect(await page.getByTestId('critical-path').textContent()).toMatch(/Platform → (Product → )?Technical details/);
    await page.getByTestId('timeline').waitFor();
    expect(await page.locator('[data-testid^="tl-row-"]').count()).toBe(5);
    expect(await page.locator('[data-testid="ticket-row"]').count()).toBe(1);
    expect(pageErrors).toEqual([]);
    await shot(page, 'ticket-done.png');
  });

  it('says on its card when a provider is down, completes the rest of the ticket, and retries that task', async () => {
    const page = b.page;
    fake.configure({ faults: (i) => (i.task === 'severity' ? 'reset' : null) });
    await newTicket(page, `${TICKET}\n(second ticket)`);
    await page.locator('[data-testid="card-severity"][data-status="error"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="card-technical_details"][data-status="ok"]').waitFor({ timeout: 30_000 });
    // In words on the card; the code the CLI and logs use stays in the tooltip.
    expect(await page.getByTestId('error-severity').textContent()).toMatch(/Provider unreachable.*Lost the connection to Groq/s);
    expect(await page.getByTestId('error-severity').locator('[data-code]').getAttribute('data-code')).toBe('NETWORK');
    expect(await page.getByTestId('error-severity').textContent()).not.toMatch(/NETWORK/);
    await shot(page, 'ticket-provider-down.png');
    fake.configure({ faults: null });
    await page.getByTestId('retry-severity').click();
    await page.locator('[data-testid="card-severity"][data-status="ok"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('card-platform').getAttribute('data-status')).toBe('ok');
    expect(await page.getByTestId('card-platform').textContent()).toMatch(/kept/);
  });

  it('refuses a 10 MB paste before sending it, stating the limit', async () => {
    const page = b.page;
    const before = fake.stats.total;
    await page.locator('body').press('n');
    await page.getByTestId('ticket-input').waitFor();
    await page.evaluate(() => {
      const ta = document.querySelector('[data-testid="ticket-input"]')!;
      const dt = new DataTransfer();
      dt.setData('text/plain', 'log line 0123456789\n'.repeat(500_000));
      ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    expect(await page.getByTestId('triage-error').textContent()).toMatch(/10\.0 MB.*limit is 1,000,000 bytes \(1 MB\)/);
    expect(await page.getByTestId('ticket-input').inputValue()).toBe('');
    expect(fake.stats.total).toBe(before);
    await page.getByTestId('ticket-input').press('Alt+w');
  });

  it('imports a JSONL file, lists it with filters, reports the bad line, and j/k / Enter move through tickets', async () => {
    const page = b.page;
    const lines = Array.from({ length: 24 }, (_, i) =>
      JSON.stringify(
        i % 2
          ? {
              id: `AWS-${i}`,
              title: `S3 bucket logs-${i} AccessDenied`,
              text: `S3 bucket logs-${i} in account 1234567890${String(i).padStart(2, '0')} returns AccessDenied for Lambda writes since 09:00`,
            }
          : {
              id: `AZ-${i}`,
              title: `Azure VM vm-web-${i} does not boot`,
              text: `Azure VM vm-web-${i} in subscription 1111-2222-${i} does not boot after a resize, this is urgent`,
            },
      ),
    );
    await page
      .getByTestId('ticket-file-input')
      .setInputFiles({ name: 'batch.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(`${lines.join('\n')}\n{oops\n`) });
    await expect.poll(() => page.getByTestId('ticket-count').textContent(), { timeout: 15_000 }).toMatch(/26 tickets/);
    // A batch waits for the go-ahead on its estimate.
    await page.getByTestId('batch-confirm').waitFor();
    await page.getByTestId('batch-start').click();
    // Every ticket of the batch triaged: none left in triage, none waiting.
    await expect.poll(() => page.locator('[data-testid="ticket-row"]:not([data-state="done"])').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.locator('.list-meta').textContent(), { timeout: 30_000 }).not.toMatch(/in triage/);
    await page.getByTestId('filter-platform').selectOption('aws');
    await expect.poll(() => page.getByTestId('ticket-count').textContent()).toMatch(/^12 of 26/);
    await page.getByTestId('filter-platform').selectOption('');
    await page.getByTestId('filter-failed').click();
    await expect.poll(() => page.getByTestId('ticket-count').textContent()).toMatch(/^0 of 26/);
    await page.getByTestId('filter-failed').click(); // again: only tickets without failed tasks
    await expect.poll(() => page.getByTestId('ticket-count').textContent()).toMatch(/^26 of 26/);
    await page.getByText('Clear filters').click();
    // The bad line is reported with its number, above the list (and in the log); dismissed once read.
    expect(await page.getByTestId('import-result').textContent()).toMatch(
      /24 tickets imported from batch\.jsonl.*1 line skipped.*line 25: not valid JSON/s,
    );
    await page.getByTestId('panel-tab-log').click();
    expect(await page.getByTestId('log').textContent()).toMatch(/line 25/);
    await page.getByTestId('panel-tab-timeline').click();
    await page.getByTestId('import-result-dismiss').click();
    // Keyboard: j moves the selection and previews it; Enter keeps it open.
    // (Rows by ticket id, not DOM position: the virtualised list re-renders as it scrolls.)
    const rows = page.getByTestId('ticket-row');
    const selected = page.locator('[data-testid="ticket-row"][aria-selected="true"]');
    const firstId = (await rows.nth(1).getAttribute('data-ticket-id'))!;
    await page.locator(`[data-testid="ticket-row"][data-ticket-id="${firstId}"]`).click();
    await page.getByTestId('ticket-list').focus();
    const indexOf = () => selected.locator('xpath=..').getAttribute('data-index');
    const firstIndex = Number(await indexOf());
    await page.keyboard.press('j');
    await expect.poll(indexOf).toBe(String(firstIndex + 1));
    const id = await selected.getAttribute('data-ticket-id');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('k');
    await expect
      .poll(() => page.locator(`[data-testid="editor-tab"][data-tab-id="ticket:${id}"]`).getAttribute('class'))
      .toMatch(/preview/);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator(`[data-testid="editor-tab"][data-tab-id="ticket:${id}"]`).getAttribute('class'))
      .not.toMatch(/preview/);
    await shot(page, 'tickets-list.png');
  });

  it('runs every command from the palette (Ctrl+Shift+P) and lists their keys on the ? sheet', async () => {
    const page = b.page;
    await page.locator('body').click({ position: { x: 700, y: 5 } });
    await page.keyboard.press('Control+Shift+P');
    await page.getByTestId('palette-input').fill('toggle panel');
    await expect.poll(() => page.getByTestId('cmd-workbench.togglePanel').getAttribute('aria-selected')).toBe('true');
    await shot(page, 'palette.png');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await page.locator('#panel').boundingBox())?.height ?? 0).toBeLessThan(5);
    await page.keyboard.press('Control+j');
    await expect.poll(async () => (await page.locator('#panel').boundingBox())?.height ?? 0).toBeGreaterThan(50);
    await page.locator('body').press('?');
    const sheet = page.getByTestId('cheatsheet');
    await sheet.waitFor();
    const text = await sheet.textContent();
    for (const want of ['Show All Commands', 'Ctrl+Shift+P', 'Next Ticket', 'Re-run Ticket', 'Open Selected Ticket'])
      expect(text).toContain(want);
    await shot(page, 'cheatsheet.png');
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
  });

  it('changes an assignment: the predicted critical path moves, the missing key is named, and Settings opens on it', async () => {
    const page = b.page;
    await page.keyboard.press('Control+,');
    await page.getByTestId('settings-editor').waitFor();
    const predicted = page.getByTestId('predicted-ms');
    await expect.poll(() => predicted.textContent()).toMatch(/≈ \d/);
    const before = await predicted.textContent();
    await page.getByTestId('assign-platform').selectOption('openai:gpt-4o');
    await expect.poll(() => predicted.textContent()).not.toBe(before);
    await page.getByTestId('sb-missing-key').waitFor();
    expect(await page.getByTestId('sb-missing-key').textContent()).toMatch(/OpenAI key needed/);
    // A retired model is marked where it is chosen.
    expect(await page.getByTestId('assign-asset_ids').locator('option', { hasText: 'retired' }).count()).toBeGreaterThan(0);
    await page.keyboard.press('Control+j');
    await page.getByTestId('settings-nav-assignment').click();
    await shot(page, 'settings.png');
    await page.keyboard.press('Control+j');

    // Triage now stops before any call, names OpenAI, and opens its key field.
    await newTicket(page, `${TICKET}\n(third)`);
    await page.locator('[data-testid="key-row-openai"].attention').waitFor();
    expect(await page.getByTestId('key-row-openai').textContent()).toMatch(/needs a OpenAI key|OpenAI key/);
    await page.getByTestId('key-input-openai').fill(OPENAI_KEY);
    await page.getByTestId('key-set-openai').click();
    await expect.poll(() => page.getByTestId('key-state-openai').textContent()).toMatch(/set …q9z7/);
    expect(await page.getByTestId('key-input-openai').inputValue()).toBe('');
    expect(await page.content()).not.toContain(OPENAI_KEY);
    expect(await page.getByTestId('keys-status').textContent()).toMatch(/OpenAI key: set …q9z7/);
    await shot(page, 'settings-keys.png');
    await page.getByTestId('assign-reset').click();
    await expect.poll(() => page.getByTestId('assign-platform').inputValue()).toBe('groq:openai/gpt-oss-120b');
  });

  it('compares three models side by side on a ticket: baseline marked, differences highlighted, latency and cost per cell', async () => {
    const page = b.page;
    fake.configure({ answer: (i) => (i.model === 'gpt-4o' && i.task === 'severity' ? { severity: 'low' } : undefined) });
    await page.getByTestId('activity-tickets').click();
    await page.getByTestId('ticket-search').fill('acme-prod-42');
    // Wait for the search's own rows (the list shows the previous ones until they arrive).
    await expect.poll(() => page.getByTestId('ticket-row').filter({ hasNotText: 'GKE cluster' }).count()).toBe(0);
    await page.getByTestId('ticket-row').filter({ hasText: 'GKE cluster' }).first().dblclick();
    await expect.poll(() => page.getByTestId('ticket-editor').textContent()).toMatch(/GKE cluster/);
    await page.getByTestId('compare-button').click();
    await page.getByTestId('compare-picker').waitFor();
    await page.getByTestId('pick-openai:gpt-4o').check();
    await page.getByTestId('compare-start').click();
    await page.getByTestId('compare-editor').waitFor();
    expect(await page.getByTestId('cmp-model').count()).toBe(3);
    await expect.poll(() => page.locator('[data-testid="cmp-cell"][data-status="ok"]').count(), { timeout: 30_000 }).toBe(15);
    expect(await page.getByTestId('cmp-model').first().textContent()).toMatch(/baseline/);
    const severityRow = page.locator('tr', { has: page.locator('th', { hasText: 'Severity' }) });
    expect(await severityRow.locator('[data-testid="cmp-cell"][data-agreement="differs"]').count()).toBe(1);
    expect(await severityRow.locator('[data-testid="cmp-cell"][data-agreement="differs"]').textContent()).toMatch(/low.*\d+ ms.*\$/s);
    fake.configure({ answer: null });
    await shot(page, 'compare.png');
    await page.getByTestId('ticket-search').fill('');
  });

  it('lists recorded runs in Experiments and opens a run’s ticket in the comparison view', async () => {
    const page = b.page;
    await page.getByTestId('activity-experiments').click();
    await expect.poll(() => page.getByTestId('run-row').count()).toBeGreaterThanOrEqual(2);
    const kinds = await page.getByTestId('run-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toContain('compare');
    expect(kinds).toContain('run');
    expect(await page.locator('[data-testid="run-row"][data-kind="run"]').textContent()).toMatch(/batch\.jsonl.*24 tickets/s);
    await page.locator('[data-testid="run-row"][data-kind="compare"]').first().dblclick();
    await page.getByTestId('run-editor').waitFor();
    await page.getByTestId('run-ticket').first().click();
    await page.getByTestId('compare-editor').waitFor();
    expect(await page.getByTestId('cmp-model').count()).toBe(3);
    await shot(page, 'experiments.png');
  });

  it('opens an experiment recorded by `casebench experiment` side by side, with its baseline', async () => {
    const page = b.page;
    const dir = tempDir();
    const tickets = join(dir, 'exp.jsonl');
    writeFileSync(
      tickets,
      ['E1', 'E2', 'E3']
        .map((id, i) =>
          JSON.stringify({ id, text: `Cloud SQL instance db-${i} in project shop-${i} refuses connections since 08:00, checkout is down` }),
        )
        .join('\n'),
    );
    const r = await runCli(
      [
        'experiment',
        '--tickets',
        tickets,
        '--models',
        'groq:openai/gpt-oss-20b,groq:openai/gpt-oss-120b',
        '--baseline',
        'groq:openai/gpt-oss-120b',
        '--db',
        dbPath,
      ],
      cliEnv({ GROQ_API_KEY: GROQ_KEY, GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL }),
    );
    expect(r.code, r.stderr).toBe(0);
    await page.keyboard.press('Control+Shift+X'); // Show Experiments (a click on its icon would toggle it)
    await page.getByRole('button', { name: 'Refresh runs' }).click();
    await page.locator('[data-testid="run-row"][data-kind="experiment"]').waitFor();
    expect(await page.locator('[data-testid="run-row"][data-kind="experiment"]').textContent()).toMatch(/3 tickets.*2 models/s);
    await page.locator('[data-testid="run-row"][data-kind="experiment"]').dblclick();
    // An experiment opens on its report (test/e2e/experiments.e2e.test.ts); its tickets are one tab away.
    await page.getByTestId('exp-report').waitFor();
    await page.getByTestId('exp-tab-tickets').click();
    await expect.poll(() => page.getByTestId('run-ticket').count()).toBe(3);
    await page.getByTestId('run-ticket').first().click();
    await page.getByTestId('compare-editor').waitFor();
    expect(await page.getByTestId('compare-editor').textContent()).toMatch(/Recorded experiment/);
    expect(await page.getByTestId('cmp-model').count()).toBe(2);
    expect(await page.getByTestId('cmp-model').first().textContent()).toMatch(/gpt-oss-120b.*baseline/s);
    expect(await page.locator('[data-testid="cmp-cell"][data-status="ok"]').count()).toBe(10);
    await shot(page, 'experiment-recorded.png');
  });

  it('triages tickets dropped into the watched folder', async () => {
    const page = b.page;
    const folder = tempDir();
    await page.keyboard.press('Control+,');
    await page.getByTestId('settings-nav-intake').click();
    await page.getByTestId('watch-folder').fill(folder);
    await page.getByTestId('watch-folder').press('Enter');
    await page.getByTestId('watch-state').waitFor();
    writeFileSync(
      join(folder, 'WATCH-1.txt'),
      'Our Azure VM vm-api-7 in subscription 9999-8888 will not start after resize; production API down.',
    );
    await page.getByTestId('activity-tickets').click();
    await page.getByTestId('ticket-search').fill('WATCH-1');
    await page.locator('[data-testid="ticket-row"][data-ticket-id="WATCH-1"][data-state="done"]').waitFor({ timeout: 20_000 });
    await page.getByTestId('ticket-search').fill('');
  });

  it('opens Review and Traces empty, saying how to begin (their own tests: review.e2e, traces.e2e)', async () => {
    const page = b.page;
    await page.getByTestId('activity-review').click();
    expect(await page.getByTestId('review-empty').textContent()).toMatch(/No review queues yet/);
    await page.getByTestId('activity-traces').click();
    expect(await page.getByTestId('traces-empty').textContent()).toMatch(/casebench import/);
    await page.getByTestId('activity-tickets').click();
    expect(pageErrors).toEqual([]);
  });
});

describe('closing mid-run and reopening', () => {
  it('keeps finished facts, marks the unfinished ticket, remembers the layout, and resumes', async () => {
    const slow = await startFakeServer({ latencyMs: (_m, task) => (task === 'technical_details' ? 20_000 : 80) });
    const db = join(tempDir(), 'cb.db');
    const env = { GROQ_API_KEY: GROQ_KEY, GROQ_BASE_URL: slow.groqBaseURL, OPENAI_BASE_URL: slow.openaiBaseURL };
    let s1: ServeProcess | null = await startServe(env, ['--db', db]);
    const br = await launchBrowser({ colorScheme: 'dark' });
    try {
      const page = br.page;
      await page.goto(s1.url);
      await page.getByTestId('welcome').waitFor();
      await newTicket(page, TICKET);
      await page.locator('[data-testid="card-asset_ids"][data-status="ok"]').waitFor();
      await page.locator('[data-testid="card-technical_details"][data-status="running"]').waitFor();
      await shot(page, 'ticket-dark.png');
      // A reload mid-triage: the call still in flight shows as asked, with its time so far (not
      // "Queued"), the finished facts stay, and the list counts the ticket as in triage, not queued.
      await page.reload();
      await page.getByTestId('ticket-editor').waitFor();
      const td = page.getByTestId('card-technical_details');
      await expect.poll(() => td.getAttribute('data-status')).toBe('running');
      expect(await td.textContent()).toMatch(/Asking the model…\s*\d/);
      for (const t of ['severity', 'platform', 'product', 'asset_ids'])
        expect(await page.getByTestId(`card-${t}`).getAttribute('data-status')).toBe('ok');
      await expect.poll(() => page.getByTestId('list-in-triage').textContent()).toMatch(/^\s*1 in triage$/);
      await page.keyboard.press('Control+j'); // hide the panel: should be remembered
      await page.waitForTimeout(800); // UI state is saved debounced
      s1.child.kill('SIGKILL');
      await new Promise((r) => s1!.child.once('exit', r));
      s1 = null;

      const s2 = await startServe(env, ['--db', db]);
      try {
        await page.goto(s2.url); // a new port and token, as after a restart
        await page.getByTestId('interrupted-notice').waitFor();
        await page.locator('[data-testid="ticket-row"][data-state="interrupted"]').waitFor();
        // The ticket's tab is reopened with its finished facts.
        await page.getByTestId('ticket-editor').waitFor();
        for (const t of ['severity', 'platform', 'product', 'asset_ids'])
          expect(await page.getByTestId(`card-${t}`).getAttribute('data-status')).toBe('ok');
        expect(await page.getByTestId('card-technical_details').textContent()).toMatch(/Not finished/);
        expect(await page.getByTestId('run-status').textContent()).toMatch(/Interrupted · 4 of 5/);
        expect((await page.locator('#panel').boundingBox())?.height ?? 0).toBeLessThan(5);
        await shot(page, 'interrupted.png');
        slow.configure({ latencyMs: 80 });
        await page.getByTestId('resume-interrupted').click();
        await page.locator('[data-testid="card-technical_details"][data-status="ok"]').waitFor({ timeout: 30_000 });
        await expect.poll(() => page.locator('[data-testid="ticket-row"][data-state="done"]').count()).toBe(1);
      } finally {
        await s2.stop();
      }
    } finally {
      if (s1) await s1.stop();
      await br.close();
      await slow.close();
    }
  });
});

describe('browser-mode server', () => {
  it('refuses API calls without the start token or from a foreign origin', async () => {
    const api = `${serve.origin}/api/keys.status`;
    const noToken = await fetch(api, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noToken.status).toBe(401);
    const foreign = await fetch(api, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-casebench-token': serve.token, origin: 'http://evil.example' },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
    const ok = await fetch(api, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-casebench-token': serve.token },
      body: '{}',
    });
    expect(ok.status).toBe(200);
    const body = await ok.text();
    expect(body).toContain('"last4":"wxyz"');
    expect(body).not.toContain('gsk_');
    const settings = await fetch(`${serve.origin}/api/settings.get`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-casebench-token': serve.token },
      body: '{}',
    });
    expect(await settings.text()).not.toMatch(/gsk_|sk-e2e/);
  });
});
