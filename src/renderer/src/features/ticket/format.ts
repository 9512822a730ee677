// How numbers and values read on the cards.
import type { Severity } from '#shared/tasks.ts';
import { SEVERITIES } from '#shared/tasks.ts';

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** null means the model's price is unknown, which is said, never shown as $0. */
export function formatCost(usd: number | null): string {
  if (usd === null || !Number.isFinite(usd)) return 'price unknown';
  if (usd === 0) return '$0';
  if (usd >= 0.01) return `$${usd.toFixed(4)}`;
  const digits = Math.min(10, Math.ceil(-Math.log10(usd)) + 1);
  return `$${usd.toFixed(digits)}`;
}

export function formatTokens(input: number | null, output: number | null): string {
  if (input === null && output === null) return 'tokens —';
  const n = (v: number | null): string => (v === null ? '—' : v.toLocaleString('en'));
  return `${n(input)} in · ${n(output)} out`;
}

export interface PlatformView {
  name: string;
  detail: string | null;
  known: boolean;
}

const PLATFORM_NAMES: Record<string, string> = { aws: 'AWS', gcp: 'Google Cloud', azure: 'Microsoft Azure' };

export function platformView(v: unknown): PlatformView {
  if (typeof v !== 'string' || v === '') return { name: 'Not identified', detail: null, known: false };
  const named = PLATFORM_NAMES[v.toLowerCase()];
  if (named) return { name: named, detail: v.toLowerCase(), known: true };
  const other = /^other:(.+)$/i.exec(v);
  if (other) return { name: other[1]!.trim(), detail: 'other vendor', known: true };
  return { name: v, detail: null, known: true };
}

export function asSeverity(v: unknown): Severity | null {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v) ? (v as Severity) : null;
}

export function asStringList(v: unknown): string[] | null {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
}

export function asTechnicalDetails(v: unknown): { present: string[]; missing: string[] } | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as { present?: unknown; missing?: unknown };
  const present = asStringList(o.present);
  const missing = asStringList(o.missing);
  return present && missing ? { present, missing } : null;
}

/** Splits a model spec "provider:model" for display. */
export function splitSpec(spec: string): { provider: string; model: string } {
  const i = spec.indexOf(':');
  return i > 0 ? { provider: spec.slice(0, i), model: spec.slice(i + 1) } : { provider: '', model: spec };
}
