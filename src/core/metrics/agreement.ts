// Agreement between two models' answers (contracts §6), Cohen's κ beside it for the categorical
// tasks, and the same comparison against gold labels. Values are compared in a canonical string
// form, so one comparison serves equality, set equality and κ's category counts.
import type { TicketInput } from '#shared/results.ts';
import type { TaskId } from '#shared/tasks.ts';
import { canonicalProduct } from '../catalog.ts';

/**
 * Tasks whose answer is one category: platform, product and severity, and technical details
 * through its yes/no "has details". Asset ids are a set, for which κ has no meaning.
 */
export const KAPPA_TASKS: readonly TaskId[] = ['platform', 'product', 'severity', 'technical_details'];

const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The comparable form of a task's normalised value: asset ids as a sorted set, technical details as "has details". */
export function comparisonKey(task: TaskId, value: unknown): string {
  switch (task) {
    case 'asset_ids':
      return JSON.stringify(
        [
          ...new Set(
            asStrings(value)
              .map((s) => s.trim())
              .filter(Boolean),
          ),
        ].sort(),
      );
    case 'technical_details': {
      const present = value && typeof value === 'object' ? (value as { present?: unknown }).present : undefined;
      return asStrings(present).length > 0 ? 'has details' : 'no details';
    }
    default:
      return JSON.stringify(typeof value === 'string' ? value : null);
  }
}

/** The comparable form of a ticket's gold label for a task, or undefined when the ticket has none. */
export function labelKey(task: TaskId, labels: TicketInput['labels'] | undefined): string | undefined {
  if (!labels) return undefined;
  const platform = typeof labels.platform === 'string' ? labels.platform.trim().toLowerCase() || null : (labels.platform ?? null);
  switch (task) {
    case 'platform':
      return labels.platform === undefined ? undefined : comparisonKey(task, platform);
    case 'product':
      // Labels are folded through the catalog like model answers are ("Amazon S3" → "S3").
      return labels.product === undefined ? undefined : comparisonKey(task, canonicalProduct(platform, labels.product ?? null));
    case 'severity':
      return labels.severity === undefined ? undefined : comparisonKey(task, labels.severity.trim().toLowerCase());
    case 'asset_ids':
      return labels.asset_ids === undefined ? undefined : comparisonKey(task, labels.asset_ids);
    case 'technical_details':
      return labels.has_technical_details === undefined ? undefined : labels.has_technical_details ? 'has details' : 'no details';
  }
}

/** Share of pairs that are equal; null over no pairs. */
export function agreementRate(a: readonly string[], b: readonly string[]): { agree: number; n: number; rate: number | null } {
  if (a.length !== b.length) throw new RangeError('agreementRate: both raters need the same number of answers');
  let agree = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) agree++;
  return { agree, n: a.length, rate: a.length ? agree / a.length : null };
}

/**
 * Cohen's κ = (pₒ − pₑ) / (1 − pₑ) for two raters over the same items. Null over no items, and
 * when pₑ = 1 (both raters always gave the one same category), where κ is undefined.
 */
export function cohensKappa(a: readonly string[], b: readonly string[]): number | null {
  const n = a.length;
  if (n !== b.length) throw new RangeError('cohensKappa: both raters need the same number of answers');
  if (n === 0) return null;
  const ca = new Map<string, number>();
  const cb = new Map<string, number>();
  let agree = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) agree++;
    ca.set(x, (ca.get(x) ?? 0) + 1);
    cb.set(y, (cb.get(y) ?? 0) + 1);
  }
  // Integer sums keep "pₑ = 1" exact instead of 0.9999999.
  let expectedNum = 0;
  for (const [k, v] of ca) expectedNum += v * (cb.get(k) ?? 0);
  const nn = n * n;
  if (expectedNum === nn) return null;
  return (agree * n - expectedNum) / (nn - expectedNum);
}
