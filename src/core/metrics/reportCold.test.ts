// Cold calls (the first request on a newly opened connection carries the server's set-up) are
// recorded as such and left out of the report's latency statistics, which say so (issue 13 §1).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TASK_IDS } from '#shared/tasks.ts';
import { openStore } from '../store/store.ts';
import { findReportRun, loadLatencyPoints } from '../store/reportQueries.ts';
import { loadReportData } from '../experiments/reportData.ts';
import { uniformFloors } from './planner.ts';
import { buildReport } from './report.ts';
import { renderMarkdown } from './reportFormat.ts';

const B = 'openai:gpt-4o';

function workspace(coldOnly = false): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cb-cold-')), 'ws.db');
  const store = openStore(path);
  store.createRun({ id: 'experiment-cold', kind: 'experiment', assignment: {}, config: { models: [B], baseline: B, upstream: 'own' } });
  store.transaction(() => {
    for (let i = 0; i < 6; i++) {
      const id = `T${i + 1}`;
      store.upsertTicket({ id, text: `ticket ${i}` }, 'test');
      store.setRunTicket('experiment-cold', id, 'done', 500);
      for (const task of TASK_IDS) {
        // Two of six calls per task were first on their connection, and took 250 ms more.
        const cold = coldOnly || i < 2;
        const ms = cold ? 350 : 100 + i;
        store.insertCall({
          runId: 'experiment-cold',
          ticketId: id,
          task,
          modelSpec: B,
          provider: 'openai',
          model: 'gpt-4o',
          attempt: 1,
          promptVersion: 'v1',
          startedAt: Date.now(),
          latencyMs: ms,
          ttftMs: null,
          queueTimeMs: null,
          providerTotalMs: null,
          status: 'ok',
          errorCode: null,
          errorMessage: null,
          httpStatus: null,
          requestId: null,
          inputTokens: 10,
          outputTokens: 2,
          cachedTokens: 0,
          reasoningTokens: null,
          costUsd: 0.001,
          raw: null,
          slotWaitMs: 0,
          cold,
        });
        store.saveResult('experiment-cold', id, B, {
          task,
          status: 'ok',
          value:
            task === 'asset_ids' ? [] : task === 'technical_details' ? { present: [], missing: [] } : task === 'severity' ? 'low' : 'aws',
          raw: null,
          provider: 'openai',
          model: 'gpt-4o',
          promptVersion: 'v1',
          startedMs: 0,
          endedMs: ms,
          latencyMs: ms,
          slotWaitMs: 0,
          ttftMs: null,
          queueTimeMs: null,
          providerTotalMs: null,
          inputTokens: 10,
          outputTokens: 2,
          cachedTokens: 0,
          reasoningTokens: null,
          costUsd: 0.001,
          attempts: 1,
          error: null,
        });
      }
    }
  });
  store.setRunStatus('experiment-cold', 'done');
  store.close();
  return path;
}

describe('report: cold calls', () => {
  it('leaves calls first on a new connection out of the latency figures and says how many', () => {
    const store = openStore(workspace());
    try {
      const run = findReportRun(store);
      const rep = buildReport(loadReportData(store, run), { baseline: B, assignment: null, floors: uniformFloors(0.8) });
      const platform = rep.tasks.platform[B]!;
      // Warm calls took 102…105 ms; the two cold 350 ms calls would pull p95/p99 up to 350.
      expect(platform.median_ms).toBeCloseTo(103.5, 5);
      expect(platform.p99_ms!).toBeLessThan(106);
      expect(rep.latency_basis.cold_calls_excluded).toBe(2 * TASK_IDS.length);
      // Cost still counts every successful call.
      expect(platform.cost_per_1k_usd).toBeCloseTo(1, 6);
      expect(renderMarkdown(rep)).toMatch(/10 calls that were the first on a newly opened connection \(cold\) are left out/);
      // The plots draw the same calls.
      expect(
        loadLatencyPoints(store, run.id)
          .filter((p) => p.task === 'platform')
          .map((p) => p.latencyMs)
          .sort(),
      ).toEqual([102, 103, 104, 105]);
    } finally {
      store.close();
    }
  });

  it('keeps cold calls where a task and model have no warm ones', () => {
    const store = openStore(workspace(true));
    try {
      const rep = buildReport(loadReportData(store, findReportRun(store)), { baseline: B, assignment: null, floors: uniformFloors(0.8) });
      expect(rep.tasks.platform[B]!.median_ms).toBe(350);
      expect(rep.latency_basis.cold_calls_excluded).toBe(0);
    } finally {
      store.close();
    }
  });
});
