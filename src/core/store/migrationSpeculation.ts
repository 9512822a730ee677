// Migration 12 (speculative execution, issue 15 §1), in a file of its own so that migrations added
// in parallel elsewhere merge without conflict; renumber it when another one takes 12.
import type { Migration } from './migrations.ts';

export const SPECULATION_MIGRATION: Migration = {
  version: 12,
  name: 'speculative calls: kept or discarded',
  sql: `
-- A call started on a guessed platform/product: 'kept' when the guess proved right (the very call a
-- sequential run makes, its answer the fact), 'discarded' when it did not (cancelled or thrown away:
-- counted in spend, never a fact, left out of latency, success and agreement). NULL: not speculative.
ALTER TABLE calls ADD COLUMN speculation TEXT;
-- 1 when the task's result came from a kept speculative call.
ALTER TABLE results ADD COLUMN speculative INTEGER;
`,
};
