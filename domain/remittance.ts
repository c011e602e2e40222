/**
 * One 835 CLP loop as the claim workflow sees it (the `remittanceReceived` signal payload), and the
 * decision of what it means for the claim. Denials are detected per adjustment from CAS, never from
 * CLP02 alone: payers often deny with CLP02=1 and zero paid (docs/x12-835.md).
 */
import {
  categoryOf,
  type DenialCategory,
  isExpectedAdjustment,
  type RecommendedAction,
  ruleFor,
} from './carc.js';
import type { Cents } from './money.js';
import type { ClaimPayment } from './x12/model.js';

export interface RemittanceAdjustment {
  group: string;
  reason: string;
  amountCents: Cents;
  /** Our claim line number (REF*6R) when the CAS was on a service line. */
  lineNumber?: number;
  procedureCode?: string;
}

export interface RemittanceSummary {
  /** Idempotency key of the posting: payer|TRN02|CLP01|CLP07|reversal. */
  postingKey: string;
  payerId: string;
  traceNumber: string;
  paymentDate: string;
  patientControlNumber: string;
  payerClaimNumber: string;
  statusCode: string;
  chargeCents: Cents;
  paidCents: Cents;
  patientResponsibilityCents: Cents;
  adjustments: RemittanceAdjustment[];
  remarkCodes: string[];
  /**
   * The claim compared with its contracted rates after this posting (docs/fee-schedules.md); absent on
   * postings made before fee schedules existed.
   */
  contract?: RemittanceContract;
}

/** The contract verdict a posting carries to its claim (`ContractCheck` in domain/fee-schedules.ts). */
export interface RemittanceContract {
  kind: 'UNDERPAYMENT' | 'OVERPAYMENT' | 'WITHIN_TOLERANCE' | 'NO_CONTRACT_RATE' | 'NOT_CHECKED';
  expectedCents: Cents;
  payerAllowedCents: Cents;
  /** `expected - payerAllowed`: positive means the payer allowed less than the contract. */
  varianceCents: Cents;
}

/** Builds the posting key of docs/x12-835.md: (payer, TRN02, CLP01, CLP07), plus the reversal flag. */
export function postingKey(
  payerId: string,
  traceNumber: string,
  clp: Pick<ClaimPayment, 'patientControlNumber' | 'payerClaimNumber' | 'statusCode'>,
): string {
  return [
    payerId,
    traceNumber,
    clp.patientControlNumber,
    clp.payerClaimNumber,
    clp.statusCode === '22' ? 'R' : 'P',
  ].join('|');
}

/** Flattens a parsed CLP loop (claim-level and line-level CAS) into the workflow's summary. */
export function summariseClaimPayment(
  clp: ClaimPayment,
  ctx: { payerId: string; traceNumber: string; paymentDate: string },
): RemittanceSummary {
  const adjustments: RemittanceAdjustment[] = clp.adjustments.map((a) => ({
    group: a.group,
    reason: a.reason,
    amountCents: a.amountCents,
  }));
  const remarks = new Set(clp.remarkCodes);
  clp.serviceLines.forEach((line, i) => {
    const ref = line.refs['6R'];
    const lineNumber = ref && /^\d+$/.test(ref) ? Number(ref) : i + 1;
    for (const a of line.adjustments) {
      adjustments.push({
        group: a.group,
        reason: a.reason,
        amountCents: a.amountCents,
        lineNumber,
        procedureCode: line.procedure.code,
      });
    }
    for (const r of line.remarkCodes) remarks.add(r);
  });
  return {
    postingKey: postingKey(ctx.payerId, ctx.traceNumber, clp),
    payerId: ctx.payerId,
    traceNumber: ctx.traceNumber,
    paymentDate: ctx.paymentDate,
    patientControlNumber: clp.patientControlNumber,
    payerClaimNumber: clp.payerClaimNumber,
    statusCode: clp.statusCode,
    chargeCents: clp.chargeCents,
    paidCents: clp.paidCents,
    patientResponsibilityCents: clp.patientResponsibilityCents,
    adjustments,
    remarkCodes: [...remarks],
  };
}

export interface DenialAssessment {
  category: DenialCategory;
  action: RecommendedAction;
  appealable: boolean;
  /** The CAS group of the largest denied amount: CO means the patient may not be billed for it. */
  group: string;
  carcs: string[];
  rarcs: string[];
  deniedCents: Cents;
}

export type RemittanceOutcome =
  | { kind: 'REVERSAL'; paidCents: Cents; contractualCents: Cents; patientResponsibilityCents: Cents }
  | { kind: 'INFORMATIONAL'; reason: string }
  | {
      kind: 'ADJUDICATED';
      paidCents: Cents;
      contractualCents: Cents;
      patientResponsibilityCents: Cents;
      denial: DenialAssessment | undefined;
    };

/**
 * What a CLP loop means. Reversals (CLP02=22) undo an earlier posting; 23 (not our claim) and 25
 * (predetermination) change nothing; everything else is split into paid, contractual, patient
 * responsibility and denied amounts from the CAS adjustments.
 */
export function assessRemittance(r: RemittanceSummary): RemittanceOutcome {
  if (r.statusCode === '22') {
    return {
      kind: 'REVERSAL',
      paidCents: r.paidCents,
      // Only the contractual part of the original was booked as an adjustment; its denied part never was.
      contractualCents: r.adjustments
        .filter((a) => a.group !== 'PR' && isExpectedAdjustment(a.group, a.reason))
        .reduce((sum, a) => sum + a.amountCents, 0),
      patientResponsibilityCents: r.patientResponsibilityCents,
    };
  }
  if (r.statusCode === '23')
    return { kind: 'INFORMATIONAL', reason: 'payer says this is not its claim (CLP02=23)' };
  if (r.statusCode === '25') return { kind: 'INFORMATIONAL', reason: 'predetermination only (CLP02=25)' };

  let contractual = 0;
  let patient = 0;
  const denied = new Map<string, { cents: Cents; group: string }>();
  for (const a of r.adjustments) {
    if (a.group === 'PR') {
      patient += a.amountCents;
    } else if (isExpectedAdjustment(a.group, a.reason)) {
      contractual += a.amountCents;
    } else if (a.amountCents > 0) {
      const prev = denied.get(a.reason);
      denied.set(a.reason, { cents: (prev?.cents ?? 0) + a.amountCents, group: prev?.group ?? a.group });
    } else {
      contractual += a.amountCents;
    }
  }
  let denial: DenialAssessment | undefined;
  if (denied.size > 0) {
    // The category of the largest denied amount leads; every CARC stays listed for the biller.
    const ranked = [...denied.entries()].sort((x, y) => y[1].cents - x[1].cents);
    const [leadCarc, lead] = ranked[0]!;
    const category = categoryOf(leadCarc);
    const rule = ruleFor(category);
    denial = {
      category,
      action: rule.action,
      appealable: rule.appealable,
      group: lead.group,
      carcs: ranked.map(([c]) => c),
      rarcs: r.remarkCodes,
      deniedCents: ranked.reduce((sum, [, v]) => sum + v.cents, 0),
    };
  }
  // Patient responsibility is CLP05 when present (it is authoritative), else the PR adjustments.
  const patientResponsibility = r.patientResponsibilityCents > 0 ? r.patientResponsibilityCents : patient;
  return {
    kind: 'ADJUDICATED',
    paidCents: r.paidCents,
    contractualCents: contractual,
    patientResponsibilityCents: patientResponsibility,
    denial,
  };
}
