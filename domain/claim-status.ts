/**
 * The states of a claim's life (DESIGN.md "The claim workflow"). Carried by the ClaimStatus search
 * attribute and the claims.status column.
 */
export const CLAIM_STATUSES = [
  'SUBMITTING',
  /** Held before submission by a claim rule, until corrected or the rule is overridden. */
  'HOLD',
  'AWAITING_ADJUDICATION',
  'NEEDS_CORRECTION',
  'DENIED',
  'PARTIAL',
  'NEEDS_REVIEW',
  'RESUBMITTED',
  'APPEALING',
  'AWAITING_PAYMENT',
  'PATIENT_BALANCE',
  'PAYMENT_PLAN',
  'PAID',
  'COLLECTIONS',
  'WRITTEN_OFF',
] as const;

export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** A terminal status closes the workflow run; a later reversal or remittance reopens it as a new run. */
export const TERMINAL_STATUSES: ReadonlySet<ClaimStatus> = new Set(['PAID', 'COLLECTIONS', 'WRITTEN_OFF']);

export function isTerminal(status: ClaimStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}
