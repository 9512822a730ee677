// Migration 12: hedged calls (issue 15 §2; providers/hedge.ts). Each attempt of a hedged call is
// a calls row as before; these columns say how it took part.
import type { Migration } from './migrations.ts';

export const MIGRATION_12_HEDGE: Migration = {
  version: 12,
  name: 'hedged calls: the duplicate and the cancelled loser marked on calls',
  sql: `
-- 'primary': the attempt ran past its model's p95 for the task and a duplicate was sent;
-- 'hedge': that duplicate (same attempt number); NULL: not part of a hedged call.
ALTER TABLE calls ADD COLUMN hedge TEXT;
-- 1: cancelled because the other attempt of its hedged call answered first (status 'error',
-- error_code 'CANCELLED'; cost_usd is the estimate of what the provider bills for it).
ALTER TABLE calls ADD COLUMN hedge_lost INTEGER;
`,
};
