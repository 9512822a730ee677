// When the workbench asks before spending: every batch (an import, a watched-folder file) waits for
// the go-ahead with its estimate; a single ticket (a paste, a watched .txt) asks when its estimate
// reaches ASK_ABOVE_USD or its text ASK_ABOVE_CHARS — unless only demo models would run (nothing is spent).
import type { SpendEstimate } from '#shared/spend.ts';

/** A single ticket whose estimate reaches this asks first (USD). */
export const ASK_ABOVE_USD = 0.01;
/** A single ticket this long asks first whatever its estimate (characters; ≈ 25,000 tokens a call). */
export const ASK_ABOVE_CHARS = 100_000;

export function singleTicketNeedsConfirm(e: SpendEstimate, chars: number): boolean {
  if (e.simulated) return false;
  return e.usd >= ASK_ABOVE_USD || chars >= ASK_ABOVE_CHARS;
}

/** Every batch waits for the go-ahead (the estimate shown), demo ones included: they still take time. */
export function batchNeedsConfirm(jobs: number): boolean {
  return jobs > 0;
}
