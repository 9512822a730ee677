// Daily spend limits of a workspace, kept in its settings table (key "spend.limits") so the CLI and
// the workbench on the same database obey the same limit.
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import type { SpendScope } from '../../shared/spend.ts';
import type { Store } from '../store/store.ts';

export interface SpendLimit {
  scope: SpendScope;
  /** USD per local day. */
  dailyUsd: number;
}

const KEY = 'spend.limits';
const schema = z.array(z.object({ scope: z.object({ kind: z.literal('workspace') }), dailyUsd: z.number().finite().nonnegative() }));

export const sameScope = (a: SpendScope, b: SpendScope): boolean => a.kind === b.kind;

export function scopeLabel(scope: SpendScope): string {
  switch (scope.kind) {
    case 'workspace':
      return "the workspace's";
  }
}

/** The saved limits; an unreadable value counts as none (and is replaced at the next save). */
export function loadLimits(store: Store): SpendLimit[] {
  const r = store.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as { value?: unknown } | undefined;
  if (!r || typeof r.value !== 'string') return [];
  try {
    const parsed = schema.safeParse(JSON.parse(r.value));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Sets (a number ≥ 0) or removes (null) the daily limit of a scope. */
export function saveLimit(store: Store, scope: SpendScope, dailyUsd: number | null): SpendLimit[] {
  if (dailyUsd !== null && !(Number.isFinite(dailyUsd) && dailyUsd >= 0)) {
    throw new AppError('BAD_INPUT', `a daily spend limit is an amount in USD of 0 or more (got ${String(dailyUsd)})`);
  }
  const next = loadLimits(store).filter((l) => !sameScope(l.scope, scope));
  if (dailyUsd !== null) next.push({ scope, dailyUsd });
  store
    .prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
    .run(KEY, JSON.stringify(next), Date.now());
  return next;
}

/** Reads a limit as typed by a user: "5", "$5.00", "0.5"; "off"/"none" removes it. */
export function parseLimitUsd(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === 'off' || t === 'none' || t === '') return null;
  const n = Number(t.replace(/^\$/, '').replace(/,/g, ''));
  if (!Number.isFinite(n) || n < 0) throw new AppError('BAD_INPUT', `"${text}" is not an amount in USD (e.g. 5 or 0.50; "off" removes the limit)`);
  return n;
}
