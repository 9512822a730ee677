// Manual review in a real browser against a real `casebench serve`: a reviewer names themself
// once, makes a blind queue from a recorded experiment, scores it with the keyboard alone (no
// mouse once the queue is open), closes the window mid-queue and resumes, then reads the
// results (the article's table with CIs and n, agreement, the baseline check) and exchanges
// scores as JSONL. Screenshots: review-blind.png, review-revealed.png, review-results.png.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { cliEnv, runCli, tempDir } from '../cli/helpers.ts';
import type { LaunchedBrowser } from './browser.ts';
import { runCommand } from './palette.ts';
import { openWorkbench, type WorkbenchSession } from './session.ts';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, name) });

const GROQ_KEY = 'gsk_REVIEWE2-E0000000000000000000abcd';
const OPENAI_KEY = 'sk-review-e2e-0000000000000000000efgh';
const BASE = 'openai:gpt-4o';
const SMALL = 'groq:openai/gpt-oss-20b';
const LARGE = 'groq:openai/gpt-oss-120b';

const TICKETS = [
  {
    id: 'R1',
    title: 'GKE cluster not scheduling pods',
    text: `Our production GKE cluster gke-prod-eu-1 (project acme-prod-42, europe-west1-b) stopped scheduling pods after the
auto-upgrade to 1.29.4-gke.1043 last night: "0/3 nodes are available". Ingress returns 502 for 40% of requests. Customers are affected now.`,
  },
  {
    id: 'R2',
    title: 'S3 AccessDenied for Lambda writes',
    text: 'S3 bucket logs-7 in account 123456789012 returns AccessDenied for Lambda writes since 09:00 UTC (eu-west-1). Nightly exports are failing.',
  },
];

/** A ticket with no technical details (a how-to question): 15 % of real tickets. */
const NO_DETAILS = {
  id: 'R3',
  title: 'How to enable MFA',
  text: 'How do we turn on MFA for the console users of our AWS account acct-42? Nothing is broken, we are just asking how to do it.',
  labels: { asset_ids: ['acct-42'] },
};

/** What each model answers: the small model says aws and low; the large one urgent; the baseline high. */
function answer(model: string, task: string | null, text: string): unknown {
  if (text.includes('MFA')) {
    // The small model invents a detail ("No Lambda function details are provided" is a wrong answer) and misses the account.
    if (task === 'technical_details')
      return model === 'openai/gpt-oss-20b'
        ? { present: ['No Lambda function details are provided'], missing: [] }
        : { present: [], missing: [] };
    if (task === 'asset_ids') return { asset_ids: model === 'openai/gpt-oss-20b' ? [] : ['acct-42'] };
  }
  const gke = text.includes('GKE');
  if (task === 'platform') return { platform: model === 'openai/gpt-oss-20b' ? 'aws' : gke ? 'gcp' : 'aws' };
  if (task === 'severity') return { severity: model === 'gpt-4o' ? 'high' : model === 'openai/gpt-oss-120b' ? 'urgent' : 'low' };
  if (task === 'technical_details') {
    if (model === 'gpt-4o') return { present: ['error message', 'region'], missing: ['cluster version'] };
    if (model === 'openai/gpt-oss-120b') return { present: ['error message'], missing: [] };
    return { present: [], missing: ['error message'] };
  }
  return undefined;
}

let fake: FakeServer;
let b: LaunchedBrowser;
let session: WorkbenchSession;
let dbPath: string;
let runId: string;
const pageErrors: string[] = [];

interface AnswerState {
  slot: string;
  score: string;
  model: string;
  value: string;
}
/** The shown review screen's element with a test id (an editor tab kept in the background stays in the page). */
const shown = (page: Page, id: string) => page.locator(`[data-testid="${id}"]:visible`);
const answers = (page: Page): Promise<AnswerState[]> =>
  page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="review-answer"]')]
      .filter((el) => el.checkVisibility())
      .map((el) => ({
        slot: el.getAttribute('data-slot') ?? '',
        score: el.getAttribute('data-score') ?? '',
        model: el.querySelector('[data-testid="review-model"]')?.textContent?.trim() ?? '',
        value: el.querySelector('.rv-value')?.textContent?.trim().toLowerCase() ?? '',
      })),
  );
const currentSlot = (page: Page): Promise<string | null> =>
  page.evaluate(
    () =>
      [...document.querySelectorAll('[data-testid="review-answer"][aria-selected="true"]')]
        .find((el) => el.checkVisibility())
        ?.getAttribute('data-slot') ?? null,
  );
const focused = (page: Page): Promise<string | null> =>
  page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);
const position = (page: Page): Promise<string | null> => shown(page, 'review-editor').getAttribute('data-position');
const task = async (page: Page): Promise<string> => ((await page.locator('.rv-task:visible').textContent()) ?? '').toLowerCase();
const ticketId = async (page: Page): Promise<string> =>
  ((await page.getByTestId('review-ticket-text').locator('xpath=..').locator('.legend .mono').textContent()) ?? '').trim();

/** Shows the Review side bar whatever was shown before (a click on its icon would toggle it). */
async function showReview(page: Page): Promise<void> {
  await runCommand(page, 'show review', 'view.review');
  await page.locator('.review-view').waitFor();
}

/** Presses a key and waits until the current answer has the score shown. */
async function scoreCurrent(page: Page, key: string, expected: string): Promise<void> {
  const slot = await currentSlot(page);
  await page.keyboard.press(key);
  await expect
    .poll(() => page.locator(`[data-testid="review-answer"][data-slot="${slot}"]:visible`).getAttribute('data-score'))
    .toBe(expected);
}

/** The score a careful reviewer gives each answer of the current item (read from the screen). */
function verdict(taskName: string, value: string, ticket: string): { key: string; score: string } {
  if (taskName.startsWith('platform')) {
    const right = ticket === 'R1' ? value.includes('google cloud') : value.includes('aws');
    return right ? { key: '1', score: '1' } : { key: '0', score: '0' };
  }
  if (value.includes('urgent')) return { key: '1', score: '1' };
  if (value.includes('high')) return { key: '5', score: '0.5' };
  return { key: '0', score: '0' };
}

/** Scores every unscored answer of the current item by keyboard, then Enter to the next item. */
async function scoreItemByKeys(page: Page): Promise<void> {
  const t = await task(page);
  const ticket = await ticketId(page);
  if (t.startsWith('technical')) {
    // Expected details default to what the answers say is there; each answer's misses are pre-ticked.
    for (let i = 0; i < 3; i++) {
      const slot = await currentSlot(page);
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.locator(`[data-testid="review-answer"][data-slot="${slot}"]:visible`).getAttribute('data-score'))
        .not.toBe('');
    }
  } else {
    // A score leaves the cursor on the answer; Tab goes to the next one (as the ? sheet says).
    for (let i = 0; i < 3; i++) {
      const slot = await currentSlot(page);
      const a = (await answers(page)).find((x) => x.slot === slot)!;
      if (a.score === '') {
        const v = verdict(t, a.value, ticket);
        await scoreCurrent(page, v.key, v.score);
        expect(await currentSlot(page)).toBe(slot);
      }
      await page.keyboard.press('Tab');
      await expect.poll(() => currentSlot(page)).not.toBe(slot);
    }
  }
  const before = await position(page);
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await position(page)) !== before || (await page.getByTestId('review-done').count()) > 0).toBe(true);
}

beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 15, answer: (i) => answer(i.model, i.task, i.ticketText) });
  const dir = tempDir('cb-review-e2e-');
  dbPath = join(dir, 'cb.db');
  const tickets = join(dir, 'tickets.jsonl');
  writeFileSync(tickets, TICKETS.map((t) => JSON.stringify(t)).join('\n') + '\n');
  const env = cliEnv({
    GROQ_API_KEY: GROQ_KEY,
    OPENAI_API_KEY: OPENAI_KEY,
    GROQ_BASE_URL: fake.groqBaseURL,
    OPENAI_BASE_URL: fake.openaiBaseURL,
  });
  const r = await runCli(
    ['experiment', '--tickets', tickets, '--models', `${BASE},${SMALL},${LARGE}`, '--baseline', BASE, '--db', dbPath, '--yes'],
    env,
  );
  expect(r.code, r.stderr).toBe(0);
  session = await openWorkbench(
    { GROQ_API_KEY: GROQ_KEY, OPENAI_API_KEY: OPENAI_KEY, GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL },
    dbPath,
    {
      errors: pageErrors,
      viewport: { width: 1440, height: 900 },
    },
  );
  ({ b } = session);
});
afterAll(async () => {
  await session?.close();
  await fake?.close();
});

describe('manual review in the workbench (browser mode)', () => {
  it('asks for the reviewer name once and remembers it across a reload', async () => {
    const page = b.page;
    await page.getByTestId('activity-review').click();
    await page.getByTestId('review-empty').waitFor();
    await page.getByTestId('reviewer-input').fill('alice');
    await page.getByTestId('reviewer-input').press('Enter');
    await expect.poll(() => page.getByTestId('reviewer-me').textContent()).toMatch(/Reviewing as alice/);
    await page.reload();
    await page.getByTestId('activity-review').waitFor();
    await showReview(page);
    await expect.poll(() => page.getByTestId('reviewer-me').textContent()).toMatch(/Reviewing as alice/);
  });

  it('makes a blind queue from the recorded experiment and a k = 2 sample dealt to two reviewers', async () => {
    const page = b.page;
    await page.getByTestId('queue-new').click();
    await page.getByTestId('queue-form').waitFor();
    await expect.poll(() => page.getByTestId('queue-run').locator('option').count()).toBeGreaterThan(0);
    runId = await page.getByTestId('queue-run').inputValue();
    expect(runId).toMatch(/^experiment/);
    for (const t of ['product', 'asset_ids']) await page.getByTestId(`queue-task-${t}`).uncheck();
    await page.getByTestId('queue-name').fill('Experiment: platform, details, severity');
    await page.locator('[aria-label="Seed (recorded)"]').fill('42');
    await shot(page, 'review-new-queue.png');
    await page.getByTestId('queue-create').click();
    await page.getByTestId('queue-form').waitFor({ state: 'detached' });
    const row = page.locator('[data-testid="queue-row"]', { hasText: 'Experiment: platform' });
    await expect.poll(() => row.textContent()).toMatch(/6 items.*3 models.*0\/6 complete/s);
    expect(await row.locator('[data-reviewer="alice"]').textContent()).toMatch(/0\/6/);
    await page.getByTestId('review-editor').waitFor();

    // A second queue: a stratified sample of 2 severity items, each answer for both reviewers.
    await page.getByTestId('queue-new').click();
    for (const t of ['platform', 'product', 'technical_details', 'asset_ids']) await page.getByTestId(`queue-task-${t}`).uncheck();
    await page.getByTestId('queue-sample-on').check();
    await page.getByTestId('queue-sample').fill('2');
    await page.getByTestId('queue-k').fill('2');
    await page.getByTestId('queue-reviewers').fill('alice, bob');
    await page.getByTestId('queue-name').fill('Severity, two reviewers');
    await page.getByTestId('queue-create').click();
    const second = page.locator('[data-testid="queue-row"]', { hasText: 'Severity, two reviewers' });
    await expect.poll(() => second.textContent()).toMatch(/2 items/);
    expect(await second.locator('[data-reviewer="alice"]').textContent()).toMatch(/0\/2/);
    expect(await second.locator('[data-reviewer="bob"]').textContent()).toMatch(/0\/2/);
  });

  it('scores the queue by keyboard alone: blind until scored, refusals explained, undo, notes, correct value, j/k', async () => {
    const page = b.page;
    // Opening the view is the last use of the mouse.
    await page.locator('[data-testid="queue-row"]', { hasText: 'Experiment: platform' }).click();
    await page.locator('[data-testid="review-answer"]').first().waitFor();
    await expect.poll(() => focused(page)).toBe('review-answers');
    expect(await position(page)).toBe('0');
    // The bottom panel has nothing for a review: Ctrl+J gives its room to the answers.
    await page.keyboard.press('Control+j');
    await expect.poll(async () => (await page.locator('#panel').boundingBox())?.height ?? 0).toBeLessThan(5);
    expect(await focused(page)).toBe('review-answers');

    // Item 1, R1 platform: blind, three answers; a ½ is refused with the rubric's reason.
    expect(await task(page)).toMatch(/^platform/);
    expect((await answers(page)).map((a) => a.model)).toEqual(['model hidden', 'model hidden', 'model hidden']);
    await page.keyboard.press('5');
    await expect.poll(() => page.getByTestId('review-refusal').textContent()).toMatch(/platform is scored 0 or 1/);
    expect((await answers(page)).every((a) => a.score === '')).toBe(true);

    // The correct value (typed: keys do nothing in the field) scores every answer and becomes the gold label.
    await page.keyboard.press('e');
    await expect.poll(() => focused(page)).toBe('review-correct');
    await page.keyboard.type('gcp');
    expect((await answers(page)).every((a) => a.score === '')).toBe(true);
    // Enter shows the gold label it would write; Enter again (the field still focused) writes it.
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('review-gold-confirm').textContent())
      .toMatch(/platform = gcp.*score the 3 unscored answers/is);
    expect((await answers(page)).every((a) => a.score === '')).toBe(true);
    await page.keyboard.press('Enter');
    await expect
      .poll(async () =>
        (await answers(page))
          .map((a) => a.score)
          .sort()
          .join(','),
      )
      .toBe('0,1,1');
    await expect.poll(() => page.getByTestId('review-gold').textContent()).toMatch(/gold: gcp/);
    // Every answer scored: the models are revealed, each with the answer it gave.
    const revealed = await answers(page);
    for (const a of revealed) {
      expect(a.model).not.toBe('model hidden');
      if (a.model.includes('gpt-oss-20b')) expect(a.score).toBe('0');
      else expect(a.score).toBe('1');
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => focused(page)).toBe('review-answers');
    await page.keyboard.press('Enter');
    await expect.poll(() => position(page)).toBe('1');

    // Item 2, R1 technical details: tick a missed detail with a digit, untick it, Enter saves the defaults.
    expect(await task(page)).toMatch(/^technical details/);
    expect(await page.getByTestId('review-expected').textContent()).toMatch(/M = 2/);
    const first = await currentSlot(page);
    const checkbox = page.getByTestId(`missed-${first}-1`);
    const before = await checkbox.isChecked();
    await page.keyboard.press('1');
    await expect.poll(() => checkbox.isChecked()).toBe(!before);
    await page.keyboard.press('1');
    await expect.poll(() => checkbox.isChecked()).toBe(before);
    await shot(page, 'review-details.png');
    await scoreItemByKeys(page);
    expect(await position(page)).toBe('2');

    // Item 3, R1 severity: blind screenshot after the first score, revealed after the last.
    expect(await task(page)).toMatch(/^severity/);
    const sev = await answers(page);
    const a0 = sev.find((a) => a.slot === sev[0]!.slot)!;
    const v0 = verdict('severity', a0.value, 'R1');
    await scoreCurrent(page, v0.key, v0.score);
    expect((await answers(page)).every((a) => a.model === 'model hidden')).toBe(true);
    await shot(page, 'review-blind.png');
    // Undo takes the score back; score it again.
    await page.keyboard.press('u');
    await expect.poll(() => page.locator(`[data-testid="review-answer"][data-slot="${a0.slot}"]`).getAttribute('data-score')).toBe('');
    expect(await page.getByTestId('review-hint').textContent()).toMatch(/Took back/);
    await scoreCurrent(page, v0.key, v0.score);
    // Another score key on the scored answer does not overwrite it: it shows the score first.
    const other = v0.key === '1' ? '0' : '1';
    await page.keyboard.press(other);
    await expect.poll(() => page.getByTestId('review-rescore').textContent()).toMatch(new RegExp(`press ${other} again`));
    expect(await page.locator(`[data-testid="review-answer"][data-slot="${a0.slot}"]`).getAttribute('data-score')).toBe(v0.score);
    // Tab to the next answer. A note: typing digits in the note field scores nothing; the note is saved with the next score.
    await page.keyboard.press('Tab');
    await expect.poll(() => currentSlot(page)).not.toBe(a0.slot);
    await page.keyboard.press('n');
    await expect.poll(() => focused(page)).toBe('review-note');
    const noteSlot = await currentSlot(page);
    await page.keyboard.type('says 1 level too low, 0 impact info');
    expect((await answers(page)).filter((a) => a.score !== '').length).toBe(1);
    await page.keyboard.press('Escape');
    const b1 = (await answers(page)).find((a) => a.slot === noteSlot)!;
    const vb = verdict('severity', b1.value, 'R1');
    await scoreCurrent(page, vb.key, vb.score);
    await expect
      .poll(() => page.locator(`[data-testid="review-answer"][data-slot="${noteSlot}"] .rv-note-shown`).textContent())
      .toMatch(/level too low/);
    await page.keyboard.press('Tab');
    await expect.poll(() => currentSlot(page)).not.toBe(noteSlot);
    const last = await currentSlot(page);
    const c1 = (await answers(page)).find((a) => a.slot === last)!;
    const vc = verdict('severity', c1.value, 'R1');
    await scoreCurrent(page, vc.key, vc.score);
    await expect.poll(async () => (await answers(page)).every((a) => a.model !== 'model hidden')).toBe(true);
    for (const a of await answers(page)) {
      if (a.model.includes('gpt-oss-120b')) expect(a.value).toContain('urgent');
      if (a.model.includes('gpt-4o')) expect(a.value).toContain('high');
    }
    await shot(page, 'review-revealed.png');

    // k goes back to the previous item with its scores; j comes back.
    await page.keyboard.press('k');
    await expect.poll(() => position(page)).toBe('1');
    expect((await answers(page)).every((a) => a.score !== '')).toBe(true);
    await page.keyboard.press('j');
    await expect.poll(() => position(page)).toBe('2');
    await page.keyboard.press('Enter');
    await expect.poll(() => position(page)).toBe('3');
    await expect.poll(() => page.getByTestId('review-progress').textContent()).toMatch(/3\/6/);

    // `?` shows the keys; Esc closes it.
    await page.keyboard.press('?');
    await page.getByTestId('review-keys').waitFor();
    expect(await page.getByTestId('review-keys').textContent()).toMatch(/One severity level off/);
    await page.keyboard.press('Escape');
    await page.getByTestId('review-keys').waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  });

  it('loses nothing when the window closes mid-queue: reopening resumes at the next item', async () => {
    const page = b.page;
    await page.reload();
    await page.getByTestId('activity-review').waitFor();
    await showReview(page);
    const row = page.locator('[data-testid="queue-row"]', { hasText: 'Experiment: platform' });
    await expect.poll(() => row.locator('[data-reviewer="alice"]').textContent()).toMatch(/3\/6/);
    await row.click();
    await expect.poll(() => position(page)).toBe('3');
    await expect.poll(() => focused(page)).toBe('review-answers');
    expect((await answers(page)).every((a) => a.score === '')).toBe(true);
    // The rest of the queue, keys only.
    for (let i = 0; i < 3; i++) await scoreItemByKeys(page);
    await page.getByTestId('review-done').waitFor();
    await expect.poll(() => row.locator('[data-reviewer="alice"]').textContent()).toMatch(/6\/6/);
    expect(await row.textContent()).toMatch(/6\/6 complete/);
  });

  it('shows the results: score per model per task with CIs and n, agreement with a second reviewer, the baseline check, and exchanges JSONL', async () => {
    const page = b.page;
    await page.getByTestId('review-done').getByRole('button', { name: 'Results' }).click();
    await page.getByTestId('review-score-table').waitFor();
    const cell = (taskId: string, model: string) =>
      page.locator(`[data-testid="score-cell"][data-task="${taskId}"][data-model="${model}"]`);
    await expect.poll(() => cell('severity', LARGE).textContent()).toMatch(/1\.00.*n=2/s);
    expect(await cell('severity', BASE).textContent()).toMatch(/0\.50.*n=2.*\[\d\.\d\d–\d\.\d\d\]/s);
    expect(await cell('platform', SMALL).textContent()).toMatch(/0\.50.*n=2/s);
    // The automated agreement misleads: the large model disagrees with the baseline on severity, and reviewers passed it.
    const misleading = page.locator('[data-testid="baseline-row"]', { hasText: 'Severity' }).filter({ hasText: 'gpt-oss-120b' });
    expect(await misleading.textContent()).toMatch(/misleads.*2 disagreed but reviewers passed them.*0%/s);

    // Bob's scores arrive as JSONL: two good lines (one disagreeing with alice), a bad one, one for an unknown ticket.
    const line = (o: Record<string, unknown>) =>
      JSON.stringify({ task: 'platform', reviewer: 'bob', scored_at: '2026-11-25T10:00:00Z', ...o });
    const bob = [
      line({ ticket_id: 'R1', model: BASE, score: 1 }),
      line({ ticket_id: 'R1', model: SMALL, score: 1, note: 'aws is fine here?' }),
      line({ ticket_id: 'R1', model: LARGE, score: 0.5 }),
      line({ ticket_id: 'NOPE', model: BASE, score: 1 }),
    ].join('\n');
    await page
      .getByTestId('reviews-file-input')
      .setInputFiles({ name: 'bob.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(`${bob}\n`) });
    const report = page.getByTestId('review-import-report');
    await expect.poll(() => report.textContent()).toMatch(/bob\.jsonl: 2 imported.*2 bad lines.*1 conflict/s);
    expect(await report.textContent()).toMatch(/bob\.jsonl:3 platform is scored 0 or 1; skipped/);
    expect(await report.textContent()).toMatch(/bob\.jsonl:4 ticket NOPE is not in this workspace/);
    const conflict = page.getByTestId('conflict').filter({ hasText: 'gpt-oss-20b' });
    await expect.poll(() => conflict.textContent()).toMatch(/R1 · Platform · groq:openai\/gpt-oss-20b:.*reviewers differ/s);
    expect(await conflict.textContent()).toMatch(/alice 0 \(here\)/);
    expect(await conflict.textContent()).toMatch(/bob 1 \(bob\.jsonl\)/);
    await expect.poll(() => page.getByTestId('review-agreement').textContent()).toMatch(/alice, bob/);
    expect(await page.getByTestId('agreement-kappa').first().textContent()).toMatch(/\d\.\d\d|—/);
    await shot(page, 'review-results.png');

    // Export: a JSONL download with every score, one a line (contracts §5).
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('reviews-export').click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBe(20);
    expect(lines.filter((l) => l.reviewer === 'alice').length).toBe(18);
    expect(Object.keys(lines[0]!)).toEqual(expect.arrayContaining(['ticket_id', 'task', 'model', 'reviewer', 'score', 'scored_at']));
    expect(lines.find((l) => l.reviewer === 'alice' && l.task === 'platform' && l.ticket_id === 'R1')?.correct_value).toBe('gcp');
    expect(download.suggestedFilename()).toMatch(/^reviews-.*\.jsonl$/);
    expect(pageErrors).toEqual([]);
  });

  it('scores a ticket with no technical details by keyboard, and keeps gold labels safe: focus, confirm, undo, history, hidden when blind', async () => {
    const page = b.page;
    // R3, a how-to question with no technical details, recorded by a second experiment; its asset ids carry a gold label.
    const dir = tempDir('cb-review-e2e-r3-');
    const tickets = join(dir, 'r3.jsonl');
    writeFileSync(tickets, `${JSON.stringify(NO_DETAILS)}\n`);
    const env = cliEnv({
      GROQ_API_KEY: GROQ_KEY,
      OPENAI_API_KEY: OPENAI_KEY,
      GROQ_BASE_URL: fake.groqBaseURL,
      OPENAI_BASE_URL: fake.openaiBaseURL,
    });
    const r = await runCli(
      ['experiment', '--tickets', tickets, '--models', `${BASE},${SMALL},${LARGE}`, '--baseline', BASE, '--db', dbPath, '--yes'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    await showReview(page);
    await page.getByTestId('queue-new').click();
    await page.getByTestId('queue-form').waitFor();
    await expect.poll(() => page.getByTestId('queue-run').locator('option').count()).toBeGreaterThan(1);
    const r3run = await page
      .getByTestId('queue-run')
      .evaluate((el, first) => [...(el as HTMLSelectElement).options].map((o) => o.value).find((v) => v && v !== first) ?? '', runId);
    await page.getByTestId('queue-run').selectOption(r3run);
    for (const t of ['platform', 'product', 'severity']) await page.getByTestId(`queue-task-${t}`).uncheck();
    await page.getByTestId('queue-name').fill('No-details ticket');
    await page.getByTestId('queue-create').click();
    await page.getByTestId('queue-form').waitFor({ state: 'detached' });
    await page.locator('[data-testid="review-answer"]:visible').first().waitFor();
    await expect.poll(() => focused(page)).toBe('review-answers');
    if (!(await task(page)).startsWith('asset')) {
      await page.keyboard.press('j');
      await expect.poll(() => task(page)).toMatch(/^asset/);
    }
    const assetPos = await position(page);

    // Blind: the gold label is hidden (it would bias the reviewer); its value is nowhere on the screen.
    await shown(page, 'review-gold-hidden').waitFor();
    expect(await page.locator('.rv-answers-pane:visible').textContent()).not.toMatch(/gold: /);

    // The reviewer-name field takes focus when "Change" opens it: typing a name goes into it, never into shortcuts.
    await page.getByTestId('reviewer-change').click();
    await expect.poll(() => focused(page)).toBe('reviewer-input');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('alice');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('reviewer-me').textContent()).toMatch(/Reviewing as alice/);
    // Focus is now nowhere in the screen: the review keys (e opened the correct value, then letters went in) do nothing.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.type('e1x0u');
    expect(await focused(page)).not.toBe('review-correct');
    expect(await shown(page, 'review-gold-confirm').count()).toBe(0);
    expect(await shown(page, 'review-correct').inputValue()).toBe('');
    expect((await answers(page)).every((a) => a.score === '')).toBe(true);

    // A correct value typed in its field is shown for confirmation first; Esc cancels it and nothing is written.
    await page.locator('.rv-answers:visible').focus();
    await page.keyboard.press('e');
    await expect.poll(() => focused(page)).toBe('review-correct');
    await page.keyboard.type('n');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => shown(page, 'review-gold-confirm').textContent())
      .toMatch(/asset ids = n.*replacing the hidden one.*score the 3 unscored answers/is);
    await shot(page, 'review-gold-confirm.png');
    await page.keyboard.press('Escape');
    await shown(page, 'review-gold-confirm').waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('review-correct');
    expect((await answers(page)).every((a) => a.score === '')).toBe(true);
    // Confirmed: the gold label is written and every answer scored from it — and one undo takes back both.
    await page.keyboard.press('Enter');
    await shown(page, 'review-gold-confirm').waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await answers(page)).map((a) => a.score).join(',')).toBe('0,0,0');
    await expect.poll(() => shown(page, 'review-gold').textContent()).toMatch(/gold: n$/);
    await expect.poll(() => focused(page)).toBe('review-answers');
    await page.keyboard.press('u');
    await expect.poll(async () => (await answers(page)).every((a) => a.score === '')).toBe(true);
    expect(await shown(page, 'review-hint').textContent()).toMatch(
      /Took back the scores of A, B, C and the gold label \(put back as it was\)/,
    );
    await shown(page, 'review-gold-hidden').waitFor();

    // Scored by hand, the item is revealed: the gold label is the one the ticket came with, and its history tells what happened.
    await scoreItemByKeysAt(page, (value) => (value.includes('acct-42') ? '1' : '0'));
    await expect.poll(() => shown(page, 'review-gold').textContent()).toMatch(/gold: acct-42/);
    await page.keyboard.press('g');
    const history = page.getByTestId('gold-change');
    await expect.poll(() => history.count()).toBe(2);
    expect(await history.nth(0).textContent()).toMatch(/alice.*undone.*n → acct-42/s);
    expect(await history.nth(1).textContent()).toMatch(/alice.*reviewed.*acct-42 → n/s);
    await shot(page, 'review-gold-history.png');
    // Any change can be put back (and that is recorded too).
    await history.nth(0).getByTestId('gold-restore').click();
    await expect.poll(() => shown(page, 'review-gold').textContent()).toMatch(/gold: n$/);
    await expect.poll(() => history.count()).toBe(3);
    expect(await history.nth(0).textContent()).toMatch(/put back.*acct-42 → n/s);
    await page.locator('.rv-answers:visible').focus();
    await page.keyboard.press('u');
    await expect.poll(() => shown(page, 'review-gold').textContent()).toMatch(/gold: acct-42/);
    await page.keyboard.press('g');

    // The technical-details item: the small model's invented detail is suggested; x says the ticket has none (M = 0).
    await page.keyboard.press(assetPos === '0' ? 'j' : 'k');
    await expect.poll(() => task(page)).toMatch(/^technical details/);
    await expect.poll(() => shown(page, 'review-m').textContent()).toMatch(/M = 1/);
    await page.keyboard.press('x');
    await expect.poll(() => shown(page, 'review-m').textContent()).toMatch(/M = 0/);
    await shown(page, 'review-no-details').waitFor();
    const invented = (await answers(page)).find((a) => a.value.includes('no lambda'))!;
    // On the answer that invents a detail, 1 is refused with the rubric's reason.
    while ((await currentSlot(page)) !== invented.slot) await page.keyboard.press('Tab');
    await page.keyboard.press('1');
    await expect
      .poll(() => shown(page, 'review-refusal').textContent())
      .toMatch(/contradicts M = 0: the answer names "No Lambda function details are provided"/);
    await shot(page, 'review-no-details.png');
    // Enter saves each answer's score (says none → 1, names some → 0) and goes on to the next unscored one.
    for (let i = 0; i < 3; i++) {
      const slot = await currentSlot(page);
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.locator(`[data-testid="review-answer"][data-slot="${slot}"]:visible`).getAttribute('data-score'))
        .not.toBe('');
    }
    const scored = await answers(page);
    for (const a of scored) expect(a.score).toBe(a.value.includes('no lambda') ? '0' : '1');
    expect(scored.find((a) => a.value.includes('no lambda'))!.model).toMatch(/gpt-oss-20b/);
    expect(pageErrors).toEqual([]);
  });

  it('shows what was masked before sending, inset under the ticket, and flags a miss the reviewer selects', async () => {
    const page = b.page;
    // Still on R3 (no secret in it): nothing was masked.
    const panel = shown(page, 'review-masked');
    await expect.poll(() => panel.textContent()).toMatch(/^Masked before sending:\s*nothing\s*Flag a miss/);
    // The line sits inside the pane, its text where the ticket's text starts.
    const inset = await page.evaluate(() => {
      const start = (el: Element) => el.getBoundingClientRect().left + Number.parseFloat(getComputedStyle(el).paddingLeft);
      const pre = [...document.querySelectorAll('[data-testid="review-ticket-text"]')].find((e) => e.checkVisibility())!;
      const masked = [...document.querySelectorAll('[data-testid="review-masked"]')].find((e) => e.checkVisibility())!;
      return { ticket: start(pre), masked: start(masked) };
    });
    expect(Math.abs(inset.masked - inset.ticket)).toBeLessThan(2);
    // Nothing selected: the button says what to do.
    const flagButton = shown(page, 'review-flag-miss');
    await flagButton.click();
    await expect.poll(() => panel.getByRole('status').textContent()).toMatch(/Select the missed text in the ticket first/);
    // Select the account id in the ticket text, as a reviewer would with the mouse, and flag it.
    await page.evaluate(() => {
      const pre = [...document.querySelectorAll('[data-testid="review-ticket-text"]')].find((e) => e.checkVisibility())!;
      const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const at = n.textContent!.indexOf('acct-42');
        if (at < 0) continue;
        const r = document.createRange();
        r.setStart(n, at);
        r.setEnd(n, at + 'acct-42'.length);
        getSelection()!.removeAllRanges();
        getSelection()!.addRange(r);
        return;
      }
    });
    await flagButton.click();
    await expect.poll(() => panel.getByRole('status').textContent()).toMatch(/Flagged 7 characters as missed/);
    // The flag is in the workspace: `casebench privacy misses` lists it (never the value).
    const misses = await runCli(['privacy', 'misses', '--db', dbPath, '--json'], cliEnv({}));
    expect(misses.code, misses.stderr).toBe(0);
    const rows = misses.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toEqual([expect.objectContaining({ ticket_id: 'R3', kind: 'missed', status: 'still missed' })]);
    expect(misses.stdout).not.toContain('acct-42');
    expect(pageErrors).toEqual([]);
  });
});

/** Scores each answer of the current item with the key `keyFor` gives for its value, moving with Tab. */
async function scoreItemByKeysAt(page: Page, keyFor: (value: string) => string): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const slot = (await currentSlot(page))!;
    const a = (await answers(page)).find((x) => x.slot === slot)!;
    if (a.score === '') await scoreCurrent(page, keyFor(a.value), keyFor(a.value));
    await page.keyboard.press('Tab');
    await expect.poll(() => currentSlot(page)).not.toBe(slot);
  }
}
