// A live side-by-side comparison: one ticket through N models at once (each model answers all
// five tasks with its own upstream), recorded as one run of kind 'compare' whose results carry
// each model's spec, so it reopens later exactly like a recorded experiment.
import { randomUUID } from 'node:crypto';
import { AppError } from '#shared/errors.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import type { Assignment } from '../graph/engine.ts';
import { parseModelSpec } from '../models.ts';
import { markTicketStarted } from './recordTriage.ts';
import { titleOf } from '../tickets/ticketQueries.ts';
import { triageLive, type LiveDeps } from './liveTriage.ts';

export interface CompareRequest {
  ticketId: string;
  models: string[];
  baseline: string;
}

export interface StartedCompare {
  runId: string;
  models: string[];
  baseline: string;
  done: Promise<void>;
}

/** Starts the comparison and returns at once; `done` settles when every model has answered every task. */
export function startCompare(d: LiveDeps, req: CompareRequest, signal: AbortSignal): StartedCompare {
  const { store, emit } = d;
  const ticket = store.getTicket(req.ticketId);
  if (!ticket) throw new AppError('BAD_INPUT', `no ticket ${req.ticketId}`);
  const models = [...new Set(req.models.map((m) => m.trim()))];
  for (const m of models) {
    try {
      parseModelSpec(m);
    } catch (e) {
      throw new AppError('BAD_INPUT', (e as Error).message);
    }
  }
  if (models.length < 2) throw new AppError('BAD_INPUT', 'pick at least two different models to compare');
  const baseline = models.includes(req.baseline) ? req.baseline : models[0]!;
  const runId = `compare-${randomUUID().slice(0, 8)}`;
  const baselineAssignment = Object.fromEntries(TASK_IDS.map((t) => [t, baseline])) as Assignment;
  store
    .prepare(`INSERT INTO runs (id, kind, label, assignment, config, status, created_at) VALUES (?, 'compare', ?, ?, ?, 'running', ?)`)
    .run(
      runId,
      `${titleOf(ticket.title ?? null, ticket.text)} · ${models.length} models`,
      JSON.stringify(baselineAssignment),
      JSON.stringify({ models, baseline, ticketId: ticket.id }),
      Date.now(),
    );
  const t0Epoch = Date.now();
  markTicketStarted(store, runId, ticket.id, t0Epoch);
  emit({ type: 'runs.changed' });

  const runs = models.map((spec) => {
    const assignment = Object.fromEntries(TASK_IDS.map((t) => [t, spec])) as Assignment;
    return triageLive(d, { runId, ticket: { id: ticket.id, text: ticket.text }, assignment, signal, t0Epoch, speculate: false }).then(
      (r) => r.totalMs,
    );
  });
  const done = Promise.allSettled(runs).then((settled) => {
    const total = Math.max(0, ...settled.map((s) => (s.status === 'fulfilled' ? s.value : 0)));
    try {
      store.setRunTicket(runId, ticket.id, signal.aborted ? 'cancelled' : 'done', total);
      store.setRunStatus(runId, signal.aborted ? 'interrupted' : 'done');
    } catch {
      return; // closing: marked interrupted at the next start
    }
    emit({ type: 'ticket.done', ticketId: ticket.id, runId, totalMs: total });
    emit({ type: 'runs.changed' });
  });
  return { runId, models, baseline, done };
}
