// The workspace's privacy setting (settings table, key `privacy`): what is masked before model
// calls and how the information gate holds tickets. Shared by the CLI and the workbench.
import { z } from 'zod';
import type { Store } from '../store/store.ts';
import { DEFAULT_PRIVACY, type PrivacySettings, type Runtime } from '../runtime.ts';
import { INFO_SIGNALS, type InfoSignal } from '../graph/infoGate.ts';
import { RULES_VERSION } from '../secrets/rules.ts';

const PRIVACY_KEY = 'privacy';

const stored = z
  .object({
    redaction: z.object({ secrets: z.boolean(), personal: z.boolean() }).partial(),
    infoGate: z.object({ enabled: z.boolean(), anchors: z.array(z.enum(INFO_SIGNALS as [InfoSignal, ...InfoSignal[]])) }).partial(),
  })
  .partial();

/** The saved setting over the defaults; an unreadable value falls back to the defaults. */
export function loadPrivacy(store: Store): PrivacySettings {
  const r = store.prepare('SELECT value FROM settings WHERE key = ?').get(PRIVACY_KEY) as { value?: unknown } | undefined;
  let raw: unknown = {};
  try {
    raw = typeof r?.value === 'string' ? JSON.parse(r.value) : {};
  } catch {
    raw = {};
  }
  const p = stored.safeParse(raw);
  const s = p.success ? p.data : {};
  return {
    redaction: { ...DEFAULT_PRIVACY.redaction, ...s.redaction },
    infoGate: { ...DEFAULT_PRIVACY.infoGate, ...s.infoGate },
  };
}

export function savePrivacy(store: Store, p: PrivacySettings): void {
  store
    .prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    )
    .run(PRIVACY_KEY, JSON.stringify(p), Date.now());
}

/** Gives the runtime the workspace's setting. */
export function usePrivacy(rt: Runtime, store: Store): PrivacySettings {
  const p = loadPrivacy(store);
  rt.setPrivacy(p);
  stampPrivacy(rt, store);
  return p;
}

/** Every run the store creates from now on records the privacy its calls ran with (the runtime's, when it is created). */
export function stampPrivacy(rt: Runtime, store: Store): void {
  store.stampRuns(() => {
    const p = rt.privacy();
    const { secrets, personal } = p.redaction;
    const redaction = secrets && personal ? 'all' : secrets ? 'secrets' : personal ? 'personal' : 'none';
    return { privacy: { redaction, rules: RULES_VERSION, infoGate: p.infoGate.enabled } };
  });
}

/** A reviewer's flag of a value the rules missed: a span of a ticket, never the value. */
export interface MissFlag {
  ticketId: string;
  start: number;
  end: number;
  kind: string;
  reviewer?: string;
  at: number;
}

const MISSES_KEY = 'privacy.misses';
/** Flags kept (the oldest go first). */
export const MAX_MISS_FLAGS = 10_000;

export function loadMissFlags(store: Store): MissFlag[] {
  const r = store.prepare('SELECT value FROM settings WHERE key = ?').get(MISSES_KEY) as { value?: unknown } | undefined;
  try {
    const v: unknown = typeof r?.value === 'string' ? JSON.parse(r.value) : [];
    return Array.isArray(v) ? (v as MissFlag[]) : [];
  } catch {
    return [];
  }
}

/** Adds a flag; returns how many are kept. */
export function addMissFlag(store: Store, f: MissFlag): number {
  const list = [...loadMissFlags(store), f].slice(-MAX_MISS_FLAGS);
  store
    .prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    )
    .run(MISSES_KEY, JSON.stringify(list), Date.now());
  return list.length;
}
