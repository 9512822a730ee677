// Choosing a queue's items: the candidate answers a spec matches, the seeded sample stratified by
// task and model, and the seeded shuffle that orders a blind item's answers and a sample's tickets.
// queues.ts builds and deals the queue from what is chosen here.
import type { z } from 'zod';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { seedFor } from '../metrics/bootstrap.ts';
import { seededRandom } from '../random.ts';
import type { Store } from '../store/store.ts';
import type { QueueAnswer, queueSpecSchema } from './queues.ts';

type Row = Record<string, unknown>;

/** The item's answers in display order: a Fisher–Yates shuffle driven by the item's recorded seed. */
export function shuffleAnswers<T>(answers: readonly T[], seed: number): T[] {
  const out = [...answers];
  const rnd = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

interface Candidate {
  ticketId: string;
  task: TaskId;
  answers: QueueAnswer[];
}

/** The latest successful answer per (ticket, task, model) within the spec's run, tasks and models. */
export function candidates(store: Store, spec: z.output<typeof queueSpecSchema>, tickets: Set<string> | null): Candidate[] {
  const tasks = new Set<TaskId>(spec.tasks ?? TASK_IDS);
  const models = spec.models ? new Set(spec.models) : null;
  const rows = (
    spec.runId
      ? store
          .prepare(
            `SELECT ticket_id, task, model_spec, run_id FROM results WHERE status = 'ok' AND run_id = ? ORDER BY ticket_id, task, model_spec, recorded_at DESC`,
          )
          .all(spec.runId)
      : store
          .prepare(
            `SELECT ticket_id, task, model_spec, run_id FROM results WHERE status = 'ok' ORDER BY ticket_id, task, model_spec, recorded_at DESC`,
          )
          .all()
  ) as Row[];
  const byItem = new Map<string, Candidate>();
  for (const r of rows) {
    const ticketId = String(r.ticket_id);
    const task = String(r.task) as TaskId;
    const model = String(r.model_spec);
    if (!tasks.has(task) || (models && !models.has(model)) || (tickets && !tickets.has(ticketId))) continue;
    const key = `${ticketId}\u0000${task}`;
    let c = byItem.get(key);
    if (!c) byItem.set(key, (c = { ticketId, task, answers: [] }));
    // Rows come newest first per model: the first one seen is the latest answer.
    if (!c.answers.some((a) => a.model === model)) c.answers.push({ model, runId: String(r.run_id) });
  }
  return [...byItem.values()];
}

/**
 * A seeded sample of n items, spread evenly over tasks (a task with too few items gives its share
 * to the others) and within a task over models: each pick takes an item holding the model with
 * the fewest sampled answers so far.
 */
export function stratifiedSample(items: readonly Candidate[], n: number, seed: number): Candidate[] {
  const byTask = new Map<TaskId, Candidate[]>();
  for (const t of TASK_IDS) byTask.set(t, []);
  for (const c of items) byTask.get(c.task)!.push(c);
  const tasks = TASK_IDS.filter((t) => byTask.get(t)!.length > 0);
  const quota = new Map<TaskId, number>(tasks.map((t) => [t, 0]));
  let left = Math.min(n, items.length);
  // Hand out one place at a time, round-robin over tasks that still have unsampled items.
  while (left > 0) {
    for (const t of tasks) {
      if (left === 0) break;
      if (quota.get(t)! < byTask.get(t)!.length) {
        quota.set(t, quota.get(t)! + 1);
        left--;
      }
    }
  }
  const out: Candidate[] = [];
  for (const t of tasks) {
    const pool = shuffleAnswers(byTask.get(t)!, seedFor(seed, 'sample', t));
    const models = [...new Set(pool.flatMap((c) => c.answers.map((a) => a.model)))].sort();
    const count = new Map(models.map((m) => [m, 0]));
    const taken = new Set<number>();
    for (let q = quota.get(t)!; q > 0; q--) {
      // The least-sampled model that still has an untaken item; ties by name.
      let pick = -1;
      for (const m of [...models].sort((a, b) => count.get(a)! - count.get(b)! || (a < b ? -1 : 1))) {
        pick = pool.findIndex((c, i) => !taken.has(i) && c.answers.some((a) => a.model === m));
        if (pick >= 0) break;
      }
      if (pick < 0) break;
      taken.add(pick);
      for (const a of pool[pick]!.answers) count.set(a.model, (count.get(a.model) ?? 0) + 1);
      out.push(pool[pick]!);
    }
  }
  return out;
}
