// The LLM judge in a real browser against a real `casebench serve` (fake providers, real SDKs): on
// a recorded experiment a reviewer already scored, the Judge tab estimates the judging, starts it
// on confirm, shows its progress, then its scores beside the human ones, the judge-vs-human table
// with the trust rule, and the answers where they differ — a click opens the ticket on the run and
// the judge's reasoning. The report gains a Judge column. Screenshot: judge-tab.png.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { tempDir } from '../cli/helpers.ts';
import { fixtureStore, RUN } from '#core/review/workspace.fixture.ts';
import { recordScore } from '#core/review/reviewsRepo.ts';
import { judgeTargets } from '#core/judge/judgeRepo.ts';
import { heuristicVerdict } from '#core/judge/heuristicJudge.ts';
import { openWorkbench, type WorkbenchSession } from './session.ts';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const OPENAI_KEY = 'sk-JUDGEE2E00000000000000000000000wxyz';

let fake: FakeServer;
let session: WorkbenchSession;
const pageErrors: string[] = [];

beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 10, judge: { disagreeRate: 0.3, seed: 11 } });
  const db = join(tempDir('cb-judge-e2e-'), 'cb.db');
  const store = fixtureStore(db);
  // A reviewer scored every severity and platform answer by the rubric.
  for (const t of judgeTargets(store, RUN, ['severity', 'platform'])) {
    recordScore(store, {
      ticketId: t.ticketId,
      task: t.task,
      model: t.model,
      runId: RUN,
      reviewer: 'ana',
      score: Number(heuristicVerdict({ task: t.task, ticket: t.text, answer: t.answer }).score),
    });
  }
  store.close();
  session = await openWorkbench({ OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: fake.openaiBaseURL, GROQ_BASE_URL: fake.groqBaseURL }, db, {
    errors: pageErrors,
  });
});
afterAll(async () => {
  await session?.close();
  await fake?.close();
});

describe('the LLM judge in the workbench (browser mode)', () => {
  it('estimates, runs on confirm, and shows judge beside human scores with clickable disagreements', async () => {
    const { page } = session.b;
    await page.getByTestId('activity-experiments').click();
    await page.locator(`[data-testid="run-row"][data-run-id="${RUN}"]`).dblclick();
    await page.getByTestId('exp-editor').waitFor();
    await page.getByTestId('exp-tab-judge').click();
    await page.getByTestId('judge-empty').waitFor();

    // Estimate first: nothing is sent until it is confirmed.
    await page.getByTestId('judge-model').selectOption('openai:gpt-4o');
    for (const t of ['product', 'technical_details', 'asset_ids']) await page.getByTestId(`judge-task-${t}`).uncheck();
    await page.getByTestId('judge-estimate').click();
    await page.getByTestId('judge-estimate-box').waitFor();
    expect(await page.getByTestId('judge-estimate-calls').textContent()).toMatch(/^35 answers to judge of 35 · prompt judge\/v1$/);
    expect(await page.getByTestId('judge-estimate-usd').textContent()).toMatch(/^≈ \$0\.\d+$/);
    expect(fake.stats.total).toBe(0);

    await page.getByTestId('judge-confirm').click();
    const job = page.getByTestId('judge-job');
    await job.waitFor();
    await expect.poll(() => job.getAttribute('data-status')).toBe('done');
    expect(await page.getByTestId('judge-progress').textContent()).toMatch(/^35 \/ 35 judged · \$0\.\d+ · done$/);
    expect(fake.stats.total).toBe(35);

    // Judge vs humans: both tasks measured on 18 / 17 answers; the trust sentence says which.
    const sev = page.locator('[data-testid="judge-vs-row"][data-task="severity"]');
    await sev.waitFor();
    expect(await sev.textContent()).toMatch(/Severity18[\d.]+ %α -?[\d.]+\d+(trusted|not trusted): α/);
    expect(await page.locator('[data-testid="judge-vs-row"][data-task="asset_ids"]').textContent()).toContain(
      'not trusted: no answer was scored by both',
    );
    // Scores side by side: human · judge.
    const cell = page.locator('[data-testid="judge-score-cell"][data-task="severity"][data-model="openai:gpt-4o"]');
    expect(await cell.textContent()).toMatch(/^\d\.\d\d · \d\.\d\dn 6$/);
    // Headers over text columns (model, task, trust) start where their cells start, not at the right edge.
    for (const table of ['judge-scores', 'judge-vs-humans']) {
      const lefts = await page.getByTestId(table).evaluate((t) =>
        [...(t as HTMLTableElement).tHead!.rows[0]!.cells]
          .map((th, i) => ({ th, cell: (t as HTMLTableElement).tBodies[0]!.rows[0]!.cells[i]! }))
          .filter(({ th }) => !th.classList.contains('num'))
          .map(({ th, cell }) => {
            const r = document.createRange();
            r.selectNodeContents(th);
            const c = document.createRange();
            c.selectNodeContents(cell);
            return { head: th.textContent, th: r.getBoundingClientRect().left, cell: c.getBoundingClientRect().left };
          }),
      );
      expect(lefts.length).toBeGreaterThan(0);
      for (const l of lefts) expect(Math.abs(l.th - l.cell), `${table}: ${l.head}`).toBeLessThan(8);
    }

    // A disagreement opens the answer (the ticket on the run) and the judge's reasoning.
    const diff = page.getByTestId('judge-diff').first();
    await diff.waitFor();
    const ticket = (await diff.getAttribute('data-ticket'))!;
    await page.screenshot({ path: join(SHOTS, 'judge-tab.png') });
    await diff.click();
    await page.getByTestId('judge-verdict').waitFor();
    expect(await page.getByTestId('judge-verdict').textContent()).toContain(ticket);
    expect((await page.getByTestId('judge-reasoning').textContent())!.length).toBeGreaterThan(10);
    expect(await page.getByTestId('judge-verdict').textContent()).toMatch(/ana: \d/);
    await page.getByTestId('judge-open-answer').click();
    await expect
      .poll(() => page.getByTestId('editor-tab').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining(ticket)]));

    // The report's tables gain a Judge column beside Review.
    await page.locator('[data-testid="editor-tab"]', { hasText: 'fixture' }).first().click();
    await page.getByTestId('exp-tab-report').click();
    const judgeCell = page.locator('[data-testid="rep-cell"][data-task="severity"][data-model="openai:gpt-4o"][data-col="judge"]');
    await expect.poll(() => judgeCell.textContent()).toMatch(/^\d\.\d\dn 6$/);
    expect(pageErrors).toEqual([]);
  });
});
