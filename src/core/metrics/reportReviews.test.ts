// Review scores flow into the report and the plan's quality floor.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureStore, BASE, SMALL, LARGE, RUN } from '../review/workspace.fixture.ts';
import { submitScore } from '../review/reviewsRepo.ts';
import { findReportRun } from '../store/reportQueries.ts';
import { loadReportData } from '../experiments/reportData.ts';
import { buildReport } from './report.ts';
import { parseFloors } from './planner.ts';

describe('report with manual reviews', () => {
  it('carries the rubric means per task and model, and the plan judges quality by them', () => {
    const store = fixtureStore(join(mkdtempSync(join(tmpdir(), 'cb-rr-')), 'cb.db'));
    // Severity: the baseline is wrong on T1 (reviewer says urgent), the small model right.
    submitScore(store, { ticketId: 'T1', task: 'severity', model: BASE, runId: RUN, reviewer: 'ana', score: 0.5 });
    submitScore(store, { ticketId: 'T1', task: 'severity', model: SMALL, runId: RUN, reviewer: 'ana', score: 1 });
    submitScore(store, { ticketId: 'T1', task: 'severity', model: LARGE, runId: RUN, reviewer: 'ana', score: 0.5 });
    submitScore(store, { ticketId: 'T2', task: 'severity', model: SMALL, runId: RUN, reviewer: 'ana', score: 0 });
    const report = buildReport(loadReportData(store, findReportRun(store, RUN)), {
      baseline: BASE,
      assignment: null,
      floors: parseFloors('0.4'),
    });
    expect(report.reviews.severity).toEqual({
      [BASE]: { score: 0.5, n: 1 },
      [SMALL]: { score: 0.5, n: 2 },
      [LARGE]: { score: 0.5, n: 1 },
    });
    // Unreviewed tasks stay absent rather than scored 0.
    expect(report.reviews.platform).toBeUndefined();
    expect(JSON.stringify(report.plan)).toMatch(/review/);
    store.close();
  });
});
