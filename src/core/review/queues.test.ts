import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskResult } from '#shared/results.ts';
import type { Store } from '../store/store.ts';
import { assignReviewers, createQueue, getQueue, listQueues, queueItems } from './queues.ts';
import { submitScore } from './reviewsRepo.ts';
import { stratifiedSample } from './sampling.ts';
import { fixtureStore, LARGE, MODELS, RUN, SMALL } from './workspace.fixture.ts';

let store: Store;
beforeEach(() => {
  store = fixtureStore(join(mkdtempSync(join(tmpdir(), 'cb-queue-')), 'w.db'));
});
afterEach(() => store.close());

describe('review queues', () => {
  it('makes a queue of every successful answer of a run, grouped by ticket, leaving failed answers out', () => {
    const q = createQueue(store, { runId: RUN, seed: 7 });
    expect(q).toMatchObject({ id: 'q1', items: 30, answers: 89, k: 1, blind: true, seed: 7, models: [...MODELS].sort() });
    const items = queueItems(store, q.id);
    expect(items.slice(0, 5).map((i) => `${i.ticketId}/${i.task}`)).toEqual([
      'T1/platform',
      'T1/product',
      'T1/technical_details',
      'T1/asset_ids',
      'T1/severity',
    ]);
    // T6's small-model platform call failed: that item shows the other two answers.
    expect(items.find((i) => i.ticketId === 'T6' && i.task === 'platform')!.answers.map((a) => a.model)).not.toContain(SMALL);
    expect(createQueue(store, { runId: RUN }).id).toBe('q2');
    expect(listQueues(store).map((x) => x.id)).toEqual(['q2', 'q1']);
  });

  it('narrows to tickets, a ticket-list filter, tasks and models', () => {
    expect(createQueue(store, { ticketIds: ['T2', 'T4'], tasks: ['severity'] }).items).toBe(2);
    const f = createQueue(store, { filter: { search: 'bigquery' }, models: [SMALL, LARGE] });
    expect(queueItems(store, f.id).map((i) => i.ticketId)).toEqual(['T4', 'T4', 'T4', 'T4', 'T4']);
    expect(f.models).toEqual([SMALL, LARGE].sort());
    expect(() => createQueue(store, { ticketIds: ['T1', 'T99'] })).toThrow('not in this workspace: ticket T99');
    expect(() => createQueue(store, { runId: 'nope' })).toThrow('run nope is not in this workspace');
    expect(() => createQueue(store, { ticketIds: ['T1'], models: ['openai:unknown'] })).toThrow(/nothing to review/);
  });

  it('refuses more than six models side by side and names them', () => {
    const extra = ['a:1', 'a:2', 'a:3', 'a:4'];
    store.createRun({ id: 'r2', kind: 'experiment', assignment: {} });
    const base: TaskResult = {
      task: 'platform',
      status: 'ok',
      value: 'aws',
      raw: null,
      provider: 'a',
      model: 'x',
      promptVersion: 'v1',
      startedMs: 0,
      endedMs: 1,
      latencyMs: 1,
      ttftMs: null,
      queueTimeMs: null,
      providerTotalMs: null,
      inputTokens: null,
      outputTokens: null,
      cachedTokens: null,
      reasoningTokens: null,
      costUsd: null,
      attempts: 1,
      error: null,
    };
    for (const m of extra) store.saveResult('r2', 'T1', m, base);
    expect(() => createQueue(store, { ticketIds: ['T1'] })).toThrow(/7 models answered .*at most 6 side by side: choose them with models/);
    expect(createQueue(store, { ticketIds: ['T1'], models: [...extra, SMALL] }).models).toHaveLength(5);
  });

  it('samples N items stratified by task, the same ones for the same seed', () => {
    const a = createQueue(store, { runId: RUN, sample: 10, seed: 42 });
    const b = createQueue(store, { runId: RUN, sample: 10, seed: 42 });
    const keys = (id: string) => queueItems(store, id).map((i) => `${i.ticketId}/${i.task}`);
    expect(keys(a.id)).toEqual(keys(b.id));
    const perTask = new Map<string, number>();
    for (const i of queueItems(store, a.id)) perTask.set(i.task, (perTask.get(i.task) ?? 0) + 1);
    expect([...perTask.values()]).toEqual([2, 2, 2, 2, 2]);
    expect(a.source).toMatchObject({ runId: RUN, sample: 10, seed: 42 });
  });

  it('balances models within a task: a model that answered few tickets still gets sampled', () => {
    // 20 platform items; model "rare" answered only two of them.
    const items = Array.from({ length: 20 }, (_, i) => ({
      ticketId: `T${i}`,
      task: 'platform' as const,
      answers: [{ model: 'common', runId: 'r' }, ...(i === 3 || i === 17 ? [{ model: 'rare', runId: 'r' }] : [])],
    }));
    for (const seed of [1, 2, 3, 4, 5]) {
      const picked = stratifiedSample(items, 4, seed);
      expect(picked).toHaveLength(4);
      expect(picked.filter((c) => c.answers.some((a) => a.model === 'rare'))).toHaveLength(2);
    }
  });

  it('deals each item to k reviewers with balanced load, and reports progress per reviewer', () => {
    const q = createQueue(store, { runId: RUN, tasks: ['platform', 'severity'], k: 2, reviewers: ['alice', 'bob', 'carol'], seed: 1 });
    expect(q.items).toBe(12);
    expect(q.reviewers.map((r) => [r.reviewer, r.assigned])).toEqual([
      ['alice', 8],
      ['bob', 8],
      ['carol', 8],
    ]);
    const first = queueItems(store, q.id)[0]!;
    for (const a of first.answers)
      submitScore(store, { ticketId: first.ticketId, task: first.task, model: a.model, runId: a.runId, reviewer: 'alice', score: 1 });
    const after = getQueue(store, q.id)!;
    const alice = after.reviewers.find((r) => r.reviewer === 'alice')!;
    expect(alice.done + alice.extra).toBe(1);
    expect(after.complete).toBe(0); // k = 2: one reviewer is not enough
  });

  it('gives a reviewer added mid-way a share of the untouched items without moving started ones', () => {
    const q = createQueue(store, { runId: RUN, tasks: ['severity'], reviewers: ['alice'], seed: 3 });
    const items = queueItems(store, q.id);
    for (const it of items.slice(0, 2))
      for (const a of it.answers)
        submitScore(store, { ticketId: it.ticketId, task: it.task, model: a.model, runId: a.runId, reviewer: 'alice', score: 1 });
    const after = assignReviewers(store, q.id, ['bob']);
    const alice = after.reviewers.find((r) => r.reviewer === 'alice')!;
    const bob = after.reviewers.find((r) => r.reviewer === 'bob')!;
    expect(alice).toMatchObject({ assigned: 3, done: 2, remaining: 1 });
    expect(bob).toMatchObject({ assigned: 3, done: 0, remaining: 3 });
    expect(after.complete).toBe(2);
  });
});
