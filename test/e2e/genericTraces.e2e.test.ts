// Imported traces are traces, not support tickets (issue 14 §3), in a real browser against a real
// `casebench serve`: a promptfoo eval and a LangSmith run import without a single ticket, list
// under Traces, open as a span tree with their messages, output and cost, move call to call by
// keyboard, and a review queue over them is scored by keyboard alone (blind until scored).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { tempDir } from '../cli/helpers.ts';
import type { LaunchedBrowser } from './browser.ts';
import { runCommand } from './palette.ts';
import { openWorkbench, type WorkbenchSession } from './session.ts';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const FIXTURES = resolve(import.meta.dirname, '../fixtures/traces');

let fake: FakeServer;
let b: LaunchedBrowser;
let session: WorkbenchSession;
const pageErrors: string[] = [];

async function showTraces(page: Page): Promise<void> {
  await runCommand(page, 'show traces', 'view.traces');
  await page.getByTestId('traces-view').waitFor();
}

async function pick(page: Page, path: string): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('trace-open').click()]);
  await chooser.setFiles(path);
}

beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 10 });
  const dir = tempDir('cb-generic-e2e-');
  session = await openWorkbench({ GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL }, join(dir, 'cb.db'), {
    errors: pageErrors,
    viewport: { width: 1440, height: 900 },
  });
  ({ b } = session);
});
afterAll(async () => {
  await session?.close();
  await fake?.close();
});

describe('generic traces in the workbench (browser mode)', () => {
  it('a promptfoo eval and a LangSmith trace import as traces: none in the ticket list, both under Traces', async () => {
    const page = b.page;
    await showTraces(page);
    await pick(page, join(FIXTURES, 'promptfoo-output.sample-export.json'));
    await expect
      .poll(() => page.getByTestId('trace-report').first().textContent())
      .toMatch(/promptfoo-output\.sample-export\.json: 4 calls, 0 tickets/);
    expect(await page.getByTestId('trace-report').first().textContent()).toMatch(/4 calls are generic traces/);
    await pick(page, join(FIXTURES, 'langsmith-runs.langsmith-fetch-fixture.json'));
    await expect
      .poll(() => page.getByTestId('trace-report').first().textContent())
      .toMatch(/langsmith-runs\.langsmith-fetch-fixture\.json: 1 call, 0 tickets/);
    await expect.poll(() => page.getByTestId('generic-trace-row').count()).toBe(3);
    const rows = await page.getByTestId('generic-trace-row').allTextContents();
    expect(rows.filter((r) => /Solve this riddle/.test(r))).toHaveLength(2);
    expect(rows.some((r) => /handleEpicChat.*LangSmith/s.test(r))).toBe(true);
    // the list's own filters
    await page.getByTestId('gt-model').selectOption('anthropic:claude-sonnet-4-20250514');
    await expect.poll(() => page.getByTestId('generic-trace-row').count()).toBe(1);
    await page.getByTestId('gt-model').selectOption('');
    await page.getByTestId('gt-search').fill('riddle');
    await expect.poll(() => page.getByTestId('generic-trace-row').count()).toBe(2);
    await page.getByTestId('gt-search').fill('');
    await expect.poll(() => page.getByTestId('generic-trace-row').count()).toBe(3);
    // ...and not one of them is a support ticket
    await runCommand(page, 'show tickets', 'view.tickets');
    await page.getByTestId('ticket-search').waitFor();
    await expect.poll(() => page.getByTestId('ticket-row').count()).toBe(0);
    expect(await page.locator('.tickets-view').textContent()).not.toMatch(/riddle|howdy|handleEpicChat/i);
  });

  it('opens a trace: span tree with timings, each call’s messages, output, model and cost; j/k move between calls', async () => {
    const page = b.page;
    await showTraces(page);
    await page.getByTestId('generic-trace-row').filter({ hasText: 'handleEpicChat' }).click();
    const view = page.getByTestId('trace-view');
    await view.waitFor();
    await expect.poll(() => page.getByTestId('tv-node').count()).toBe(4);
    const names = await page.getByTestId('tv-node').allTextContents();
    expect(names[0]).toMatch(/handleEpicChat/);
    expect(names[1]).toMatch(/generateEpicResponse/);
    expect(names[2]).toMatch(/handleEpicChat.*claude-sonnet/);
    expect(names[3]).toMatch(/processToolCalls/);
    // the call is selected: its model, tokens, cost; the waterfall spans the whole trace
    expect(await page.getByTestId('tv-node').nth(2).getAttribute('aria-selected')).toBe('true');
    expect(await page.getByTestId('tv-model').textContent()).toMatch(/anthropic:claude-sonnet-4-20250514/);
    expect(await page.getByTestId('tv-cost').textContent()).toMatch(/\$0\.1500/);
    expect(await page.getByTestId('tv-totals').textContent()).toMatch(/3 min 52 s total/);
    // ↑ selects the chain above it: its own detail
    await page.keyboard.press('Control+j'); // the bottom panel out of the way (for the screenshots)
    await view.focus();
    await page.keyboard.press('ArrowUp');
    await page.getByTestId('tv-span').waitFor();
    expect(await page.getByTestId('tv-span').textContent()).toMatch(/generateEpicResponse.*chain/s);
    await page.screenshot({ path: join(SHOTS, 'trace-view-tree.png') });

    // a promptfoo trace: two calls of one test case, their prompt, answer and cost
    await page.getByTestId('generic-trace-row').filter({ hasText: 'I speak without a mouth' }).click();
    await expect.poll(() => page.getByTestId('tv-title').textContent()).toMatch(/Solve this riddle/);
    await expect.poll(() => page.getByTestId('tv-node').count()).toBe(2);
    const first = await page.getByTestId('tv-call').getAttribute('data-call-id');
    expect(await page.getByTestId('tv-input').textContent()).toMatch(/user.*I speak without a mouth/s);
    expect(await page.getByTestId('tv-output').textContent()).toMatch(/echo/i);
    expect(await page.getByTestId('tv-cost').textContent()).toMatch(/^cost\$0\.00/);
    expect(await page.getByTestId('tv-total-cost').textContent()).toMatch(/\$0\.002/);
    expect(await page.getByTestId('tv-scores').textContent()).toMatch(/pass.*promptfoo/s);
    await page.getByTestId('trace-view').focus();
    await page.keyboard.press('j');
    await expect.poll(() => page.getByTestId('tv-call').getAttribute('data-call-id')).not.toBe(first);
    const models = [await page.getByTestId('tv-model').textContent()];
    await page.keyboard.press('k');
    await expect.poll(() => page.getByTestId('tv-call').getAttribute('data-call-id')).toBe(first);
    models.push(await page.getByTestId('tv-model').textContent());
    expect(models.map((m) => m!.replace(/^model/, '')).sort()).toEqual(['openai:gpt-5', 'openai:gpt-5-mini']);
    await page.screenshot({ path: join(SHOTS, 'trace-view.png') });
    expect(pageErrors).toEqual([]);
  });

  it('scores a review queue over the imported traces by keyboard, blind until scored; results show agreement', async () => {
    const page = b.page;
    await showTraces(page);
    await page.getByTestId('gt-new-queue').click();
    await page.getByTestId('new-trace-queue').waitFor();
    await page.getByTestId('nq-name').fill('riddles');
    await page.getByTestId('nq-create').click();
    const screen = page.getByTestId('trace-review');
    await screen.waitFor();
    await expect.poll(() => screen.textContent()).toMatch(/call 1 of 5/);
    expect(await page.getByTestId('trv-model').textContent()).toMatch(/hidden until scored/);
    await screen.focus();
    for (let i = 0; i < 5; i++) {
      await expect.poll(() => page.getByTestId('trv-pos').textContent()).toBe(String(i + 1));
      // correct: pass/fail · helpfulness: 0–4 · main issue: label 1–5
      await page.keyboard.press(i % 2 ? '0' : '1');
      await expect.poll(() => page.locator('[data-criterion="correct"]').getAttribute('data-value')).toBe(i % 2 ? 'fail' : 'pass');
      await page.keyboard.press('3');
      await expect.poll(() => page.locator('[data-criterion="helpful"]').getAttribute('data-value')).toBe('0.75');
      await page.keyboard.press('2');
      await expect.poll(() => page.locator('[data-criterion="issue"]').getAttribute('data-value')).toBe('wrong');
      await page.getByTestId('trv-item-done').waitFor();
      // revealed once scored
      expect(await page.getByTestId('trv-model').textContent()).not.toMatch(/hidden/);
      if (i === 0) {
        await page.keyboard.press('n');
        await page.getByTestId('trv-note').fill('fine answer');
        await page.keyboard.press('Escape');
        await page.screenshot({ path: join(SHOTS, 'trace-review.png') });
      }
      if (i < 4) await page.keyboard.press('Enter');
    }
    await expect.poll(() => screen.textContent()).toMatch(/5 scored by/);
    // u takes back the last score
    await page.keyboard.press('u');
    await expect.poll(() => page.locator('[data-criterion="issue"]').getAttribute('data-value')).toBe('');
    await page.keyboard.press('2');
    await page.getByTestId('trv-item-done').waitFor();
    await page.getByTestId('trv-show-results').click();
    await expect.poll(() => page.getByTestId('trv-results').textContent()).toMatch(/openai:gpt-5.*pass/s);
    // promptfoo's own verdict on "pass" is another criterion id; our "correct" has one reviewer
    expect(await page.getByTestId('trv-results').textContent()).toMatch(/Correct/);
    expect(fake.stats.total).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
