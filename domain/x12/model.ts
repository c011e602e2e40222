/**
 * The typed model of an X12 835 (005010X221A1) health care claim payment/advice.
 * One `Remittance835` is one ST..SE transaction set: one payment (BPR + TRN) to one payee.
 * All money is integer cents; all dates are ISO `YYYY-MM-DD` strings.
 *
 * This is the contract between the parser (`parse835`), the builder (`build835`), payer-sim and
 * ERA posting. Change it with care: recorded data and tests depend on it.
 */
import type { Cents } from '../money.js';

/** CAS group codes. `CR` is legacy but accepted on input. */
export type CasGroupCode = 'CO' | 'PR' | 'OA' | 'PI' | 'CR';

/** One CAS triplet, flattened with its group: (group, CARC, amount, quantity). */
export interface Adjustment {
  group: CasGroupCode;
  /** Claim adjustment reason code (CARC), e.g. "45", "16", "B7". */
  reason: string;
  amountCents: Cents;
  quantity?: number;
}

export interface Party {
  /** N1/NM1 entity identifier code, e.g. PR payer, PE payee, QC patient, IL insured, 74 corrected. */
  entity: string;
  name?: string;
  /** ID qualifier (N103/NM108), e.g. XV, FI, XX, MI. */
  idQualifier?: string;
  id?: string;
  /** REF segments inside the N1 loop: qualifier -> value. */
  refs?: Record<string, string>;
  /** NM102 entity type for NM1 parties: 1 person, 2 non-person entity. */
  entityType?: '1' | '2';
  /** NM104 first name and NM105 middle name of a person; `name` then holds NM103, the last name. */
  firstName?: string;
  middleName?: string;
  /** N3/N4 address of an N1 party (payer address is required by the 835 guide, payee address situational). */
  address?: PartyAddress;
}

/** N3 address lines and N4 city/state/ZIP/country. */
export interface PartyAddress {
  lines: string[];
  city?: string;
  state?: string;
  postalCode?: string;
  countryCode?: string;
}

export interface ServiceLine {
  /** SVC01 composite: qualifier (HC, AD, ...), procedure code, up to 4 modifiers. */
  procedure: { qualifier: string; code: string; modifiers: string[] };
  chargeCents: Cents;
  paidCents: Cents;
  revenueCode?: string;
  unitsPaid?: number;
  /** SVC06 when the payer adjudicated a different code than billed. */
  originalProcedure?: { qualifier: string; code: string; modifiers: string[] };
  originalUnits?: number;
  /** DTM*472 (or 150/151 span start/end). */
  serviceDate?: string;
  serviceDateEnd?: string;
  adjustments: Adjustment[];
  /** REF*6R line item control number (our claim line id) and other REFs: qualifier -> value. */
  refs: Record<string, string>;
  /** AMT qualifier -> cents, e.g. B6 allowed. */
  amounts: Record<string, Cents>;
  /** LQ*HE remark codes (RARC). */
  remarkCodes: string[];
}

/** CLP02 claim status codes. */
export type ClaimStatusCode = '1' | '2' | '3' | '4' | '19' | '20' | '21' | '22' | '23' | '25';

export interface ClaimPayment {
  /** CLP01: our patient control number (CLM01), the primary match key. */
  patientControlNumber: string;
  statusCode: ClaimStatusCode;
  chargeCents: Cents;
  paidCents: Cents;
  patientResponsibilityCents: Cents;
  /** CLP06 claim filing indicator, e.g. MB, MC, CI, 16. */
  filingIndicator?: string;
  /** CLP07: payer claim control number (ICN/DCN). */
  payerClaimNumber: string;
  facilityCode?: string;
  frequencyCode?: string;
  /** Claim-level CAS. */
  adjustments: Adjustment[];
  patient?: Party;
  insured?: Party;
  correctedPatient?: Party;
  renderingProvider?: Party;
  /** MIA/MOA remark codes (RARC found in MOA03..MOA07 / MIA). */
  remarkCodes: string[];
  refs: Record<string, string>;
  /** DTM qualifier -> date, e.g. 232/233 statement period, 050 received. */
  dates: Record<string, string>;
  amounts: Record<string, Cents>;
  quantities: Record<string, number>;
  serviceLines: ServiceLine[];
}

export interface ProviderAdjustment {
  /** PLB01 provider identifier, PLB02 fiscal period date. */
  providerId: string;
  fiscalPeriodDate: string;
  /** PLB03-1 reason (WO recoupment, L6 interest, FB forwarding balance, ...). */
  reason: string;
  /** PLB03-2 reference (often the original ICN for a recoupment). */
  reference?: string;
  /** Positive reduces the payment (X12 sign convention: BPR02 = sum(CLP04) - sum(PLB)). */
  amountCents: Cents;
}

export interface Remittance835 {
  /** Envelope identifiers, kept for audit and control-number checks. */
  interchangeControlNumber: string;
  groupControlNumber: string;
  transactionControlNumber: string;
  senderId: string;
  receiverId: string;
  /** BPR01 transaction handling (I remittance info only, H notification only, C payment + info). */
  handlingCode: string;
  /** BPR02 total actual provider payment. */
  paymentCents: Cents;
  /** BPR03 credit/debit flag C/D. */
  creditDebit: 'C' | 'D';
  /** BPR04 payment method: ACH, CHK, BOP, FWT, NON. */
  paymentMethod: string;
  /** BPR16 check issue or EFT effective date. */
  paymentDate: string;
  /** TRN02: check or EFT trace number (ERA/EFT reassociation key). */
  traceNumber: string;
  /** TRN03 payer identifier (1 + EIN). */
  traceOriginator: string;
  /** DTM*405 production date. */
  productionDate?: string;
  /** Header REF segments (REF*EV receiver identification, REF*F2 version): qualifier -> value. */
  refs?: Record<string, string>;
  payer: Party;
  payee: Party;
  claims: ClaimPayment[];
  providerAdjustments: ProviderAdjustment[];
}

/** Where a parse failed: 1-based segment position in the interchange and the segment id. */
export interface X12ErrorDetail {
  segmentPosition: number;
  segmentId: string;
  /** Element position (1-based) when the error is about one element. */
  element?: number;
  /** A stable rule name, e.g. "envelope.se01_count", "balance.claim", "element.amount". */
  rule: string;
  message: string;
}

/**
 * A refused 835: every rule violation found, ordered by segment position (a stable sort, so problems of
 * one segment keep the order they were found in); the message names the first. Nothing of such a file
 * may be posted.
 */
export class X12ParseError extends Error {
  readonly type = 'x12_invalid';
  readonly errors: X12ErrorDetail[];
  constructor(errors: X12ErrorDetail[]) {
    const sorted = [...errors].sort((a, b) => a.segmentPosition - b.segmentPosition);
    const first = sorted[0];
    const more = sorted.length > 1 ? ` (and ${sorted.length - 1} more)` : '';
    super(
      first
        ? `segment ${first.segmentPosition} (${first.segmentId}): ${first.message}${more}`
        : 'invalid X12',
    );
    this.errors = sorted;
  }
}

/**
 * Harmless noise an accepted 835 contained (whitespace between segments, a byte-order mark, a missing
 * situational element that carries no money, ...): the file is posted, and the warning is stored with
 * the remittance and shown to the user. One warning per rule, with the first place it occurred.
 */
export interface X12Warning {
  /** 1-based position of the first segment concerned. */
  segmentPosition: number;
  segmentId: string;
  element?: number;
  /** A stable rule name, e.g. "noise.line_breaks", "bpr.payment_date_fallback". */
  rule: string;
  message: string;
  /** How many times the file showed this noise (1 for a one-off). */
  occurrences: number;
}

/** What `parse835WithWarnings` gives for an accepted file. */
export interface Parse835Result {
  remittances: Remittance835[];
  warnings: X12Warning[];
}

/** Delimiters of an interchange; the builder uses them, the parser reads them from the ISA. */
export interface Delimiters {
  element: string;
  component: string;
  segment: string;
  repetition: string;
}

export const DEFAULT_DELIMITERS: Delimiters = {
  element: '*',
  component: ':',
  segment: '~',
  repetition: '^',
};
