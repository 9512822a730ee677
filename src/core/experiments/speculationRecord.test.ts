// What a speculative batch run leaves in the workspace: every call recorded with its fate, the
// discarded ones never a result, left out of the report's statistics and counted apart as spend;
// the facts and the report's figures those of a sequential run of the same tickets.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketLine } from '../tickets/ticketFile.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import { startFakeServer, type FakeServer } from '#test/fakes/fakeProviderServer.ts';
import { createRuntime, type Runtime } from '../runtime.ts';
import { openStore } from '../store/store.ts';
import { findReportRun } from '../store/reportQueries.ts';
import { loadReportData } from './reportData.ts';
import { buildReport } from '../metrics/report.ts';
import { renderMarkdown } from '../metrics/reportFormat.ts';
import { runBatch } from './batchRun.ts';
import type { Assignment } from '../graph/engine.ts';

const ASSIGN: Assignment = {
  platform: 'groq:openai/gpt-oss-120b',
  product: 'groq:openai/gpt-oss-20b',
  technical_details: 'groq:openai/gpt-oss-20b',
  asset_ids: 'groq:openai/gpt-oss-120b',
  severity: 'groq:openai/gpt-oss-20b',
};
const TEXTS = [
  'Our S3 bucket acme-logs in account 123456789012 returns AccessDenied since 09:00 UTC; production is down.',
  'BigQuery job in project data-3 fails with "Resources exceeded during query execution" since yesterday.',
  // The platform model answers gcp here, where the keywords read aws: a wrong guess.
  'Storage Transfer Service job from our S3 bucket to project mig-77 stalls at 40 %; transfer ids attached.',
];

let fake: FakeServer;
let rt: Runtime;
beforeAll(async () => {
  fake = await startFakeServer({
    latencyMs: (_m, task) => (task === 'platform' ? 60 : 10),
    answer: (i) => (i.task === 'platform' && i.ticketText.startsWith('Storage Transfer') ? { platform: 'gcp' } : undefined),
  });
  rt = await createRuntime({
    env: { GROQ_API_KEY: 'gsk_SPECREC-KEY00000000000000000000001', GROQ_BASE_URL: fake.groqBaseURL },
    secretStore: null,
  });
});
afterAll(() => fake.close());

async function* lines(): AsyncGenerator<TicketLine> {
  for (const [i, text] of TEXTS.entries()) yield { ok: true, line: i + 1, ticket: { id: `T${i + 1}`, text } };
}

async function batch(speculate: boolean) {
  const store = openStore(join(mkdtempSync(join(tmpdir(), 'cb-spec-')), 'cb.db'));
  const runId = `run-${speculate ? 'spec' : 'seq'}`;
  const p = await runBatch({
    store,
    deps: rt.deps,
    runId,
    assignment: ASSIGN,
    tickets: lines(),
    source: 'tickets.jsonl',
    concurrency: 1,
    speculate,
  });
  return { store, runId, p };
}

describe('a speculative run in the workspace', () => {
  it('records kept and discarded calls, keeps only real facts, and reports what a sequential run reports plus the extra spend', async () => {
    const seq = await batch(false);
    const spec = await batch(true);
    const calls = spec.store.callsForRun(spec.runId);
    // The wrong guess (ticket 3): its three dependents were sent on aws and discarded.
    const discarded = calls.filter((c) => c.speculation === 'discarded');
    expect(discarded.map((c) => `${c.ticketId} ${c.task}`).sort()).toEqual(['T3 asset_ids', 'T3 product', 'T3 technical_details']);
    expect(discarded.every((c) => c.costUsd !== null && c.costUsd > 0)).toBe(true);
    // The right guesses: their calls kept, and their results marked as such.
    expect(calls.filter((c) => c.speculation === 'kept').length).toBeGreaterThanOrEqual(6);
    expect(
      spec.store
        .resultsForTicket(spec.runId, 'T1')
        .filter((r) => r.speculative)
        .map((r) => r.task)
        .sort(),
    ).toEqual(['asset_ids', 'product', 'technical_details']);
    expect(spec.store.resultsForTicket(spec.runId, 'T3').some((r) => r.speculative)).toBe(false);
    // The facts are the sequential run's, ticket by ticket.
    for (const id of ['T1', 'T2', 'T3']) {
      const f = (s: typeof seq) => Object.fromEntries(s.store.resultsForTicket(s.runId, id).map((r) => [r.task, [r.status, r.value]]));
      expect(f(spec)).toEqual(f(seq));
      expect(Object.keys(f(spec)).sort()).toEqual([...TASK_IDS].sort());
    }
    expect(spec.store.resultsForTicket(spec.runId, 'T3').find((r) => r.task === 'platform')!.value).toBe('gcp');
    // The spend counts the discarded calls too.
    const discardedCost = discarded.reduce((a, c) => a + c.costUsd!, 0);
    expect(spec.p.costUsd).toBeCloseTo(seq.p.costUsd + discardedCost, 10);

    // The report: the same calls counted per task and model as in the sequential run (the discarded
    // ones in no statistic), the discarded ones told apart.
    const seqData = loadReportData(seq.store, findReportRun(seq.store, seq.runId));
    const specData = loadReportData(spec.store, findReportRun(spec.store, spec.runId));
    expect(specData.okCalls.length).toBe(seqData.okCalls.length);
    expect([...specData.callCounts.entries()].sort()).toEqual([...seqData.callCounts.entries()].sort());
    expect(specData.speculation).toMatchObject({ discarded_calls: 3 });
    expect(specData.speculation!.discarded_cost_usd).toBeCloseTo(discardedCost, 10);
    expect(seqData.speculation).toBeUndefined();
    const report = buildReport(specData, { baseline: ASSIGN.platform, assignment: null, floors: {} as never });
    expect(report.speculation?.discarded_calls).toBe(3);
    expect(renderMarkdown(report)).toMatch(
      /Speculation: \d+ calls started on a guessed platform\/product were kept .*; 3 were discarded \(wrong guess; in no statistic below\)/,
    );
    seq.store.close();
    spec.store.close();
  });
});
