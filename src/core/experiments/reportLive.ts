// The report of an experiment for the workbench: buildReport over the run's rows (the same
// numbers as `casebench report`), the plan for a picked assignment or a moved floor, the tickets
// behind a report cell, and the calls the latency plots draw. The run's rows are read once and
// kept while the run does not change, so moving a floor or a pick costs only the report's maths.
import { AppError } from '#shared/errors.ts';
import type { TicketInput } from '#shared/results.ts';
import type { CellTicketRow, CellTicketsQuery, ExperimentReportOptions } from '#shared/routes/experimentRoutes.ts';
import type { LatencyPoint } from '#shared/plots/common.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { comparisonKey, labelKey } from '../metrics/agreement.ts';
import { DEFAULT_FLOOR, uniformFloors, type Floors, type PlanAssignment } from '../metrics/planner.ts';
import { buildReport, type Report, type ReportData } from '../metrics/report.ts';
import { parseModelSpec } from '../models.ts';
import { planLifecycle } from '../modelLifecycle.ts';
import { localDay } from '../spend/day.ts';
import { callsOf, loadLatencyPoints } from '../store/reportQueries.ts';
import { loadReportData } from './reportData.ts';
import type { Store } from '../store/store.ts';

type Row = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Rows behind one cell sent at most (the list is virtualised; a cell rarely has more). */
const MAX_CELL_ROWS = 5000;
/** Review scores can change without the run changing: the cached rows are re-read after this. */
const CACHE_MS = 3000;

const LABEL_FIELD: Record<TaskId, keyof NonNullable<TicketInput['labels']>> = {
  platform: 'platform',
  product: 'product',
  severity: 'severity',
  asset_ids: 'asset_ids',
  technical_details: 'has_technical_details',
};

export interface ReportLiveService {
  report(o: ExperimentReportOptions): Report;
  cellTickets(q: CellTicketsQuery): { rows: CellTicketRow[]; total: number; truncated: boolean };
  latencyPoints(runId: string): LatencyPoint[];
}

const canon = (spec: string, where: string): string => {
  try {
    const { provider, model } = parseModelSpec(spec);
    return `${provider}:${model}`;
  } catch (e) {
    throw new AppError('BAD_INPUT', `${where}: ${(e as Error).message}`);
  }
};

export function createReportLive(store: Store, now: () => number = Date.now): ReportLiveService {
  const cache = new Map<string, { version: string; at: number; data: ReportData }>();

  const versionOf = (runId: string): string => {
    const r = store
      .prepare(
        `SELECT (SELECT count(*) FROM results WHERE run_id = ?1) AS results, (SELECT max(id) FROM calls WHERE run_id = ?1) AS calls, (SELECT status FROM runs WHERE id = ?1) AS status,
           (SELECT max(id) FROM judge_verdicts WHERE source_run_id = ?1) AS verdicts`,
      )
      .get(runId) as Row;
    // A judge's new verdicts change the report (its Judge column, the plan's floor) without touching the run.
    return `${num(r.results)}:${num(r.calls)}:${str(r.status)}:${num(r.verdicts)}`;
  };

  const dataFor = (runId: string): ReportData => {
    const run = store.getRun(runId);
    if (!run) throw new AppError('BAD_INPUT', `no run ${runId}`);
    const version = versionOf(runId);
    const hit = cache.get(runId);
    if (hit && hit.version === version && now() - hit.at < CACHE_MS) return hit.data;
    const data = loadReportData(store, run);
    if (cache.size > 8) cache.clear();
    cache.set(runId, { version, at: now(), data });
    return data;
  };

  const baselineOf = (data: ReportData, given: string | undefined): string => {
    const models = data.run.models;
    const raw = given ?? data.run.baseline ?? models[0];
    if (!raw) throw new AppError('BAD_INPUT', `run ${data.run.id} has no results yet`);
    const b = canon(raw, 'baseline');
    if (!models.includes(b)) throw new AppError('BAD_INPUT', `baseline ${b} was not run in ${data.run.id} (models: ${models.join(', ')})`);
    return b;
  };

  return {
    report(o) {
      const data = dataFor(o.runId);
      const baseline = baselineOf(data, o.baseline);
      const floors: Floors = { ...uniformFloors(o.floor ?? DEFAULT_FLOOR), ...(o.floors ?? {}) };
      let assignment: PlanAssignment | null = null;
      if (o.assignment) {
        assignment = {} as PlanAssignment;
        for (const t of TASK_IDS) {
          const m = canon(o.assignment[t], `assignment ${t}`);
          if (!data.run.models.includes(m)) throw new AppError('BAD_INPUT', `${m} (${t}) was not run in ${data.run.id}`);
          assignment[t] = m;
        }
      }
      // A shadow run is measured against production, task by task, unless another baseline is asked for.
      const baselineByTask = o.baseline ? null : (data.run.baseline_by_task ?? null);
      return buildReport(data, {
        baseline,
        baselineByTask,
        assignment,
        floors,
        minSuccessRate: o.minSuccessRate ?? 0,
        lifecycle: planLifecycle(data.run.models, localDay(new Date())),
      });
    },

    cellTickets(q) {
      const run = store.getRun(q.runId);
      if (!run) throw new AppError('BAD_INPUT', `no run ${q.runId}`);
      const data = dataFor(q.runId);
      const model = canon(q.model, 'model');
      const baseline = q.baseline ? baselineOf(data, q.baseline) : (data.run.baseline_by_task?.[q.task] ?? baselineOf(data, undefined));
      const rows = store
        .prepare(
          'SELECT r.ticket_id, r.model_spec, r.status, r.value, r.attempts, r.error_code, r.error_message, r.latency_ms, r.cost_usd FROM results r WHERE r.run_id = ? AND r.task = ? AND r.model_spec IN (?, ?)',
        )
        .all(q.runId, q.task, model, baseline) as Row[];
      type Res = {
        status: CellTicketRow['status'];
        value: unknown;
        attempts: number;
        code: string | null;
        message: string | null;
        latency: number | null;
        cost: number | null;
      };
      const mine = new Map<string, Res>();
      const base = new Map<string, Res>();
      for (const r of rows) {
        const status = String(r.status);
        const code = str(r.error_code);
        // Our own cancellation is not an outcome (the report leaves it out the same way).
        if (status === 'error' && code === 'CANCELLED') continue;
        const res: Res = {
          status: status === 'ok' || status === 'error' || status === 'skipped' ? status : 'missing',
          value: status === 'ok' && r.value != null ? (JSON.parse(String(r.value)) as unknown) : null,
          attempts: num(r.attempts) ?? 0,
          code,
          message: str(r.error_message),
          latency: num(r.latency_ms),
          cost: num(r.cost_usd),
        };
        if (String(r.model_spec) === model) mine.set(String(r.ticket_id), res);
        if (String(r.model_spec) === baseline) base.set(String(r.ticket_id), res);
      }
      // Latency of the successful call (the report's latency columns are over calls, not results).
      const callLatency = new Map<string, number>();
      const src = callsOf(run);
      for (const c of store
        .prepare(
          `SELECT ticket_id, max(latency_ms) AS ms, sum(cost_usd) AS cost FROM ${src.from} WHERE ${src.run} = ? AND task = ? AND model_spec = ? AND status = 'ok' AND latency_ms IS NOT NULL AND speculation IS NOT 'discarded' GROUP BY ticket_id`,
        )
        .all(q.runId, q.task, model) as Row[]) {
        callLatency.set(String(c.ticket_id), num(c.ms)!);
      }
      const only = q.ticketIds ? new Set(q.ticketIds) : null;
      const ids = only ? [...only] : [...new Set([...mine.keys(), ...(q.filter === 'all' ? base.keys() : [])])];
      const out: CellTicketRow[] = [];
      for (const ticketId of ids) {
        const m = mine.get(ticketId);
        const b = base.get(ticketId);
        const labels = data.labels.get(ticketId);
        const gold = labelKey(q.task, labels);
        const mineKey = m?.status === 'ok' ? comparisonKey(q.task, m.value) : undefined;
        const baseKey = b?.status === 'ok' ? comparisonKey(q.task, b.value) : undefined;
        const agrees = model !== baseline && mineKey !== undefined && baseKey !== undefined ? mineKey === baseKey : null;
        const correct = mineKey !== undefined && gold !== undefined ? mineKey === gold : null;
        const latency = callLatency.get(ticketId) ?? null;
        const attempted = m?.status === 'ok' || m?.status === 'error';
        const keep = ((): boolean => {
          switch (q.filter) {
            case 'all':
              return true;
            case 'disagree':
              return agrees === false;
            case 'agree':
              return agrees === true;
            case 'wrong':
              return correct === false;
            case 'failed':
              return m?.status === 'error';
            case 'notFirstTry':
              return attempted && !(m?.status === 'ok' && m.attempts <= 1);
            case 'skipped':
              return m?.status === 'skipped';
            case 'slow':
              return latency !== null;
          }
        })();
        if (!keep) continue;
        if (
          (q.minLatencyMs !== undefined || q.maxLatencyMs !== undefined) &&
          (latency === null || latency < (q.minLatencyMs ?? -Infinity) || latency > (q.maxLatencyMs ?? Infinity))
        )
          continue;
        out.push({
          ticketId,
          title: '',
          status: m?.status ?? 'missing',
          value: m?.value ?? null,
          baselineStatus: b?.status ?? 'missing',
          baselineValue: b?.value ?? null,
          gold: labels && labels[LABEL_FIELD[q.task]] !== undefined ? labels[LABEL_FIELD[q.task]] : null,
          hasGold: gold !== undefined,
          agrees,
          correct,
          attempts: m?.attempts ?? 0,
          errorCode: m?.code ?? null,
          errorMessage: m?.message ?? null,
          latencyMs: latency ?? m?.latency ?? null,
          costUsd: m?.cost ?? null,
        });
      }
      // Slowest first where latency is the point; else the run's ticket order.
      if (q.filter === 'slow' || q.minLatencyMs !== undefined)
        out.sort((a, b) => (b.latencyMs ?? -1) - (a.latencyMs ?? -1) || a.ticketId.localeCompare(b.ticketId));
      else out.sort((a, b) => a.ticketId.localeCompare(b.ticketId, 'en', { numeric: true }));
      const total = out.length;
      const shown = out.slice(0, MAX_CELL_ROWS);
      const title = store.prepare('SELECT title, substr(text, 1, 160) AS head FROM tickets WHERE id = ?');
      for (const r of shown) {
        const t = title.get(r.ticketId) as Row | undefined;
        r.title = str(t?.title) ?? (str(t?.head) ?? r.ticketId).replace(/\s+/g, ' ').trim();
      }
      return { rows: shown, total, truncated: total > shown.length };
    },

    latencyPoints(runId) {
      if (!store.getRun(runId)) throw new AppError('BAD_INPUT', `no run ${runId}`);
      return loadLatencyPoints(store, runId);
    },
  };
}
