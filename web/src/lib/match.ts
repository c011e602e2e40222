/**
 * Suggested claims for an unmatched remittance loop: the claims of the remittance's payer, ranked by
 * how well they fit. A patient control number equal to our claim id is the strongest sign (CLP01 is the
 * claim id we sent); then how close the paid amount is to what the claim still owes or charged; then
 * whether the service date comes before the payment date, and how close.
 */
export interface UnmatchedLoop {
  payerId: string;
  patientControlNumber: string;
  paidCents: number;
  paymentDate: string;
}

export interface CandidateClaim {
  id: string;
  claimId: string;
  payerId: string;
  dateOfService: string;
  totalChargeCents: number;
  openBalanceCents: number;
}

export interface Suggestion<C> {
  claim: C;
  score: number;
  reasons: string[];
}

const DAY_MS = 86_400_000;

function normalise(s: string): string {
  return s.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export function scoreCandidate(loop: UnmatchedLoop, c: CandidateClaim): { score: number; reasons: string[] } {
  const reasons: string[] = [];
  let score = 0;
  const pcn = normalise(loop.patientControlNumber);
  const id = normalise(c.claimId);
  if (pcn && pcn === id) {
    score += 60;
    reasons.push('claim id equals the patient control number');
  } else if (pcn.length >= 4 && (id.includes(pcn) || pcn.includes(id))) {
    score += 30;
    reasons.push('claim id resembles the patient control number');
  }
  const target = loop.paidCents;
  const closest = Math.min(Math.abs(c.openBalanceCents - target), Math.abs(c.totalChargeCents - target));
  if (target > 0) {
    if (closest === 0) {
      score += 25;
      reasons.push('amount matches exactly');
    } else if (closest / target <= 0.1) {
      score += 15;
      reasons.push('amount within 10 %');
    } else if (target <= c.totalChargeCents) {
      score += 5;
      reasons.push('amount within the charge');
    }
  }
  const gapDays = (Date.parse(loop.paymentDate) - Date.parse(c.dateOfService)) / DAY_MS;
  if (Number.isFinite(gapDays) && gapDays >= 0) {
    if (gapDays <= 45) {
      score += 15;
      reasons.push(`service ${Math.round(gapDays)} days before payment`);
    } else if (gapDays <= 365) {
      score += 5;
      reasons.push('service within a year before payment');
    }
  }
  return { score, reasons };
}

/** Candidates of the same payer, best first, those with no sign of fitting left out. */
export function suggestClaims<C extends CandidateClaim>(
  loop: UnmatchedLoop,
  candidates: readonly C[],
  limit = 5,
): Suggestion<C>[] {
  return candidates
    .filter((c) => c.payerId === loop.payerId)
    .map((claim) => ({ claim, ...scoreCandidate(loop, claim) }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.claim.claimId.localeCompare(b.claim.claimId))
    .slice(0, limit);
}
