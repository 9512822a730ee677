// Trace import in a real browser against a real `casebench serve`: open a trace file through the
// picker (or drop it), read the import report — calls, tickets, and each skipped record with where
// it is and why — and see the imported calls: in the import's call list with their origin, and on
// the ticket view's cards. Opening a trace file needs no key and makes no network call.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { cliEnv, runCli, tempDir } from '../cli/helpers.ts';
import { writeBigOtlp } from '../fakes/bigTraces.ts';
import type { LaunchedBrowser } from './browser.ts';
import { runCommand } from './palette.ts';
import { openWorkbench, type WorkbenchSession } from './session.ts';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const FIXTURES = resolve(import.meta.dirname, '../fixtures/traces');
const GROQ_KEY = 'gsk_TRACESE2-E000000000000000000000wxyz';

let fake: FakeServer;
let b: LaunchedBrowser;
let session: WorkbenchSession;
const pageErrors: string[] = [];

/** Shows the Traces side bar whatever was shown before. */
async function showTraces(page: Page): Promise<void> {
  await runCommand(page, 'show traces', 'view.traces');
  await page.getByTestId('traces-view').waitFor();
}

/** Picks a file through the Traces view's "Open a trace file" (the browser's file chooser). */
async function pick(page: Page, path: string): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('trace-open').click()]);
  await chooser.setFiles(path);
}

beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 10 });
  const dir = tempDir('cb-traces-e2e-');
  session = await openWorkbench(
    { GROQ_API_KEY: GROQ_KEY, GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL },
    join(dir, 'cb.db'),
    { errors: pageErrors },
  );
  ({ b } = session);
});
afterAll(async () => {
  await session?.close();
  await fake?.close();
});

describe('trace import in the workbench (browser mode)', () => {
  it('opens a promptfoo export through the file picker: the report, the import listed, its calls with their origin; no network', async () => {
    const page = b.page;
    const calls = fake.stats.total;
    await showTraces(page);
    await page.getByTestId('traces-empty').waitFor();
    await pick(page, join(FIXTURES, 'promptfoo-output.sample-export.json'));
    const report = page.getByTestId('trace-report').first();
    await expect.poll(() => report.textContent()).toMatch(/promptfoo-output\.sample-export\.json: 4 calls, 0 tickets, 0 records skipped/);
    expect(await report.textContent()).toMatch(/promptfoo eval output/);
    await expect.poll(() => page.getByTestId('trace-import-row').count()).toBe(1);
    expect(await page.getByTestId('trace-import-row').textContent()).toMatch(
      /promptfoo-output\.sample-export\.json.*promptfoo.*4 calls.*0 tickets/s,
    );
    // The import opens with its calls: model, status, and where each came from.
    await page.getByTestId('trace-editor').waitFor();
    await expect.poll(() => page.getByTestId('trace-call').count()).toBe(4);
    const rows = await page.getByTestId('trace-call').allTextContents();
    expect(rows.filter((r) => /openai:gpt-5-mini/.test(r)).length).toBe(2);
    expect(rows.filter((r) => /openai:gpt-5(?!-)/.test(r)).length).toBe(2);
    // Each call's origin: its place in the file and the source tool's ids (the file is the import's).
    const origins = await page.getByTestId('trace-call-origin').allTextContents();
    expect(origins.map((o) => /results\.results\[(\d)\]/.exec(o)?.[1]).sort()).toEqual(['0', '1', '2', '3']);
    for (const o of origins) expect(o).toMatch(/trace eval-WJi.*span [0-9a-f]{8}/);
    expect(await page.getByTestId('trace-calls').locator('[data-testid="trace-call-origin"]').first().getAttribute('title')).toMatch(
      /^promptfoo · promptfoo-output\.sample-export\.json · results\.results\[0\]/,
    );
    expect(await page.getByTestId('trace-calls').textContent()).toMatch(/Solve this riddle/);
    // No key was needed and nothing went out.
    expect(fake.stats.total).toBe(calls);
    await page.screenshot({ path: join(SHOTS, 'traces-import.png') });
  });

  it('lists skipped records with where and why, refuses a file it cannot read, and says when content was imported before', async () => {
    const page = b.page;
    // Dropped on the Traces view: LangSmith feedback is a score, not a model call.
    const text = readFileSync(join(FIXTURES, 'langsmith-feedback.docs-example.json'), 'utf8');
    const dt = await page.evaluateHandle(
      ({ name, text }) => {
        const d = new DataTransfer();
        d.items.add(new File([text], name, { type: 'application/json' }));
        return d;
      },
      { name: 'langsmith-feedback.docs-example.json', text },
    );
    await page.getByTestId('traces-view').dispatchEvent('drop', { dataTransfer: dt });
    const report = page.getByTestId('trace-report').first();
    await expect.poll(() => report.textContent()).toMatch(/langsmith-feedback\.docs-example\.json: 0 calls, 0 tickets, 1 record skipped/);
    expect(await page.getByTestId('trace-issue').first().textContent()).toMatch(
      /langsmith-feedback\.docs-example\.json.*LangSmith feedback is a score, not a model call/,
    );

    await pick(page, join(FIXTURES, 'redaction-corpus.json'));
    await expect
      .poll(() => page.getByTestId('trace-error').textContent())
      .toMatch(/redaction-corpus\.json: .*cannot tell the trace format/);

    await pick(page, join(FIXTURES, 'promptfoo-output.sample-export.json'));
    await expect.poll(() => page.getByTestId('trace-report').first().textContent()).toMatch(/already imported \(same content\)/);
    expect(await page.getByTestId('trace-import-row').count()).toBe(1);
  });

  it('shows imported calls of casebench tasks in the ticket view with their origin, and side by side', async () => {
    const page = b.page;
    // An OTLP file of a casebench run made elsewhere (its own workspace), exported by the CLI.
    const dir = tempDir('cb-traces-otlp-');
    const tickets = join(dir, 'tickets.jsonl');
    writeFileSync(
      tickets,
      `${JSON.stringify({ id: 'OT-1', text: 'Our S3 bucket logs-9 in account 123456789012 returns AccessDenied for Lambda writes since 09:00 UTC; exports are failing.' })}\n`,
    );
    const env = cliEnv({ GROQ_API_KEY: GROQ_KEY, GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL });
    const other = join(dir, 'other.db');
    const run = await runCli(['run', '--tickets', tickets, '--db', other], env);
    expect(run.code, run.stderr).toBe(0);
    const otlp = join(dir, 'support-run.otlp.jsonl');
    const exp = await runCli(['export', '--format', 'otlp', '--out', otlp, '--db', other], env);
    expect(exp.code, exp.stderr).toBe(0);
    const before = fake.stats.total;

    await pick(page, otlp);
    await expect
      .poll(() => page.getByTestId('trace-report').first().textContent())
      .toMatch(/support-run\.otlp\.jsonl: 5 calls, 1 ticket, 0 records skipped/);
    await expect.poll(() => page.getByTestId('trace-call').count()).toBe(5);
    expect(await page.getByTestId('trace-calls').textContent()).toMatch(/Platform.*Severity/s);
    // The ticket opens with the imported facts, each card saying where its call came from.
    await page.getByTestId('trace-call').first().getByRole('button').click();
    await page.getByTestId('ticket-editor').waitFor();
    await expect.poll(() => page.getByTestId('card-platform').getAttribute('data-status')).toBe('ok');
    expect(await page.getByTestId('card-platform').textContent()).toMatch(/AWS/);
    await expect
      .poll(() => page.getByTestId('origin-platform').textContent())
      .toMatch(/OTLP.*support-run\.otlp\.jsonl.*line \d+.*trace [0-9a-f]{8}…/s);
    expect(await page.getByTestId('origin-asset_ids').textContent()).toMatch(/support-run\.otlp\.jsonl/);
    expect(await page.getByTestId('card-asset_ids').textContent()).toContain('123456789012');
    await page.screenshot({ path: join(SHOTS, 'traces-ticket-origin.png') });
    // The import is a run like any other: its ticket opens side by side.
    await showTraces(page);
    await page.getByTestId('trace-import-row').filter({ hasText: 'support-run' }).click();
    await page.getByTestId('trace-open-run').click();
    await page.getByTestId('run-editor').waitFor();
    await page.getByTestId('run-ticket').first().click();
    await page.getByTestId('compare-editor').waitFor();
    await expect.poll(() => page.locator('[data-testid="cmp-cell"][data-status="ok"]').count()).toBeGreaterThanOrEqual(5);
    expect(fake.stats.total).toBe(before);
    expect(pageErrors).toEqual([]);
  });

  it('a big file by path shows how far the import is, Cancel keeps nothing of it, and the next try imports it whole', async () => {
    const page = b.page;
    const dir = tempDir('cb-traces-big-');
    const big = join(dir, 'big-export.otlp.jsonl');
    const n = 60_000; // ~90 MB: a few seconds of import, read on the importer's worker thread
    await writeBigOtlp(big, n);
    const before = fake.stats.total;
    await showTraces(page);
    const rows = await page.getByTestId('trace-import-row').count();
    await page.getByTestId('trace-path').fill(big);
    await page.getByTestId('trace-path').press('Enter');
    const progress = page.getByTestId('trace-progress');
    await expect
      .poll(() => progress.textContent(), { timeout: 30_000 })
      .toMatch(/Importing big-export\.otlp\.jsonl…\s*\d+% of \d+ MB · [\d,]+ calls/);
    await page.screenshot({ path: join(SHOTS, 'traces-progress.png') });
    await page.getByTestId('trace-cancel').click();
    await expect
      .poll(() => page.getByTestId('trace-error').textContent(), { timeout: 30_000 })
      .toMatch(/big-export\.otlp\.jsonl: import of big-export\.otlp\.jsonl cancelled; nothing of it was written/);
    expect(await page.getByTestId('trace-import-row').count()).toBe(rows);
    // The next try runs to the end: every call, and the import listed.
    await page.getByTestId('trace-path').fill(big);
    await page.getByTestId('trace-path').press('Enter');
    await expect
      .poll(() => page.getByTestId('trace-report').first().textContent(), { timeout: 60_000 })
      .toMatch(
        new RegExp(`big-export\\.otlp\\.jsonl: ${n.toLocaleString('en')} calls, ${n.toLocaleString('en')} tickets, 0 records skipped`),
      );
    await expect.poll(() => page.getByTestId('trace-import-row').count()).toBe(rows + 1);
    expect(await progress.count()).toBe(0);
    expect(fake.stats.total).toBe(before);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
