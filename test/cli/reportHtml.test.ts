// `casebench report --format html` over a recorded experiment (the keyless demo models), run as
// a user runs it: the file holds the tables and one figure per plot, and nothing it needs lives
// anywhere else (no URL, no script), so it opens offline.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TASK_IDS, TASKS } from '#shared/tasks.ts';
import { cliEnv, runCli, tempDir, writeTickets } from './helpers.ts';

const MODELS = ['demo:gpt-4o', 'demo:llama-3.1-8b', 'demo:llama-3.3-70b'];
const env = cliEnv({ CASEBENCH_DEMO_SPEED: '0.02' });
let dir: string;
let db: string;

beforeAll(async () => {
  dir = tempDir('cb-html-');
  db = join(dir, 'cb.db');
  const tickets = writeTickets(dir, 10);
  const r = await runCli(
    ['experiment', '--tickets', tickets, '--models', MODELS.join(','), '--baseline', MODELS[0]!, '--db', db, '--yes'],
    env,
  );
  expect(r.code, r.stderr).toBe(0);
}, 60_000);

const figures = (html: string): Array<{ kind: string; body: string }> =>
  [...html.matchAll(/<figure class="plot" data-kind="([^"]+)">(.*?)<\/figure>/gs)].map((m) => ({ kind: m[1]!, body: m[2]! }));

describe('casebench report --format html', () => {
  it('writes one offline file with the tables, each task’s four plots and the waterfalls, light and dark', async () => {
    const out = join(dir, 'report.html');
    const r = await runCli(['report', '--db', db, '--format', 'html', '--out', out], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^casebench report: wrote .*report\.html \(22 plots\)\n$/);
    const html = readFileSync(out, 'utf8');

    // The tables: the Markdown report's, as HTML.
    for (const t of TASK_IDS) expect(html).toContain(`<h2>${TASKS[t].label}</h2>`);
    expect(html).toContain('<h2>Plan</h2>');
    for (const m of MODELS) expect(html).toContain(`<code>${m}</code>`);
    expect(html).toMatch(/<th class="num">median ms \(95 % CI\)<\/th>/);

    // One figure per plot: 5 tasks × (violin, histogram, ECDF, scatter) + plan and ticket waterfalls,
    // each inlined in both themes.
    const figs = figures(html);
    expect(figs.map((f) => f.kind).filter((k) => k === 'violin')).toHaveLength(5);
    expect(figs.map((f) => f.kind).filter((k) => k === 'histogram')).toHaveLength(5);
    expect(figs.map((f) => f.kind).filter((k) => k === 'ecdf')).toHaveLength(5);
    expect(figs.map((f) => f.kind).filter((k) => k === 'scatter')).toHaveLength(5);
    expect(figs.map((f) => f.kind).filter((k) => k.startsWith('waterfall'))).toEqual(['waterfall-plan', 'waterfall-ticket']);
    for (const f of figs) {
      expect((f.body.match(/<svg /g) ?? []).length, f.kind).toBe(2);
      expect(f.body).toContain('<div class="p-light"><svg ');
      expect(f.body).toContain('<div class="p-dark"><svg ');
    }
    expect((html.match(/<svg /g) ?? []).length).toBe(44);
    expect((html.match(/<\/svg>/g) ?? []).length).toBe(44);

    // Self-contained: no URL of any kind, no script, nothing to load; the page forbids fetching.
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\((?!#)/i);
    // Only in-page references (clip paths), each to an id that exists once in the page.
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
    expect(new Set(ids).size).toBe(ids.length);
    for (const ref of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(ref[1]);
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
    expect(html).toContain('@media (prefers-color-scheme: dark)');
  }, 60_000);

  it('--theme light inlines each plot once; --ticket picks the waterfall ticket', async () => {
    const r = await runCli(['report', '--db', db, '--format', 'html', '--theme', 'light', '--ticket', 'T3'], env);
    expect(r.code, r.stderr).toBe(0);
    const html = r.stdout;
    expect((html.match(/<svg /g) ?? []).length).toBe(22);
    expect(html).not.toContain('p-dark');
    expect(html).toContain('Ticket T3: every model');
    for (const m of MODELS) expect(html).toContain(`T3 · ${m}:`);
  }, 60_000);

  it('keeps md, json and csv as they were, and --out writes the same bytes as stdout', async () => {
    for (const format of ['md', 'json', 'csv']) {
      const out = join(dir, `report.${format}`);
      const a = await runCli(['report', '--db', db, '--format', format], env);
      const b = await runCli(['report', '--db', db, '--format', format, '--out', out], env);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      expect(b.stdout).toBe('');
      expect(readFileSync(out, 'utf8')).toBe(a.stdout);
      expect(a.stdout).not.toContain('<svg');
    }
  }, 60_000);

  it('refuses a bad theme, an unknown ticket, --ticket without html and an unwritable --out, in one line', async () => {
    const bad = [
      [['--format', 'html', '--theme', 'sepia'], /--theme must be auto, light, dark, not "sepia"/],
      [['--format', 'html', '--ticket', 'NOPE'], /--ticket NOPE has no results in run experiment-/],
      [['--ticket', 'T1'], /--ticket draws a waterfall: it needs --format html/],
      [['--format', 'html', '--out', join(dir, 'missing', 'r.html')], /cannot write .*r\.html: the folder .*missing does not exist/],
    ] as const;
    for (const [args, msg] of bad) {
      const r = await runCli(['report', '--db', db, ...args], env);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  }, 60_000);
});
