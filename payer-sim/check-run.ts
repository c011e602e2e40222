/**
 * A payer check run: turns the CLP loops a payer adjudicated since its last run into 835 transaction sets,
 * one per payee (billing NPI), each its own payment with its own TRN02 trace number. Pure: identifiers
 * come from the caller.
 *
 * Provider-level adjustments (PLB) follow the X12 sign convention, `BPR02 = sum(CLP04) - sum(PLB)`:
 * - interest on late payments is PLB L6 with a negative amount (it increases the payment);
 * - recoupments of overpayments (PLB WO, positive) are taken from a later payment to the same provider,
 *   only as far as that payment covers them, the rest waits for the next run;
 * - when reversals make a run negative, the payer pays zero and forwards the balance (PLB FB negative now,
 *   recovered as a positive FB from later payments), because a payment is never negative.
 */
import type { ClaimPayment, Party, ProviderAdjustment, Remittance835 } from '../domain/x12/index.js';
import { stableFraction } from './adjudicate.js';

/** A CLP loop waiting for its payer's next check run. */
export interface PendingPayment {
  payerId: string;
  payeeNpi: string;
  claim: ClaimPayment;
  /** PLB L6 interest paid with this claim, in cents (0 for none). */
  interestCents: number;
}

/** Money a payer will take back from later payments to a provider (PLB WO or FB). */
export interface PendingOffset {
  payerId: string;
  payeeNpi: string;
  reason: 'WO' | 'FB';
  /** PLB03-2: the payer claim number recouped, or the trace number of the payment that forwarded it. */
  reference: string;
  remainingCents: number;
}

/** Envelope values of the interchange a check run is written in. */
export interface CheckRunEnvelope {
  senderId: string;
  receiverId: string;
  interchangeControlNumber: string;
  groupControlNumber: string;
}

/** One payer's check run: its pending CLP loops and offsets, the date, the envelope, TRN02 numbering. */
export interface CheckRunInput {
  payerId: string;
  payerName: string;
  /** This payer's pending CLP loops, in adjudication order. */
  payments: PendingPayment[];
  /** This payer's outstanding offsets, oldest first. */
  offsets: PendingOffset[];
  /** Check/EFT date, ISO. */
  date: string;
  envelope: CheckRunEnvelope;
  /** Issues a new, never reused TRN02. */
  nextTraceNumber: () => string;
}

/** The transaction sets of a check run and the offsets still outstanding after it. */
export interface CheckRunResult {
  remittances: Remittance835[];
  /** This payer's offsets after the run: partly or not yet recovered ones and new forwarded balances. */
  offsets: PendingOffset[];
}

/** TRN03: "1" followed by a 9-digit payer tax id, stable per payer id. */
export function traceOriginator(payerId: string): string {
  const ein = Math.floor(stableFraction(`ein:${payerId}`) * 1e9);
  return `1${String(ein).padStart(9, '0')}`;
}

function payerParty(payerId: string, payerName: string): Party {
  // The 835 guide requires the payer's address (N3/N4); REF*2U carries the payer id the claim was sent to.
  return {
    entity: 'PR',
    name: payerName,
    address: { lines: ['PO BOX 4010'], city: 'SPRINGFIELD', state: 'IL', postalCode: '62701' },
    refs: { '2U': payerId },
  };
}

function payeeParty(npi: string): Party {
  return { entity: 'PE', name: `PROVIDER ${npi}`, idQualifier: 'XX', id: npi };
}

/** PLB02: the fiscal period date, by convention the last day of the payer's fiscal year. */
function fiscalPeriodDate(date: string): string {
  return `${date.slice(0, 4)}-12-31`;
}

/**
 * Runs one check run for one payer. Returns the transaction sets (possibly none when nothing is pending)
 * and the offsets that remain.
 */
export function runCheck(input: CheckRunInput): CheckRunResult {
  const byPayee = new Map<string, PendingPayment[]>();
  for (const p of input.payments) {
    const list = byPayee.get(p.payeeNpi);
    if (list) list.push(p);
    else byPayee.set(p.payeeNpi, [p]);
  }
  const offsets = input.offsets.map((o) => ({ ...o }));
  const forwarded: PendingOffset[] = [];
  const remittances: Remittance835[] = [];
  const fiscal = fiscalPeriodDate(input.date);

  for (const [npi, payments] of byPayee) {
    const plb: ProviderAdjustment[] = [];
    for (const p of payments) {
      if (p.interestCents > 0) {
        plb.push({
          providerId: npi,
          fiscalPeriodDate: fiscal,
          reason: 'L6',
          reference: p.claim.payerClaimNumber,
          amountCents: -p.interestCents,
        });
      }
    }
    const claimsPaid = payments.reduce((sum, p) => sum + p.claim.paidCents, 0);
    let net = claimsPaid - plb.reduce((sum, a) => sum + a.amountCents, 0);
    for (const offset of offsets) {
      if (net <= 0) break;
      if (offset.payeeNpi !== npi || offset.remainingCents <= 0) continue;
      const take = Math.min(offset.remainingCents, net);
      plb.push({
        providerId: npi,
        fiscalPeriodDate: fiscal,
        reason: offset.reason,
        reference: offset.reference,
        amountCents: take,
      });
      offset.remainingCents -= take;
      net -= take;
    }
    const traceNumber = input.nextTraceNumber();
    if (net < 0) {
      plb.push({
        providerId: npi,
        fiscalPeriodDate: fiscal,
        reason: 'FB',
        reference: traceNumber,
        amountCents: net,
      });
      forwarded.push({
        payerId: input.payerId,
        payeeNpi: npi,
        reason: 'FB',
        reference: traceNumber,
        remainingCents: -net,
      });
      net = 0;
    }
    remittances.push({
      ...input.envelope,
      transactionControlNumber: String(remittances.length + 1).padStart(4, '0'),
      // I: remittance information only, the EFT travels separately (TRN02 reassociates them);
      // H: notification only, for a zero payment.
      handlingCode: net > 0 ? 'I' : 'H',
      paymentCents: net,
      creditDebit: 'C',
      paymentMethod: net > 0 ? 'ACH' : 'NON',
      paymentDate: input.date,
      traceNumber,
      traceOriginator: traceOriginator(input.payerId),
      productionDate: input.date,
      payer: payerParty(input.payerId, input.payerName),
      payee: payeeParty(npi),
      claims: payments.map((p) => p.claim),
      providerAdjustments: plb,
    });
  }
  return {
    remittances,
    offsets: [...offsets.filter((o) => o.remainingCents > 0), ...forwarded],
  };
}
