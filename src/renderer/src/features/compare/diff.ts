// Whether a model's answer agrees with the baseline's, task by task (contracts §6): exact value
// for platform, product (case-insensitive) and severity; the set of ids for asset ids; and
// "has details" for technical details.
import type { TaskResult } from '#shared/results.ts';
import type { TaskId } from '#shared/tasks.ts';
import { asStringList, asTechnicalDetails } from '../ticket/format.ts';

export type Agreement = 'same' | 'differs' | 'n/a';

const norm = (v: unknown): string => (typeof v === 'string' ? v.trim().toLowerCase() : JSON.stringify(v ?? null));

/** Compares two normalised values of one task. */
export function sameValue(task: TaskId, a: unknown, b: unknown): boolean {
  if (task === 'asset_ids') {
    const x = asStringList(a);
    const y = asStringList(b);
    if (!x || !y) return false;
    const sx = new Set(x.map((s) => s.trim().toLowerCase()));
    const sy = new Set(y.map((s) => s.trim().toLowerCase()));
    return sx.size === sy.size && [...sx].every((s) => sy.has(s));
  }
  if (task === 'technical_details') {
    const x = asTechnicalDetails(a);
    const y = asTechnicalDetails(b);
    if (!x || !y) return false;
    return x.present.length > 0 === y.present.length > 0;
  }
  return norm(a) === norm(b);
}

/** A cell against the baseline's cell of the same task; n/a when either has no answer. */
export function agreement(task: TaskId, cell: TaskResult | null, baseline: TaskResult | null): Agreement {
  if (!cell || !baseline || cell.status !== 'ok' || baseline.status !== 'ok') return 'n/a';
  return sameValue(task, cell.value, baseline.value) ? 'same' : 'differs';
}
