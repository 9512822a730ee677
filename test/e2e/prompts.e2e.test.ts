// Prompt versions in a real browser against a real `casebench serve` (fake providers, real SDKs):
// open the Prompts view from the palette, edit the asset-id prompt (a typo'd placeholder is shown
// inline and blocks saving; nothing typed is lost), save v2 with Ctrl+S, diff v1 → v2, promote v2
// (it passes the few-shot leak check) — a triage then sends v2 and records it on its call — roll
// back (undo, and roll back again) — the next triage uses v1. A version whose examples hold a
// realistic id and that drops the "never copy an example" rule is refused by the leak gate with the
// id it leaked, and v1 stays active. Run as experiment starts the same model with v1 and v2 on the
// recorded tickets. Screenshots: prompts-editor.png, prompts-diff.png, prompts-leak.png.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadShippedPrompts } from '#core/graph/prompts.ts';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { leakyAnswer } from '../fakes/leakyModel.ts';
import { tempDir } from '../cli/helpers.ts';
import { runCommand } from './palette.ts';
import { openWorkbench, type WorkbenchSession } from './session.ts';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, name) });
const GROQ_KEY = 'gsk_PROMPTE2-E0000000000000000000abcd';
const ADDED = '- Prefer the full resource path when the ticket gives one.';

let fake: FakeServer;
let session: WorkbenchSession;
let dbPath: string;
const pageErrors: string[] = [];
/** The asset-id system prompts the model received, in order. */
const assetPrompts: string[] = [];

beforeAll(async () => {
  fake = await startFakeServer({
    latencyMs: 5,
    // Every model copies example ids when the prompt does not forbid it (the seed article's leak).
    answer: (info) => {
      const msgs = Array.isArray(info.messages) ? (info.messages as Array<{ role?: string; content?: unknown }>) : [];
      if (info.task === 'asset_ids') assetPrompts.push(String(msgs.find((m) => m.role === 'system')?.content ?? ''));
      return leakyAnswer({ ...info, model: 'fake-leaky' });
    },
  });
  dbPath = join(tempDir('cb-prompts-e2e-'), 'cb.db');
  session = await openWorkbench({ GROQ_API_KEY: GROQ_KEY, GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL }, dbPath, {
    errors: pageErrors,
  });
});
afterAll(async () => {
  await session?.close();
  await fake?.close();
});

const lastAssetVersion = (): string | null => {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    const r = db
      .prepare(`SELECT prompt_version AS v FROM calls WHERE task = 'asset_ids' AND run_id LIKE 'triage-%' ORDER BY id DESC LIMIT 1`)
      .get() as { v?: string } | undefined;
    return r?.v ?? null;
  } finally {
    db.close();
  }
};
const triageCalls = (): number => {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return Number(
      (db.prepare(`SELECT count(*) AS n FROM calls WHERE task = 'asset_ids' AND run_id LIKE 'triage-%'`).get() as { n: number }).n,
    );
  } finally {
    db.close();
  }
};

async function triage(page: Page, text: string): Promise<string> {
  const before = triageCalls();
  await runCommand(page, 'new ticket', 'tickets.new');
  await page.getByTestId('ticket-input').fill(text);
  await page.getByTestId('ticket-input').press('Control+Enter');
  await expect.poll(triageCalls, { timeout: 20_000 }).toBe(before + 1);
  return lastAssetVersion()!;
}

async function confirm(page: Page): Promise<void> {
  await page.getByTestId('prompt-confirm').waitFor();
  await page.getByTestId('prompt-confirm-yes').click();
  await page.getByTestId('prompt-confirm').waitFor({ state: 'detached' });
}

describe('prompt versions in the workbench (browser mode)', () => {
  it('edit → save v2 → diff → promote → triage uses v2 → roll back (undoable) → triage uses v1', async () => {
    const { page } = session.b;
    const v1 = loadShippedPrompts().asset_ids[0]!.template;
    await runCommand(page, 'prompt versions', 'prompts.open');
    await page.getByTestId('prompts-view').waitFor();
    await page.locator('[data-testid="prompt-version"][data-task="asset_ids"][data-version="v1"]').click();
    const text = page.getByTestId('prompt-text');
    await expect.poll(() => text.inputValue()).toBe(v1);
    expect(await page.getByTestId('prompt-active').textContent()).toMatch(/^v1 for every model/);
    expect(await page.getByTestId('prompt-example-ids').textContent()).toContain('example-proj-a1');

    // A typo'd placeholder: shown inline with its line, Save disabled, the text kept as typed.
    const typo = `${v1}\n${ADDED} ({{platfrom}})`;
    await text.fill(typo);
    await expect
      .poll(() => page.getByTestId('prompt-problems').textContent())
      .toMatch(/^Line \d+: unknown placeholder \{\{platfrom\}\} \(known: platform, product, catalog, details, id_hints\)$/);
    expect(await page.getByTestId('prompt-save').isDisabled()).toBe(true);
    await text.press('Control+s');
    await expect.poll(() => page.getByTestId('prompt-message').textContent()).toMatch(/not valid: line \d+: unknown placeholder/);
    expect(await text.inputValue()).toBe(typo);

    // Fixed, then saved with Ctrl+S.
    await text.fill(`${v1}\n${ADDED}`);
    await expect.poll(() => page.getByTestId('prompt-problems').count()).toBe(0);
    await page.getByTestId('prompt-note').fill('full paths');
    await text.press('Control+s');
    await expect
      .poll(() => page.getByTestId('prompt-message').textContent())
      .toBe('Saved asset_ids v2. It is not active until you promote it.');
    const v2row = page.locator('[data-testid="prompt-version"][data-task="asset_ids"][data-version="v2"]');
    await v2row.waitFor();
    expect(await v2row.getAttribute('data-active')).toBe('false');
    expect(await v2row.textContent()).toContain('full paths');
    await shot(page, 'prompts-editor.png');

    // Diff v1 → v2: one line added.
    await page.getByTestId('prompt-diff-from').selectOption('v1');
    await page.getByTestId('prompt-diff-to').selectOption('v2');
    await page.getByTestId('prompt-diff').click();
    await expect.poll(() => page.getByTestId('prompt-diff-stats').textContent()).toBe(' +1 −0');
    const added = page.locator('[data-testid="prompt-diff-view"] [data-op="add"]');
    expect(await added.count()).toBe(1);
    expect(await added.textContent()).toContain(ADDED);
    await shot(page, 'prompts-diff.png');

    // Promote v2 (confirmed; the leak check passes), then a triage sends and records v2.
    expect(await page.getByTestId('prompt-version-select').inputValue()).toBe('v2');
    await page.getByTestId('prompt-promote').click();
    await confirm(page);
    await expect
      .poll(() => page.getByTestId('prompt-message').textContent(), { timeout: 20_000 })
      .toMatch(/^asset_ids v2 is active \(was v1\)\.Undo$/);
    expect(await page.getByTestId('prompt-leak').textContent()).toMatch(
      /asset_ids v2 passed the leak check on groq:openai\/gpt-oss-120b: 4 probe tickets/,
    );
    await expect.poll(() => v2row.getAttribute('data-active')).toBe('true');
    expect(await triage(page, 'Cloud SQL instance orders-db-eu1 in project shop-prod-4411 restarts every night since Monday.')).toBe('v2');
    expect(assetPrompts.at(-1)).toContain(ADDED);

    // Roll back (confirmed), undo it, roll back again: the next triage uses v1.
    await runCommand(page, 'prompt versions', 'prompts.open');
    await page.getByTestId('prompt-rollback').click();
    await confirm(page);
    await expect.poll(() => page.getByTestId('prompt-message').textContent()).toMatch(/^asset_ids rolled back to v1 \(was v2\)\.Undo$/);
    await page.getByTestId('prompt-undo').click();
    await expect.poll(() => page.getByTestId('prompt-message').textContent()).toBe('Undone: asset_ids uses v2 again.');
    await expect.poll(() => v2row.getAttribute('data-active')).toBe('true');
    await page.getByTestId('prompt-rollback').click();
    await confirm(page);
    await expect
      .poll(() => page.locator('[data-testid="prompt-version"][data-task="asset_ids"][data-version="v1"]').getAttribute('data-active'))
      .toBe('true');
    expect(await page.getByTestId('prompt-history').textContent()).toMatch(
      /rolled back v2 → v1.*promoted v1 → v2.*rolled back v2 → v1.*promoted v1 → v2/,
    );
    expect(await triage(page, 'S3 bucket logs-7 in account 123456789012 returns AccessDenied when Lambda writes to it.')).toBe('v1');
    expect(assetPrompts.at(-1)).not.toContain(ADDED);

    // Run v2 as an experiment against the active v1: same model, two arms, on the recorded tickets.
    await runCommand(page, 'prompt versions', 'prompts.open');
    await v2row.click();
    await page.getByTestId('prompt-exp-limit').fill('2');
    await page.getByTestId('prompt-experiment').click();
    await page.getByTestId('exp-editor').waitFor({ timeout: 20_000 });
    const arms = (): string => {
      const db = new DatabaseSync(dbPath, { readOnly: true });
      try {
        return JSON.stringify(
          db
            .prepare(
              `SELECT model_spec AS m, prompt_version AS v, count(*) AS n FROM results WHERE task = 'asset_ids' AND run_id LIKE 'experiment-%' GROUP BY 1, 2 ORDER BY 1`,
            )
            .all(),
        );
      } finally {
        db.close();
      }
    };
    await expect.poll(arms, { timeout: 30_000 }).toBe(
      JSON.stringify([
        { m: 'groq:openai/gpt-oss-120b', v: 'v1', n: 2 },
        { m: 'groq:openai/gpt-oss-120b@asset_ids=v2', v: 'v2', n: 2 },
      ]),
    );
    expect(pageErrors).toEqual([]);
  });

  it('the leak gate refuses a version whose answers copy its example ids, saying which id; the active version stays', async () => {
    const { page } = session.b;
    const v1 = loadShippedPrompts().asset_ids[0]!.template;
    const leaky = v1.replace(/^The examples below are illustrations only\..*$/m, '').replace(/example-proj-a1/g, 'my-project-123');
    await runCommand(page, 'prompt versions', 'prompts.open');
    await page.locator('[data-testid="prompt-version"][data-task="asset_ids"][data-version="v1"]').click();
    await page.getByTestId('prompt-text').fill(leaky);
    await expect.poll(() => page.getByTestId('prompt-example-ids').textContent()).toContain('my-project-123');
    await page.getByTestId('prompt-save').click();
    await expect
      .poll(() => page.getByTestId('prompt-message').textContent())
      .toBe('Saved asset_ids v3. It is not active until you promote it.');
    await page.getByTestId('prompt-promote').click();
    await confirm(page);
    const msg = page.getByTestId('prompt-message');
    await expect.poll(() => msg.getAttribute('data-kind'), { timeout: 20_000 }).toBe('error');
    expect(await msg.textContent()).toMatch(
      /^not promoted: asset_ids v3 leaks its examples: on a ticket that names no such id, groq:openai\/gpt-oss-120b answered "example-bucket-a1", "my-project-123", which is only in the prompt \(4 of 4 probe tickets leaked\)\./,
    );
    await shot(page, 'prompts-leak.png');
    expect(await page.locator('[data-testid="prompt-version"][data-task="asset_ids"][data-version="v3"]').getAttribute('data-active')).toBe(
      'false',
    );
    expect(await page.getByTestId('prompt-active').textContent()).toMatch(/^v1 for every model/);
    expect(pageErrors).toEqual([]);
  });
});
