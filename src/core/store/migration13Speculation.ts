// Migration 13 (speculative execution, issue 15 §1), in a file of its own like 12 (hedged calls).
import type { Migration } from './migrations.ts';

export const SPECULATION_MIGRATION: Migration = {
  version: 13,
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
