// UI speed in browser mode (Debian's Chromium, headless, via playwright-core) against a real
// `casebench serve` with 10,000 tickets in its workspace and the fake Groq server behind it.
// Prints figures; asserts nothing (speed is measured here, not in tests).
//   npx electron-vite build && node bench/ui.ts [--tickets 10000] [--runs 5] [--pastes 20]
//
// 1. Cold start to interactive: navigation start → the ticket list first shows its rows
//    (performance.mark 'casebench:interactive'), in a fresh browser profile each time.
// 2. List scroll frame time over 10,000 tickets: requestAnimationFrame intervals while the list
//    is scrolled every frame (steady, then a fast fling across the whole list).
// 3. Result → card painted: from the moment the host publishes a task result
//    (performance.timeOrigin + now in the serve process) to the frame after its card rendered
//    (rAF, then a posted message: the first task after that frame's paint).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '#core/store/store.ts';
import type { TaskResult } from '#shared/results.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { startFakeServer } from '#test/fakes/fakeProviderServer.ts';
import { launchBrowser } from '#test/e2e/browser.ts';
import { startServe } from '#test/e2e/serveProcess.ts';

const { values: args } = parseArgs({
  options: {
    tickets: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '5' },
    pastes: { type: 'string', default: '20' },
  },
});
const N = Number(args.tickets);
const RUNS = Number(args.runs);
const PASTES = Number(args.pastes);
const root = resolve(import.meta.dirname, '..');
if (!existsSync(join(root, 'out/renderer/index.html'))) {
  console.error('out/renderer is missing: run `npx electron-vite build` first');
  process.exit(1);
}

const q = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i]!;
};
const ms = (x: number): string => `${x.toFixed(1)} ms`;

// ---- a workspace with N triaged tickets ----
function seed(dbPath: string): void {
  const store = openStore(dbPath);
  const PLATFORMS = [
    ['aws', 'S3', 'account 123456789012', 'AccessDenied'],
    ['gcp', 'GKE', 'project acme-prod-42', 'ImagePullBackOff'],
    ['azure', 'Virtual Machines', 'subscription 1111-2222', 'VM does not boot'],
    ['aws', 'RDS', 'account 210987654321', 'too many connections'],
  ] as const;
  const SEV = ['low', 'normal', 'high', 'urgent'] as const;
  const runId = 'run-bench-seed';
  const assignment = Object.fromEntries(TASK_IDS.map((t) => [t, 'groq:openai/gpt-oss-20b'])) as Record<TaskId, string>;
  store.createRun({ id: runId, kind: 'run', label: `${N} seeded tickets`, assignment });
  const result = (task: TaskId, value: unknown, failed: boolean, i: number): TaskResult => ({
    task,
    status: failed ? 'error' : 'ok',
    value: failed ? null : value,
    raw: null,
    provider: 'groq',
    model: 'openai/gpt-oss-20b',
    promptVersion: 'v1',
    startedMs: 0,
    endedMs: 200 + (i % 97),
    latencyMs: 200 + (i % 97),
    ttftMs: null,
    queueTimeMs: 12,
    providerTotalMs: 150,
    inputTokens: 420,
    outputTokens: 30,
    cachedTokens: null,
    reasoningTokens: null,
    costUsd: 0.00004,
    attempts: 1,
    error: failed ? { code: 'PROVIDER_ERROR', message: 'Groq returned 503' } : null,
  });
  store.transaction(() => {
    for (let i = 0; i < N; i++) {
      const [platform, product, asset, err] = PLATFORMS[i % PLATFORMS.length]!;
      const id = `B-${String(i).padStart(5, '0')}`;
      store.upsertTicket(
        {
          id,
          title: `${product}: ${err} (${i})`,
          text: `${product} in ${asset} fails with "${err}" since 09:${String(i % 60).padStart(2, '0')} UTC; ticket ${i}.`,
        },
        'seed.jsonl',
      );
      store.setRunTicket(runId, id, 'done', 800 + (i % 300));
      const failed = i % 20 === 7;
      const values: Record<TaskId, unknown> = {
        platform,
        product,
        severity: SEV[i % 4],
        asset_ids: [asset.split(' ')[1]],
        technical_details: { present: i % 3 ? [err] : [], missing: ['region'] },
      };
      for (const t of TASK_IDS) store.saveResult(runId, id, assignment[t], result(t, values[t], failed && t === 'severity', i));
    }
  });
  store.setRunStatus(runId, 'done');
  store.close();
}

const work = mkdtempSync(join(tmpdir(), 'casebench-ui-bench-'));
const db = join(work, 'cb.db');
const t = performance.now();
seed(db);
console.log(`seeded ${N.toLocaleString('en')} tickets (${(N * 5).toLocaleString('en')} results) in ${ms(performance.now() - t)}`);

const fake = await startFakeServer({
  latencyMs: (_m, task) => ({ severity: 60, platform: 90, asset_ids: 70, product: 90, technical_details: 110 })[task ?? ''] ?? 80,
});
const serve = await startServe({ GROQ_API_KEY: 'gsk_BENCHKEY-00000000000000000000000000', GROQ_BASE_URL: fake.groqBaseURL }, ['--db', db]);

try {
  // ---- 1. cold start to interactive ----
  const starts: number[] = [];
  const listFetch: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const b = await launchBrowser();
    try {
      await b.page.goto(serve.url);
      await b.page.waitForFunction(() => window.__casebench?.interactiveAt != null, null, { timeout: 60_000 });
      const v = await b.page.evaluate(() => {
        const nav = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/tickets.list')) as
          | PerformanceResourceTiming
          | undefined;
        return {
          at: window.__casebench!.interactiveAt!,
          list: nav ? nav.responseEnd - nav.startTime : NaN,
          rows: document.querySelectorAll('[data-testid="ticket-row"]').length,
        };
      });
      starts.push(v.at);
      listFetch.push(v.list);
      if (r === 0) console.log(`  (first run: ${v.rows} rows in the DOM for ${N.toLocaleString('en')} tickets)`);
    } finally {
      await b.close();
    }
  }
  console.log(
    `cold start to interactive (${N.toLocaleString('en')} tickets, ${RUNS} fresh profiles): median ${ms(q(starts, 50))}, min ${ms(Math.min(...starts))}, max ${ms(Math.max(...starts))}`,
  );
  console.log(`  of which tickets.list (${N.toLocaleString('en')} rows over HTTP): median ${ms(q(listFetch, 50))}`);

  // ---- 2 and 3 in one browser ----
  const b = await launchBrowser();
  try {
    const page = b.page;
    await page.goto(serve.url);
    await page.waitForFunction(() => window.__casebench?.interactiveAt != null);
    await page.getByTestId('ticket-list').focus();
    await page.waitForTimeout(500);
    const frames = await page.evaluate(async () => {
      const el = document.querySelector('[data-testid="ticket-list"]') as HTMLElement;
      const deltas: { steady: number[]; fling: number[] } = { steady: [], fling: [] };
      let longTasks = 0;
      const po = new PerformanceObserver((l) => (longTasks += l.getEntries().length));
      try {
        po.observe({ type: 'longtask', buffered: false });
      } catch {
        // not supported: reported as 0
      }
      const phase = (step: number, frames: number, out: number[]) =>
        new Promise<void>((done) => {
          let last = 0;
          let n = 0;
          const tick = (ts: number) => {
            if (last) out.push(ts - last);
            last = ts;
            el.scrollTop += step;
            if (++n >= frames) return done();
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        });
      await phase(48, 300, deltas.steady); // about 1 row a frame
      const fling = Math.ceil(el.scrollHeight / 300);
      el.scrollTop = 0;
      await phase(fling, 300, deltas.fling); // the whole list in 300 frames
      po.disconnect();
      return { ...deltas, longTasks, height: el.scrollHeight, rows: el.querySelectorAll('[data-testid="ticket-row"]').length };
    });
    for (const [name, d] of [
      ['steady scroll (48 px/frame)', frames.steady],
      ['fling across all rows', frames.fling],
    ] as const) {
      const over = d.filter((x) => x > 16.7 + 1).length;
      console.log(
        `list scroll frame time, ${name}: median ${ms(q(d, 50))}, p95 ${ms(q(d, 95))}, p99 ${ms(q(d, 99))}, max ${ms(Math.max(...d))}; ${over} of ${d.length} frames over 16.7 ms`,
      );
    }
    console.log(
      `  (${frames.height.toLocaleString('en')} px of list, ${frames.rows} rows rendered at a time, ${frames.longTasks} long tasks ≥ 50 ms)`,
    );

    // ---- 3. result → card painted ----
    await page.evaluate(() => {
      window.__casebench!.paint.length = 0;
      window.__casebench!.arrive.length = 0;
      window.__casebench!.commit.length = 0;
    });
    for (let i = 0; i < PASTES; i++) {
      await page.keyboard.press('Control+Shift+P');
      await page.getByTestId('palette-input').fill('new ticket');
      await page.keyboard.press('Enter');
      await page
        .getByTestId('ticket-input')
        .fill(
          `Our GKE cluster gke-prod-${i} in project acme-prod-${i} stopped scheduling pods after the upgrade; customers see 502s. (${i})`,
        );
      await page.getByTestId('ticket-input').press('Control+Enter');
      await page.getByTestId('total-ms').waitFor({ timeout: 30_000 });
    }
    await page.waitForTimeout(300);
    const probe = await page.evaluate(() => ({
      paint: [...window.__casebench!.paint],
      arrive: [...window.__casebench!.arrive],
      commit: [...window.__casebench!.commit],
      skew: performance.timeOrigin + performance.now() - Date.now(),
    }));
    const nodeSkew = performance.timeOrigin + performance.now() - Date.now();
    const p = probe.paint;
    console.log(
      `result → card painted (${p.length} results over ${PASTES} pasted tickets): median ${ms(q(p, 50))}, p95 ${ms(q(p, 95))}, max ${ms(Math.max(...p))}; ${p.filter((x) => x < 16).length} of ${p.length} under 16 ms`,
    );
    console.log(`  host → event in the window (SSE): median ${ms(q(probe.arrive, 50))}, p95 ${ms(q(probe.arrive, 95))}`);
    console.log(`  host → card committed by React: median ${ms(q(probe.commit, 50))}, p95 ${ms(q(probe.commit, 95))}`);
    console.log(`  (clock check: browser hi-res vs wall clock ${probe.skew.toFixed(2)} ms, Node ${nodeSkew.toFixed(2)} ms)`);
  } finally {
    await b.close();
  }
} finally {
  await serve.stop();
  await fake.close();
  rmSync(work, { recursive: true, force: true });
}
