/**
 * What a 277 claim status category (X12 code list 507, e.g. `A4`, `F2`, `P1`) means for a claim that is
 * waiting for its remittance. The categories and their handling are described in docs/x12-835.md and
 * docs/deadlines.md. Pure: the claim workflow asks, then acts.
 */

/**
 * The claim's next step after a status answer:
 * - `NO_RECORD` (A4): the payer never received the claim; resubmit while timely filing allows it.
 * - `REJECTED` (A3, A6, A7, A8): a front-end rejection; the claim must be corrected and refiled.
 * - `DENIED` (F2 denied, F4 no payment forthcoming): the ERA will carry the reasons; a person reviews it.
 * - `INFORMATION_REQUESTED` (R*): the payer wants documentation.
 * - `KEEP_WAITING`: pending (P*), acknowledged (A1/A2), paid with the ERA on its way (F1), or the inquiry
 *   itself erred (E*, D0): ask again at the next follow-up.
 */
export type StatusCategoryOutcome =
  | 'NO_RECORD'
  | 'REJECTED'
  | 'DENIED'
  | 'INFORMATION_REQUESTED'
  | 'KEEP_WAITING';

/** Normalises a category code as payers send it (case varies). */
export function normaliseStatusCategory(category: string): string {
  return category.toUpperCase();
}

/** True for the categories that mean a front-end (clearinghouse or payer intake) rejection. */
export function isFrontEndRejection(category: string): boolean {
  return /^A[3678]$/.test(normaliseStatusCategory(category));
}

/** Classifies a 277 status category into the claim's next step. */
export function statusCategoryOutcome(category: string): StatusCategoryOutcome {
  const cat = normaliseStatusCategory(category);
  if (cat === 'A4') return 'NO_RECORD';
  if (isFrontEndRejection(cat)) return 'REJECTED';
  if (cat === 'F2' || cat === 'F4') return 'DENIED';
  if (cat.startsWith('R')) return 'INFORMATION_REQUESTED';
  return 'KEEP_WAITING';
}
