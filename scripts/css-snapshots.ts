// The visual guard for CSS refactors (issue 16: styles.css split by feature). Not part of `npm test`:
//
//   npm run build && node scripts/css-snapshots.ts shoot /tmp/css-before     # on the tree before
//   npm run build && node scripts/css-snapshots.ts shoot /tmp/css-after      # on the tree after
//   node scripts/css-snapshots.ts compare /tmp/css-before /tmp/css-after      # pixel by pixel
//
// `shoot` starts the fake provider server and a real `casebench serve` (browser mode, the built
// renderer in out/), opens a representative set of views at 1440 × 900 in Debian's Chromium and
// saves one PNG per view and theme: light and dark as the system's (prefers-color-scheme), and
// pinned dark under a light system / pinned light under a dark system (data-theme), so both ways
// into the dark palette are seen. The workspace is seeded once through the CLI into
// <out>/../css-seed (kept, and copied for each run) so the before and after runs show the very same
// recorded data (latencies, ids, times); only wall-clock-relative words can differ.
// `compare` loads both PNGs of each name into a canvas in Chromium and counts differing pixels.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startFakeServer, DEFAULT_GROQ_MODELS, DEFAULT_OPENAI_MODELS, type FakeServer } from '#test/fakes/fakeProviderServer.ts';
import { cliEnv, runCli, tempDir } from '#test/cli/helpers.ts';
import { launchBrowser } from '#test/e2e/browser.ts';
import { runCommand } from '#test/e2e/palette.ts';
import { openWorkbench } from '#test/e2e/session.ts';

const ROOT = resolve(import.meta.dirname, '..');
const FIXTURES = join(ROOT, 'test/fixtures/traces');
const VIEWPORT = { width: 1440, height: 900 };
const BASE = 'groq:openai/gpt-oss-120b';
const MODELS = [BASE, 'groq:openai/gpt-oss-20b', 'openai:gpt-4o'];
const TICKETS = Array.from({ length: 6 }, (_, k) => ({
  id: `CSS-${k + 1}`,
  title: `Cloud SQL db-${k} refuses connections`,
  text: `${k % 3 === 0 ? 'URGENT: ' : ''}Ticket CSS-${k + 1}: Cloud SQL instance db-${k} in project shop-${k} (europe-west1) refuses connections since 08:00 with "too many clients"; checkout fails.`,
  labels: { platform: 'gcp' },
}));
const KEYS = { GROQ_API_KEY: 'gsk_CSSSNAP-SHOTS0000000000000000000abcd', OPENAI_API_KEY: 'sk-CSSSNAP-SHOTS00000000000000000000abcd' };

type Variant = { name: string; scheme: 'light' | 'dark'; pinned?: 'light' | 'dark' };
const VARIANTS: Variant[] = [
  { name: 'light', scheme: 'light' },
  { name: 'dark', scheme: 'dark' },
  { name: 'pinned-dark', scheme: 'light', pinned: 'dark' },
  { name: 'pinned-light', scheme: 'dark', pinned: 'light' },
];

async function cli(args: string[], env: Record<string, string>): Promise<string> {
  const r = await runCli(args, cliEnv(env));
  if (r.code !== 0) throw new Error(`casebench ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** Seeds the workspace once: tickets triaged, an experiment with a judge run and a review queue, a shadow candidate, imported traces. */
async function seed(dir: string, env: Record<string, string>): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const db = join(dir, 'seed.db');
  const tf = join(dir, 'tickets.jsonl');
  writeFileSync(tf, `${TICKETS.map((t) => JSON.stringify(t)).join('\n')}\n`);
  await cli(['run', '--tickets', tf, '--db', db, '--out', join(dir, 'results.jsonl')], env);
  await cli(['experiment', '--tickets', tf, '--baseline', BASE, '--models', MODELS.join(','), '--db', db, '--yes'], env);
  const rep = await cli(['report', '--db', db, '--format', 'json'], env);
  writeFileSync(join(dir, 'report.json'), rep);
  const runs = JSON.parse(rep) as { run?: { id?: string }; runId?: string };
  const runId = runs.run?.id ?? runs.runId;
  if (!runId) throw new Error('no experiment run id in the report');
  await cli(['judge', '--run', runId, '--model', 'openai:gpt-4o', '--tasks', 'severity,platform', '--db', db, '--yes'], env);
  await cli(['reviews', 'queue', 'create', '--run', runId, '--sample', '4', '--reviewers', 'ana', '--seed', '7', '--db', db], env);
  await cli(['shadow', 'add', 'openai:gpt-4o', '--task', 'severity', '--db', db], env);
  await cli(['import', join(FIXTURES, 'promptfoo-output.sample-export.json'), '--db', db], env);
  writeFileSync(join(dir, 'ok'), runId);
}

async function shoot(out: string): Promise<void> {
  mkdirSync(out, { recursive: true });
  const seedDir = join(dirname(resolve(out)), 'css-seed');
  const fake: FakeServer = await startFakeServer({
    models: { groq: DEFAULT_GROQ_MODELS, openai: DEFAULT_OPENAI_MODELS },
    latencyMs: (m, task) => 20 * (m === 'gpt-4o' ? 0.5 : 1) * (task === 'technical_details' ? 1.2 : 1),
    judge: { disagreeRate: 0.3, seed: 11 },
  });
  const env = { ...KEYS, GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL };
  const shots: string[] = [];
  try {
    if (!existsSync(join(seedDir, 'ok'))) await seed(seedDir, env);
    const work = tempDir('cb-css-');
    const db = join(work, 'a.db');
    cpSync(join(seedDir, 'seed.db'), db);
    const empty = join(work, 'empty.db');

    const snap = async (page: Page, name: string, ready?: () => Promise<unknown>) => {
      for (const v of VARIANTS) {
        await page.emulateMedia({ colorScheme: v.scheme });
        await page.evaluate((p) => {
          if (p) document.documentElement.dataset['theme'] = p;
          else delete document.documentElement.dataset['theme'];
        }, v.pinned ?? null);
        await ready?.();
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const file = `${name}.${v.name}.png`;
        // A frame is kept once two shots in a row agree (a scrollbar fading, a plot's last paint).
        let prev = await page.screenshot({ animations: 'disabled', caret: 'hide' });
        for (let i = 0; i < 8; i++) {
          const next = await page.screenshot({ animations: 'disabled', caret: 'hide' });
          if (next.equals(prev)) break;
          prev = next;
        }
        writeFileSync(join(out, file), prev);
        shots.push(file);
      }
      await page.emulateMedia({ colorScheme: 'light' });
      await page.evaluate(() => delete document.documentElement.dataset['theme']);
    };

    // The welcome / empty state on a workspace with nothing in it.
    const e = await openWorkbench(env, empty, { viewport: VIEWPORT });
    try {
      await e.b.page.getByTestId('welcome').waitFor();
      await snap(e.b.page, '01-welcome');
    } finally {
      await e.close();
    }

    const s = await openWorkbench(env, db, { viewport: VIEWPORT });
    const page = s.b.page;
    try {
      // Ticket list and a ticket with its five cards and the timeline.
      await page.getByTestId('ticket-row').first().waitFor();
      await snap(page, '02-ticket-list');
      await page.locator('[data-testid="ticket-row"][data-ticket-id="CSS-1"]').click();
      await page.getByTestId('card-technical_details').waitFor();
      await page.getByTestId('panel-tab-timeline').click();
      await page.getByTestId('timeline').waitFor();
      await snap(page, '03-ticket-view');

      // The palette open over it.
      await page.keyboard.press('Control+Shift+P');
      await page.getByTestId('palette-input').fill('show');
      await snap(page, '04-palette');
      await page.keyboard.press('Escape');
      await page.getByTestId('palette-input').waitFor({ state: 'detached' });

      // Settings: the first section, privacy, appearance.
      await runCommand(page, 'open settings', 'settings.open');
      await page.getByTestId('settings-editor').waitFor();
      await snap(page, '05-settings');
      await page.getByTestId('settings-nav-assignment').click();
      await snap(page, '06-settings-assignment');
      await page.getByTestId('settings-nav-privacy').click();
      await snap(page, '07-settings-privacy');
      await page.getByTestId('settings-nav-appearance').click();
      await snap(page, '08-settings-appearance');

      // Experiments: the run's progress, report, plan, tickets and judge sections, the side bar list.
      await page.getByTestId('activity-experiments').click();
      await page.locator('[data-testid="run-row"][data-kind="experiment"]').click();
      for (const [id, testId, n] of [
        ['overview', null, '09'],
        ['report', 'exp-report', '10'],
        ['plan', 'exp-plan', '11'],
        ['tickets', null, '12'],
        ['judge', null, '13'],
      ] as const) {
        await page.getByTestId(`exp-tab-${id}`).click();
        if (testId) await page.getByTestId(testId).waitFor();
        await page.waitForLoadState('networkidle');
        await snap(page, `${n}-experiment-${id}`);
      }
      await page.getByTestId('exp-tab-latency').click();
      await page.getByTestId('exp-latency').waitFor();
      const plotsReady = () => page.locator('[data-testid="plot-violin"][data-state="ready"]').waitFor({ timeout: 20_000 });
      await snap(page, '14-experiment-latency', plotsReady);
      // The batch run (from `casebench run`) in its run editor.
      await page.locator('[data-testid="run-row"][data-kind="run"]').click();
      await page.getByTestId('run-editor').waitFor();
      await page.waitForLoadState('networkidle');
      await snap(page, '14b-batch-run');

      // Review: the queue list, a queue open, its results.
      await page.getByTestId('activity-review').click();
      await page.getByTestId('queue-row').first().waitFor();
      await page.getByTestId('reviewer-input').fill('ana');
      await page.getByTestId('reviewer-input').press('Enter');
      await page.getByTestId('reviewer-me').waitFor();
      await snap(page, '15-review-queues');
      await page.getByTestId('queue-row').first().click();
      await page.waitForLoadState('networkidle');
      await snap(page, '16-review-item');
      await page.getByTestId('review-results-open').click();
      await page.waitForLoadState('networkidle');
      await snap(page, '17-review-results');

      // Traces: the import list and the generic traces.
      await runCommand(page, 'show traces', 'view.traces');
      await page.getByTestId('traces-view').waitFor();
      await page.waitForLoadState('networkidle');
      await snap(page, '18-traces');
      const generic = page.getByTestId('generic-trace-row').first();
      if (await generic.count()) {
        await generic.click();
        await page.waitForLoadState('networkidle');
        await snap(page, '19-generic-trace');
      }

      // Shadow view.
      await runCommand(page, 'show shadow', 'view.shadow');
      await page.getByTestId('shadow-view').waitFor();
      await page.waitForLoadState('networkidle');
      await snap(page, '20-shadow');

      // A new ticket editor (paste box).
      await runCommand(page, 'new ticket', 'tickets.new');
      await page.waitForLoadState('networkidle');
      await snap(page, '21-new-ticket');
    } finally {
      await s.close();
    }
  } finally {
    await fake.close();
  }
  process.stdout.write(`${shots.length} screenshots in ${out}\n`);
}

async function compare(a: string, b: string): Promise<void> {
  const names = readdirSync(a)
    .filter((n) => n.endsWith('.png'))
    .sort();
  const br = await launchBrowser({ viewport: { width: 200, height: 200 } });
  let same = 0;
  const lines: string[] = [];
  try {
    for (const n of names) {
      if (!existsSync(join(b, n))) {
        lines.push(`${n}: missing in ${b}`);
        continue;
      }
      const [x, y] = [readFileSync(join(a, n)).toString('base64'), readFileSync(join(b, n)).toString('base64')];
      const r = await br.page.evaluate(
        async ([x, y]) => {
          const load = async (s: string) => createImageBitmap(await (await fetch(`data:image/png;base64,${s}`)).blob());
          const [ia, ib] = [await load(x), await load(y)];
          if (ia.width !== ib.width || ia.height !== ib.height)
            return { diff: -1, box: `${ia.width}×${ia.height} vs ${ib.width}×${ib.height}` };
          const px = (i: ImageBitmap) => {
            const c = new OffscreenCanvas(i.width, i.height);
            const g = c.getContext('2d')!;
            g.drawImage(i, 0, 0);
            return g.getImageData(0, 0, i.width, i.height).data;
          };
          const [da, db] = [px(ia), px(ib)];
          let diff = 0;
          let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
          for (let p = 0; p < da.length; p += 4) {
            if (da[p] !== db[p] || da[p + 1] !== db[p + 1] || da[p + 2] !== db[p + 2] || da[p + 3] !== db[p + 3]) {
              diff++;
              const q = p / 4;
              const [cx, cy] = [q % ia.width, Math.floor(q / ia.width)];
              [x0, y0, x1, y1] = [Math.min(x0, cx), Math.min(y0, cy), Math.max(x1, cx), Math.max(y1, cy)];
            }
          }
          return { diff, box: diff ? `x ${x0}–${x1}, y ${y0}–${y1}` : '' };
        },
        [x, y] as const,
      );
      if (r.diff === 0) same++;
      else lines.push(`${n}: ${r.diff < 0 ? 'size differs' : `${r.diff} pixels differ`} (${r.box})`);
    }
  } finally {
    await br.close();
  }
  process.stdout.write(`${lines.join('\n')}${lines.length ? '\n' : ''}${names.length} screenshots, ${same} identical\n`);
  process.exitCode = same === names.length ? 0 : 1;
}

const [cmd, p1, p2] = process.argv.slice(2);
if (cmd === 'shoot' && p1) await shoot(p1);
else if (cmd === 'compare' && p1 && p2) await compare(p1, p2);
else {
  process.stderr.write('usage: node scripts/css-snapshots.ts shoot <dir> | compare <before-dir> <after-dir>\n');
  process.exitCode = 2;
}
