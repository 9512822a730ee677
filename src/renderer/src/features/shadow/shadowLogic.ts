// Words for the Shadow view's figures (pure, tested).
import type { ShadowCandidateView } from '#shared/routes/shadowRoutes.ts';

export const money = (n: number): string => `$${n >= 0.01 || n === 0 ? n.toFixed(2) : n.toFixed(4)}`;

/** "agrees 92.0 % (of 25)", or why there is no figure yet. */
export function describeAgreement(c: Pick<ShadowCandidateView, 'agreement' | 'nCompared' | 'answered'>): string {
  if (c.agreement === null || c.nCompared === 0) return c.answered === 0 ? 'no answers yet' : 'no pair to compare yet';
  return `agrees ${(c.agreement * 100).toFixed(1)} % (of ${c.nCompared})`;
}
