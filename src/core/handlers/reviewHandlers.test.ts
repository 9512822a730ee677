// The Review and Traces routes as the workbench calls them (through createCoreServices, no
// browser): the reviewer name remembered, a queue made and scored by slot, refusals with the
// rubric's reason, undo naming the slot, resuming at the next item after a restart, results and
// the JSONL exchange; trace uploads imported from a temp file with no key and no network.
import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppEvent, RouteName, RouteOutputs } from '#shared/routes.ts';
import { createCoreServices, type CoreServices } from '../app.ts';
import { ANSWERS, LARGE, seedExperiment, SMALL, RUN } from '../review/workspace.fixture.ts';
import { openStore } from '../store/store.ts';
import { writeBigOtlp } from '#test/fakes/bigTraces.ts';

const FIXTURES = resolve(import.meta.dirname, '../../../test/fixtures/traces');
const open: CoreServices[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

function seeded(): string {
  const db = join(mkdtempSync(join(tmpdir(), 'cb-rh-')), 'cb.db');
  const s = openStore(db);
  seedExperiment(s);
  s.close();
  return db;
}

async function core(db: string) {
  const events: AppEvent[] = [];
  // No keys and no endpoints: nothing here may need a provider.
  const c = await createCoreServices({ dbPath: db, env: {}, secretStore: null });
  open.push(c);
  c.subscribe((e) => events.push(e));
  const call = async <R extends RouteName>(route: R, input: unknown): Promise<RouteOutputs[R]> => {
    const r = await c.request(route, input);
    if (!r.ok) throw new Error(`${route}: ${r.error.code} ${r.error.message}`);
    return r.data as RouteOutputs[R];
  };
  const fail = async (route: RouteName, input: unknown): Promise<string> => {
    const r = await c.request(route, input);
    if (r.ok) throw new Error(`${route} should have been refused`);
    return r.error.message;
  };
  return { c, call, fail, events };
}

describe('review routes', () => {
  it('remembers the reviewer, makes a blind queue, scores by slot, refuses off-rubric scores with the reason, undoes by slot', async () => {
    const db = seeded();
    const { call, fail } = await core(db);
    expect((await call('reviews.overview', {})).me).toBeNull();
    expect(await fail('reviews.setReviewer', { name: '  ' })).toMatch(/a reviewer needs a name/);
    expect((await call('reviews.setReviewer', { name: ' alice ' })).me).toBe('alice');
    const q = await call('reviews.createQueue', { runId: RUN, tasks: ['platform', 'severity'], reviewers: ['alice'], seed: 7 });
    expect(q.items).toBe(12);
    const overview = await call('reviews.overview', {});
    expect(overview.me).toBe('alice');
    expect(overview.queues[0]!.reviewers).toEqual([{ reviewer: 'alice', assigned: 12, done: 0, remaining: 12, extra: 0 }]);

    const first = await call('reviews.open', { queueId: q.id, reviewer: 'alice' });
    if (first.state !== 'item') throw new Error(first.state);
    expect(first.item.position).toBe(0);
    expect(first.item.answers.every((a) => a.model === null)).toBe(true);
    expect(first.gold).toEqual({ has: false, value: null, hidden: true, history: [] });
    expect(await fail('reviews.score', { queueId: q.id, position: 0, slot: 'A', reviewer: 'alice', score: 0.5 })).toMatch(
      /platform is scored 0 or 1/,
    );

    const scored = await call('reviews.score', { queueId: q.id, position: 0, slot: 'B', reviewer: 'alice', score: 1, note: 'right' });
    if (scored.state !== 'item') throw new Error(scored.state);
    expect(scored.item.answers.find((a) => a.slot === 'B')!.mine).toMatchObject({ score: 1, note: 'right' });
    const undo = await call('reviews.undo', { queueId: q.id, reviewer: 'alice' });
    expect(undo.undone).toEqual({ slot: 'B', slots: ['B'], score: 1, position: 0, gold: { restored: 0, kept: 0 } });
    expect(undo.screen?.state === 'item' && undo.screen.item.answers.every((a) => a.mine === null)).toBe(true);
    expect((await call('reviews.undo', { queueId: q.id, reviewer: 'alice' })).undone).toBeNull();
  });

  it('scores every unscored answer from a typed correct value, which becomes the gold label; a bad value is refused', async () => {
    const { call, fail } = await core(seeded());
    await call('reviews.setReviewer', { name: 'alice' });
    const q = await call('reviews.createQueue', { runId: RUN, tasks: ['severity'], ticketIds: ['T1'], reviewers: ['alice'] });
    await call('reviews.score', { queueId: q.id, position: 0, slot: 'A', reviewer: 'alice', score: 1 });
    expect(await fail('reviews.scoreFromCorrect', { queueId: q.id, position: 0, reviewer: 'alice', correctValue: 'high' })).toMatch(
      /confirmed/,
    );
    const r = await call('reviews.scoreFromCorrect', {
      queueId: q.id,
      position: 0,
      reviewer: 'alice',
      correctValue: 'high',
      confirmed: true,
    });
    expect(r.scored).toEqual(['B', 'C']);
    expect(r.refused).toEqual([]);
    expect(r.gold).toMatchObject({
      has: true,
      value: 'high',
      hidden: false,
      history: [{ by: 'alice', source: 'review', before: { has: false }, after: { has: true, value: 'high' } }],
    });
    expect(r.item.revealed).toBe(true);
    // T1 severity: gpt-4o and the 70b said high (1), the 8b said urgent (½); A kept the 1 it was given.
    for (const a of r.item.answers.filter((x) => x.slot !== 'A'))
      expect(a.mine!.score).toBe(ANSWERS.T1![a.model!]!.severity === 'high' ? 1 : 0.5);
    const q2 = await call('reviews.createQueue', { runId: RUN, tasks: ['severity'], ticketIds: ['T2'], reviewers: ['alice'] });
    expect(
      await fail('reviews.scoreFromCorrect', { queueId: q2.id, position: 0, reviewer: 'alice', correctValue: 'meh', confirmed: true }),
    ).toMatch(/the correct severity is one of low, normal, high, urgent/);
    expect(
      await fail('reviews.scoreFromCorrect', { queueId: 'q99', position: 0, reviewer: 'alice', correctValue: 'high', confirmed: true }),
    ).toMatch(/q99/);
  });

  it('says when a reviewer is not on a queue, joins them, and resumes at the next item after a restart', async () => {
    const db = seeded();
    const a = await core(db);
    await a.call('reviews.setReviewer', { name: 'bob' });
    const q = await a.call('reviews.createQueue', { runId: RUN, tasks: ['platform'], reviewers: ['alice'] });
    const not = await a.call('reviews.open', { queueId: q.id, reviewer: 'bob' });
    expect(not).toMatchObject({ state: 'not-reviewer', reviewer: 'bob', reviewers: ['alice'] });
    await a.call('reviews.assign', { queueId: q.id, reviewers: ['bob'] });
    const it0 = await a.call('reviews.open', { queueId: q.id, reviewer: 'bob' });
    if (it0.state !== 'item') throw new Error(it0.state);
    for (const x of it0.item.answers)
      await a.call('reviews.score', { queueId: q.id, position: it0.item.position, slot: x.slot, reviewer: 'bob', score: 1 });
    await open.splice(0)[0]!.close();

    const b = await core(db);
    expect((await b.call('reviews.overview', {})).me).toBe('bob');
    const next = await b.call('reviews.open', { queueId: q.id, reviewer: 'bob' });
    if (next.state !== 'item') throw new Error(next.state);
    expect(next.item.position).toBeGreaterThan(it0.item.position);
    expect(next.item.progress.done).toBe(1);
  });

  it('gives results, exports JSONL to download and imports it back with conflicts listed', async () => {
    const { call } = await core(seeded());
    const q = await call('reviews.createQueue', { runId: RUN, tasks: ['platform'], ticketIds: ['T1'], reviewers: ['alice'], blind: false });
    const v = await call('reviews.open', { queueId: q.id, reviewer: 'alice' });
    if (v.state !== 'item') throw new Error(v.state);
    for (const x of v.item.answers)
      await call('reviews.score', { queueId: q.id, position: 0, slot: x.slot, reviewer: 'alice', score: x.model === SMALL ? 0 : 1 });
    const res = await call('reviews.results', { queueId: q.id });
    expect(res.reviews).toBe(3);
    expect(res.table.cells.find((c) => c.model === SMALL)).toMatchObject({ task: 'platform', mean: 0, n: 1 });
    const x = await call('reviews.export', { queueId: q.id });
    expect(x.count).toBe(3);
    expect(x.fileName).toMatch(/^reviews-q\d+-\d{4}-\d\d-\d\d\.jsonl$/);
    const lines = x.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { model: string; score: number; reviewer: string });
    const bob = lines.map((l) => JSON.stringify({ ...l, reviewer: 'bob', score: l.model === LARGE ? 0 : l.score }));
    const imp = await call('reviews.import', { name: 'bob.jsonl', content: `${bob.join('\n')}\nnot json\n` });
    expect(imp).toMatchObject({ lines: 4, imported: 3, duplicates: 0 });
    expect(imp.bad).toEqual([{ line: 4, reason: expect.stringMatching(/not JSON/) }]);
    expect(imp.conflicts.map((c) => c.model)).toEqual([LARGE]);
    const after = await call('reviews.results', { queueId: q.id });
    expect(after.agreement.find((a) => a.task === 'platform')).toMatchObject({ reviewers: ['alice', 'bob'], units: 3 });
    expect(after.conflicts).toHaveLength(1);
  });
});

describe('trace routes', () => {
  it('imports an upload from a temp file it removes, under the file’s own name, with no key and no provider', async () => {
    const { call, fail, events } = await core(join(mkdtempSync(join(tmpdir(), 'cb-tr-')), 'cb.db'));
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('casebench-trace-')).length;
    const content = readFileSync(join(FIXTURES, 'promptfoo-output.sample-export.json'), 'utf8');
    const r = await call('traces.import', { name: 'promptfoo-output.sample-export.json', content, lastModified: Date.UTC(2025, 9, 1) });
    expect(r).toMatchObject({ calls: 4, tickets: 0, skipped: 0, alreadyImported: null });
    expect(r.file.name).toBe('promptfoo-output.sample-export.json');
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('casebench-trace-')).length).toBe(before);
    expect(events.some((e) => e.type === 'runs.changed')).toBe(true);
    const list = await call('traces.list', {});
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      runId: r.runIds[0],
      calls: 4,
      format: 'promptfoo',
      file: 'promptfoo-output.sample-export.json',
      tickets: 0,
      skipped: 0,
    });
    const calls = await call('traces.calls', { runId: r.runIds[0]! });
    expect(calls.total).toBe(4);
    expect(calls.rows[0]!.origin).toMatchObject({
      format: 'promptfoo',
      file: 'promptfoo-output.sample-export.json',
      locator: 'results.results[0]',
    });
    const origins = await call('traces.origins', { runId: r.runIds[0]!, ticketId: calls.rows[0]!.ticketId });
    expect(origins.map((o) => o.origin!.locator).sort()).toEqual(['results.results[0]', 'results.results[1]']);
    // The same content again: said, and nothing done.
    expect((await call('traces.import', { name: 'copy.json', content })).alreadyImported).toBe(r.runIds[0]);
    expect(await fail('traces.import', { name: 'empty.json', content: '  ' })).toMatch(/empty: nothing to import/);
    expect(await fail('traces.import', { name: '../../etc/x.json', content: '[1,2]' })).toMatch(/^x\.json: cannot tell the trace format/);
    expect(await fail('traces.openDialog', {})).toMatch(/desktop app/);
    expect(await fail('traces.calls', { runId: 'nope' })).toMatch(/no import nope/);
  });

  it('imports by path and lists each skipped record with where and why', async () => {
    const { call } = await core(join(mkdtempSync(join(tmpdir(), 'cb-tr-')), 'cb.db'));
    const r = await call('traces.importPath', { path: join(FIXTURES, 'langsmith-feedback.docs-example.json') });
    expect(r.calls).toBe(0);
    expect(r.skipped).toBe(1);
    expect(r.issues[0]!.where).toMatch(/^langsmith-feedback\.docs-example\.json/);
    expect(r.issues[0]!.message).toMatch(/LangSmith feedback is a score, not a model call/);
    expect(existsSync(join(FIXTURES, 'langsmith-feedback.docs-example.json'))).toBe(true);
  });

  it('removes staging files a killed import left beside the workspace, not one in use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-tr-'));
    const stale = join(dir, '.cb.db.import-deadbeef.tmp');
    const fresh = join(dir, '.cb.db.import-0badcafe.tmp');
    writeFileSync(stale, 'x');
    writeFileSync(fresh, 'x');
    utimesSync(stale, new Date(Date.now() - 2 * 3_600_000), new Date(Date.now() - 2 * 3_600_000));
    const { call } = await core(join(dir, 'cb.db'));
    await call('traces.importPath', { path: join(FIXTURES, 'langsmith-feedback.docs-example.json') });
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });

  it('reports how far a path import is, and traces.cancel rolls it back whole (a waiting one too)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-tr-'));
    const big = join(dir, 'big.otlp.jsonl');
    await writeBigOtlp(big, 12_000);
    const { c, call, events } = await core(join(dir, 'cb.db'));
    const first = c.request('traces.importPath', { path: big });
    const waiting = c.request('traces.importPath', { path: join(FIXTURES, 'promptfoo-output.sample-export.json') });
    // cancel once the first has shown progress
    await expect.poll(() => events.some((e) => e.type === 'traces.progress'), { timeout: 20_000 }).toBe(true);
    expect(await call('traces.cancel', {})).toEqual({ cancelled: 2 });
    const [a, b] = await Promise.all([first, waiting]);
    expect(a).toMatchObject({
      ok: false,
      error: { code: 'CANCELLED', message: 'import of big.otlp.jsonl cancelled; nothing of it was written' },
    });
    expect(b).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(await call('traces.list', {})).toEqual([]);
    const p = events.filter((e): e is Extract<AppEvent, { type: 'traces.progress' }> => e.type === 'traces.progress');
    expect(p[0]).toMatchObject({ name: 'big.otlp.jsonl', bytes: readFileSync(big).length });
    expect(p.at(-1)!.bytesRead).toBeLessThan(p[0]!.bytes);
    // nothing running: nothing to cancel; the next import runs to the end and its last progress event has read the whole file
    expect(await call('traces.cancel', {})).toEqual({ cancelled: 0 });
    events.length = 0;
    const done = await call('traces.importPath', { path: big });
    expect(done.calls).toBe(12_000);
    const last = events.filter((e) => e.type === 'traces.progress').at(-1) as Extract<AppEvent, { type: 'traces.progress' }>;
    expect(last).toMatchObject({ calls: 12_000, bytesRead: last.bytes });
  });
});
