// Workbench settings and UI state in the workspace database (settings table, migration 2).
// Keys are never stored here: they live in the OS keychain.
import { z } from 'zod';
import { AppError } from '#shared/errors.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import type { Store } from '../store/store.ts';
import { DEFAULT_HEDGE, MAX_HEDGE_BUDGET_PCT, type HedgeSettings } from '../providers/hedgeSettings.ts';

export interface WorkbenchSettings {
  /** null: the built-in default (the keyless demo when no key is set). */
  assignment: Record<TaskId, string> | null;
  endpoints: { groq: string | null; openai: string | null; openaiCompatible: string | null };
  /** Tickets triaged at once from imports and the watched folder. */
  ticketConcurrency: number;
  /** Calls in flight per provider (the scheduler's ceiling). */
  callConcurrency: number;
  maxRetries: number;
  retryAfterCapMs: number;
  watchFolder: string | null;
  /** Hedged calls (providers/hedge.ts): a duplicate of a call past its model's p95, within a budget. */
  hedge: HedgeSettings;
  /**
   * Speculative execution (engine/speculate.ts): dependents start on a guessed platform/product
   * and are kept when the guess is right. On by default: it shortens the chain without changing any
   * fact; its price is the discarded calls of wrong guesses.
   */
  speculate: boolean;
}

export const DEFAULT_SETTINGS: Readonly<WorkbenchSettings> = Object.freeze({
  assignment: null,
  endpoints: { groq: null, openai: null, openaiCompatible: null },
  ticketConcurrency: 4,
  callConcurrency: 16,
  maxRetries: 3,
  retryAfterCapMs: 20_000,
  watchFolder: null,
  hedge: { ...DEFAULT_HEDGE },
  speculate: true,
});

const url = z.string().nullable().catch(null);
const stored = z
  .object({
    assignment: z
      .record(z.string(), z.string())
      .nullable()
      .catch(null)
      .transform((a) => (a && TASK_IDS.every((t) => typeof a[t] === 'string') ? (a as Record<TaskId, string>) : null)),
    endpoints: z.object({ groq: url, openai: url, openaiCompatible: url }).partial().catch({}),
    ticketConcurrency: z.number().int().min(1).max(64).catch(DEFAULT_SETTINGS.ticketConcurrency),
    callConcurrency: z.number().int().min(1).max(128).catch(DEFAULT_SETTINGS.callConcurrency),
    maxRetries: z.number().int().min(0).max(10).catch(DEFAULT_SETTINGS.maxRetries),
    retryAfterCapMs: z.number().int().min(0).max(600_000).catch(DEFAULT_SETTINGS.retryAfterCapMs),
    watchFolder: z.string().nullable().catch(null),
    hedge: z.object({ enabled: z.boolean(), budgetPct: z.number().min(0).max(MAX_HEDGE_BUDGET_PCT) }).catch({ ...DEFAULT_HEDGE }),
    speculate: z.boolean().catch(DEFAULT_SETTINGS.speculate),
  })
  .partial();

const SETTINGS_KEY = 'workbench';
const UI_PREFIX = 'ui.';
/** Largest UI state value kept (bytes of JSON). */
export const MAX_UI_VALUE_BYTES = 64 * 1024;

function readJson(store: Store, key: string): unknown {
  const r = store.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value?: unknown } | undefined;
  if (!r || typeof r.value !== 'string') return undefined;
  try {
    return JSON.parse(r.value) as unknown;
  } catch {
    return undefined;
  }
}

function writeJson(store: Store, key: string, value: unknown): void {
  store
    .prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    )
    .run(key, JSON.stringify(value), Date.now());
}

/** The saved settings merged over the defaults; unreadable fields fall back to their default. */
export function loadSettings(store: Store): WorkbenchSettings {
  const parsed = stored.safeParse(readJson(store, SETTINGS_KEY) ?? {});
  const s = parsed.success ? parsed.data : {};
  return {
    assignment: s.assignment ?? null,
    endpoints: { ...DEFAULT_SETTINGS.endpoints, ...(s.endpoints ?? {}) },
    ticketConcurrency: s.ticketConcurrency ?? DEFAULT_SETTINGS.ticketConcurrency,
    callConcurrency: s.callConcurrency ?? DEFAULT_SETTINGS.callConcurrency,
    maxRetries: s.maxRetries ?? DEFAULT_SETTINGS.maxRetries,
    retryAfterCapMs: s.retryAfterCapMs ?? DEFAULT_SETTINGS.retryAfterCapMs,
    watchFolder: s.watchFolder ?? null,
    hedge: s.hedge ?? { ...DEFAULT_HEDGE },
    speculate: s.speculate ?? DEFAULT_SETTINGS.speculate,
  };
}

/** Saves the settings (whole object). */
export function saveSettings(store: Store, s: WorkbenchSettings): void {
  writeJson(store, SETTINGS_KEY, s);
}

/** Every saved UI state value (layout sizes, open view, …), by key. */
export function loadUi(store: Store): Record<string, unknown> {
  const rows = store.prepare(`SELECT key, value FROM settings WHERE key LIKE '${UI_PREFIX}%'`).all() as Array<{
    key: string;
    value: string;
  }>;
  const out: Record<string, unknown> = {};
  for (const r of rows) {
    try {
      out[r.key.slice(UI_PREFIX.length)] = JSON.parse(r.value) as unknown;
    } catch {
      // A broken value is dropped; the UI falls back to its default.
    }
  }
  return out;
}

/** Saves one UI state value; refuses values above MAX_UI_VALUE_BYTES. */
export function saveUi(store: Store, key: string, value: unknown): void {
  const text = JSON.stringify(value ?? null);
  if (text.length > MAX_UI_VALUE_BYTES)
    throw new AppError('BAD_INPUT', `UI state "${key}" is ${text.length} bytes; the limit is ${MAX_UI_VALUE_BYTES}`);
  writeJson(store, `${UI_PREFIX}${key}`, value ?? null);
}
