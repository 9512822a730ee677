// Daily spend limits of a workspace, one per scope (scopes.ts), kept in its settings table (key
// "spend.limits") so the CLI and the workbench on the same database obey the same limits.
import { z } from 'zod';
import { AppError } from '#shared/errors.ts';
import { spendScopeSchema, type SpendScope } from '#shared/spend.ts';
import { sameScope } from './scopes.ts';
import type { Store } from '../store/store.ts';

export interface SpendLimit {
  scope: SpendScope;
  /** USD per local day. */
  dailyUsd: number;
}

const KEY = 'spend.limits';
const entry = z.object({ scope: spendScopeSchema, dailyUsd: z.number().finite().nonnegative() });

/** The stored list as written; entries this version cannot read (a scope kind it does not know) are kept as they are. */
function stored(store: Store): unknown[] {
  const r = store.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as { value?: unknown } | undefined;
  if (!r || typeof r.value !== 'string') return [];
  try {
    const v: unknown = JSON.parse(r.value);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

/** The saved limits this version understands; an unreadable entry is skipped (the others still apply). */
export function loadLimits(store: Store): SpendLimit[] {
  const out: SpendLimit[] = [];
  for (const e of stored(store)) {
    const p = entry.safeParse(e);
    if (p.success) out.push(p.data);
  }
  return out;
}

/** Sets (a number ≥ 0) or removes (null) the daily limit of a scope. */
export function saveLimit(store: Store, scope: SpendScope, dailyUsd: number | null): SpendLimit[] {
  if (dailyUsd !== null && !(Number.isFinite(dailyUsd) && dailyUsd >= 0)) {
    throw new AppError('BAD_INPUT', `a daily spend limit is an amount in USD of 0 or more (got ${String(dailyUsd)})`);
  }
  const next = stored(store).filter((e) => {
    const p = entry.safeParse(e);
    return !(p.success && sameScope(p.data.scope, scope));
  });
  if (dailyUsd !== null) next.push({ scope, dailyUsd });
  store
    .prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    )
    .run(KEY, JSON.stringify(next), Date.now());
  return loadLimits(store);
}

/** Reads a limit as typed by a user: "5", "$5.00", "0.5"; "off"/"none" removes it. */
export function parseLimitUsd(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === 'off' || t === 'none' || t === '') return null;
  const n = Number(t.replace(/^\$/, '').replace(/,/g, ''));
  if (!Number.isFinite(n) || n < 0)
    throw new AppError('BAD_INPUT', `"${text}" is not an amount in USD (e.g. 5 or 0.50; "off" removes the limit)`);
  return n;
}
