// Read-side queries for `casebench report`: one pass over a run's results and successful calls,
// plus labels and attempt counts. Kept here (not in Store) so the report's SQL lives in one file.
import { AppError } from '#shared/errors.ts';
import type { TicketInput } from '#shared/results.ts';
import { isTaskId, TASK_IDS, type TaskId } from '#shared/tasks.ts';
import type { ReportData, ReportOkCall, ReportResultRow, ReportRunInfo } from '../metrics/report.ts';
import type { RunRow, Store } from './store.ts';
import type { LatencyPoint } from '#shared/plots/common.ts';
import type { WaterfallBar, WaterfallLane } from '#shared/plots/waterfall.ts';

type Row = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);

/** The run to report on: `runId` when given, else the newest experiment; BAD_INPUT naming what exists otherwise. */
export function findReportRun(store: Store, runId?: string): RunRow {
  const runs = store.listRuns();
  if (runId) {
    const run = runs.find((r) => r.id === runId);
    if (run) return run;
    const known = runs
      .slice(0, 5)
      .map((r) => r.id)
      .join(', ');
    throw new AppError('BAD_INPUT', `no run "${runId}" in ${store.path}${known ? ` (newest: ${known})` : ' (it holds no runs)'}`);
  }
  const exp = runs.find((r) => r.kind === 'experiment');
  if (!exp)
    throw new AppError('BAD_INPUT', `${store.path} holds no experiment: run \`casebench experiment\` first, or pick a run with --run ID`);
  return exp;
}

/**
 * Where a run's calls are read from: its own rows of `calls`, or for a shadow run the view that
 * adds the production calls it is measured against (recorded once, in the production run).
 */
export function callsOf(run: Pick<RunRow, 'kind'>): { from: string; run: string } {
  return run.kind === 'shadow' ? { from: 'run_calls', run: 'in_run' } : { from: 'calls', run: 'run_id' };
}

/** Production's model per task, for a run measured against production (a shadow run); else null. */
export function baselineByTask(run: Pick<RunRow, 'config'>): Record<TaskId, string> | null {
  const b = run.config?.baselineByTask;
  if (!b || typeof b !== 'object') return null;
  const m = b as Record<string, unknown>;
  return TASK_IDS.every((t) => typeof m[t] === 'string')
    ? (Object.fromEntries(TASK_IDS.map((t) => [t, m[t]])) as Record<TaskId, string>)
    : null;
}

/** The models a run recorded, in its own order (an experiment's config, else first appearance in results). */
export function runModels(store: Store, run: RunRow): string[] {
  const cfg = run.config?.models;
  if (Array.isArray(cfg) && cfg.every((m): m is string => typeof m === 'string')) return cfg;
  const rows = store
    .prepare('SELECT model_spec, min(rowid) AS first FROM results WHERE run_id = ? GROUP BY model_spec ORDER BY first')
    .all(run.id) as Row[];
  return rows.map((r) => String(r.model_spec));
}

/**
 * Everything buildReport needs for one run but the reviewers' scores, which the review layer adds
 * (core/experiments/reportData.ts `loadReportData`): the store reads rows and knows no reviews.
 */
export function loadReportRows(store: Store, run: RunRow): Omit<ReportData, 'reviews'> {
  const results: ReportResultRow[] = [];
  const resultRows = store
    .prepare('SELECT ticket_id, task, model_spec, status, value, attempts, error_code FROM results WHERE run_id = ?')
    .all(run.id) as Row[];
  for (const r of resultRows) {
    const task = String(r.task);
    if (!isTaskId(task)) continue;
    const status = String(r.status);
    if (status !== 'ok' && status !== 'error' && status !== 'skipped') continue;
    results.push({
      ticketId: String(r.ticket_id),
      task,
      model: String(r.model_spec),
      status,
      value: status === 'ok' && r.value != null ? (JSON.parse(String(r.value)) as unknown) : null,
      attempts: num(r.attempts) ?? 0,
      errorCode: r.error_code == null ? null : String(r.error_code),
    });
  }
  const okCalls: ReportOkCall[] = [];
  const src = callsOf(run);
  const callRows = store
    // No ORDER BY: it costs a temporary B-tree, and the index walk is already deterministic.
    // Discarded speculative calls (a wrong guess) are no answer of the task: in no statistic.
    .prepare(
      `SELECT ticket_id, task, model_spec, latency_ms, cost_usd, cold FROM ${src.from} WHERE ${src.run} = ? AND status = 'ok' AND latency_ms IS NOT NULL AND speculation IS NOT 'discarded'`,
    )
    .all(run.id) as Row[];
  for (const c of callRows) {
    const task = String(c.task);
    if (!isTaskId(task)) continue;
    okCalls.push({
      ticketId: String(c.ticket_id),
      task,
      model: String(c.model_spec),
      latencyMs: num(c.latency_ms)!,
      costUsd: num(c.cost_usd),
      cold: num(c.cold) === 1,
    });
  }
  const callCounts = new Map<string, number>();
  for (const c of store
    .prepare(
      `SELECT task, model_spec, count(*) AS n FROM ${src.from} WHERE ${src.run} = ? AND speculation IS NOT 'discarded' GROUP BY task, model_spec`,
    )
    .all(run.id) as Row[]) {
    callCounts.set(`${String(c.task)}\u0000${String(c.model_spec)}`, num(c.n) ?? 0);
  }
  const labels = new Map<string, NonNullable<TicketInput['labels']>>();
  const labelRows = store
    // Gold labels of the version each ticket was answered for (labels belong to a text).
    .prepare('SELECT ticket_id AS id, labels FROM run_ticket_versions WHERE run_id = ? AND labels IS NOT NULL')
    .all(run.id) as Row[];
  for (const l of labelRows) {
    try {
      const v = JSON.parse(String(l.labels)) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0)
        labels.set(String(l.id), v as NonNullable<TicketInput['labels']>);
    } catch {
      // A label that is not JSON was not written by casebench; the ticket counts as unlabelled.
    }
  }
  const tickets = num((store.prepare('SELECT count(*) AS n FROM run_tickets WHERE run_id = ?').get(run.id) as Row).n) ?? 0;
  const cfg = run.config ?? {};
  const info: ReportRunInfo = {
    id: run.id,
    kind: run.kind,
    status: run.status,
    created_at: new Date(run.createdAt).toISOString(),
    models: runModels(store, run),
    baseline: typeof cfg.baseline === 'string' ? cfg.baseline : null,
    upstream: typeof cfg.upstream === 'string' ? cfg.upstream : null,
    tickets,
    ...(run.kind === 'shadow' ? { baseline_by_task: baselineByTask(run) } : {}),
  };
  const spec = store
    .prepare(
      "SELECT sum(speculation = 'kept') AS kept, sum(speculation = 'discarded') AS discarded, sum(CASE WHEN speculation = 'discarded' THEN cost_usd END) AS cost, sum(speculation = 'discarded' AND cost_usd IS NULL) AS unpriced FROM calls WHERE run_id = ? AND speculation IS NOT NULL",
    )
    .get(run.id) as Row;
  const speculation =
    (num(spec.kept) ?? 0) + (num(spec.discarded) ?? 0) > 0
      ? {
          kept_calls: num(spec.kept) ?? 0,
          discarded_calls: num(spec.discarded) ?? 0,
          discarded_cost_usd: num(spec.cost) ?? 0,
          discarded_unpriced: num(spec.unpriced) ?? 0,
        }
      : undefined;
  return { run: info, results, okCalls, callCounts, labels, ...(speculation ? { speculation } : {}) };
}

// ---- Latency plots (issue #7) ----

/**
 * Every successful call of a run as the latency plots need it: the same calls the report's
 * latency columns use (status ok, latency known, cold ones left out), with the call id and ticket id so a plot can
 * lead back to them, and the prompt length in input tokens.
 */
export function loadLatencyPoints(store: Store, runId: string): LatencyPoint[] {
  const src = callsOf(store.getRun(runId) ?? { kind: 'run' });
  const rows = store
    .prepare(
      `SELECT id, ticket_id, task, model_spec, latency_ms, input_tokens, cold FROM ${src.from} WHERE ${src.run} = ? AND status = 'ok' AND latency_ms IS NOT NULL AND speculation IS NOT 'discarded'`,
    )
    .all(runId) as Row[];
  // Cold calls are left out where the same task and model have warm ones, as in the report.
  const warm = new Set<string>();
  for (const r of rows) if (num(r.cold) !== 1) warm.add(`${String(r.task)}\u0000${String(r.model_spec)}`);
  const out: LatencyPoint[] = [];
  for (const r of rows) {
    const task = String(r.task);
    if (!isTaskId(task)) continue;
    if (num(r.cold) === 1 && warm.has(`${task}\u0000${String(r.model_spec)}`)) continue;
    out.push({
      callId: num(r.id)!,
      ticketId: String(r.ticket_id),
      task,
      model: String(r.model_spec),
      latencyMs: num(r.latency_ms)!,
      inputTokens: num(r.input_tokens),
    });
  }
  return out;
}

/** One waterfall lane per model that ran the ticket in the run (offsets from the ticket's start; call ids per task). */
export function loadTicketLanes(store: Store, run: RunRow, ticketId: string): WaterfallLane[] {
  const rows = store
    .prepare('SELECT task, model_spec, status, started_ms, ended_ms, attempts, error_code FROM results WHERE run_id = ? AND ticket_id = ?')
    .all(run.id, ticketId) as Row[];
  const src = callsOf(run);
  const calls = store
    .prepare(`SELECT id, task, model_spec FROM ${src.from} WHERE ${src.run} = ? AND ticket_id = ? ORDER BY id`)
    .all(run.id, ticketId) as Row[];
  const callIds = new Map<string, number[]>();
  for (const c of calls) {
    const k = `${String(c.task)}\u0000${String(c.model_spec)}`;
    let l = callIds.get(k);
    if (!l) callIds.set(k, (l = []));
    l.push(num(c.id)!);
  }
  const lanes = new Map<string, WaterfallBar[]>();
  for (const r of rows) {
    const task = String(r.task);
    const status = String(r.status);
    if (!isTaskId(task) || (status !== 'ok' && status !== 'error' && status !== 'skipped')) continue;
    const model = String(r.model_spec);
    let bars = lanes.get(model);
    if (!bars) lanes.set(model, (bars = []));
    bars.push({
      task,
      model,
      status,
      startedMs: num(r.started_ms) ?? 0,
      endedMs: num(r.ended_ms) ?? 0,
      attempts: num(r.attempts) ?? 0,
      errorCode: r.error_code == null ? null : String(r.error_code),
      callIds: callIds.get(`${task}\u0000${model}`) ?? [],
    });
  }
  const order = runModels(store, run);
  const rank = (m: string): number => (order.includes(m) ? order.indexOf(m) : order.length);
  return [...lanes.entries()]
    .sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]))
    .map(([model, bars]) => ({ label: `${ticketId} · ${model}`, ticketId, bars, basis: 'ticket' as const }));
}

/**
 * A typical ticket to draw: among tickets where the model answered all five tasks, the one whose
 * end (the last answer) is the median; null when there is none.
 */
export function typicalTicket(store: Store, runId: string, model: string): string | null {
  const rows = store
    .prepare(
      "SELECT ticket_id, max(ended_ms) AS end FROM results WHERE run_id = ? AND model_spec = ? AND status = 'ok' GROUP BY ticket_id HAVING count(*) = ? ORDER BY end, ticket_id",
    )
    .all(runId, model, TASK_IDS.length) as Row[];
  if (rows.length === 0) return null;
  return String(rows[Math.floor((rows.length - 1) / 2)]!.ticket_id);
}
