/**
 * Rules about a claim's own state that do not depend on a payer's answer: which recommended actions are
 * fixed by resubmitting, and when the timely-filing limit still binds (docs/deadlines.md).
 */
import type { RecommendedAction } from './carc.js';
import type { ClaimStatus } from './claim-status.js';

/** Recommended actions whose remedy is a corrected or rebilled claim (not an appeal). */
export const RESUBMIT_ACTIONS: ReadonlySet<RecommendedAction> = new Set<RecommendedAction>([
  'CORRECT_AND_RESUBMIT',
  'READ_REMARK_AND_RESUBMIT',
  'VERIFY_ELIGIBILITY_AND_REBILL',
  'FIX_ENROLLMENT_AND_REBILL',
  'BILL_CORRECT_PAYER',
]);

/** True when a denial with this recommended action is remedied by resubmitting the claim. */
export function isResubmitAction(action: RecommendedAction): boolean {
  return RESUBMIT_ACTIONS.has(action);
}

/**
 * Timely filing binds until the payer has an adjudicable claim: while the claim is being submitted,
 * while a rejected claim waits for its correction, and while a denial that must be refiled waits in
 * review. Once the payer adjudicated it and an appeal is the remedy, the appeal deadline governs instead.
 */
export function timelyFilingMatters(
  status: ClaimStatus,
  denial: { action: RecommendedAction } | undefined,
): boolean {
  if (status === 'NEEDS_CORRECTION' || status === 'SUBMITTING' || status === 'HOLD') return true;
  return status === 'NEEDS_REVIEW' && denial !== undefined && isResubmitAction(denial.action);
}
