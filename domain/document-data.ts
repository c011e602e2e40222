/**
 * The plain data letters, packets and statements are rendered from: the billing facts a document
 * shows, with no I/O. The repositories load them from Postgres, the documents module renders them.
 * Dates are ISO `YYYY-MM-DD` days; money is integer cents.
 */
import type { DenialCategory } from './carc.js';
import type { Cents } from './money.js';
import type { PayerType } from './payer-rules.js';

/** A postal address as printed on a letter or statement. */
export interface PostalAddress {
  /** Street lines, first to last. */
  lines: string[];
  city: string;
  state: string;
  postalCode: string;
}

/** The practice as it appears at the top of its letters and statements. */
export interface Letterhead {
  practiceName: string;
  npi: string;
  taxId?: string;
  address: PostalAddress;
  phone: string;
  fax?: string;
  email?: string;
}

/** The payer a letter is addressed to. */
export interface PayerInfo {
  id: string;
  name: string;
  type: PayerType;
  /** Where appeals go; printed as the letter's inside address. */
  appealAddress?: PostalAddress;
  /** The plan's own statement of appeal rights (commercial, ERISA), quoted in commercial letters. */
  planAppealRights?: string;
  /** Medicare: the contractor (MAC or QIC) that made the decision being appealed. */
  contractorName?: string;
}

/** The patient, as the payer knows them (PHI: only ever in documents, never in logs). */
export interface PatientInfo {
  firstName: string;
  lastName: string;
  birthDate: string;
  memberId: string;
}

/** One service line of the claim. */
export interface ClaimLineInfo {
  lineNumber: number;
  procedureCode: string;
  modifiers?: string[];
  units: number;
  chargeCents: Cents;
  dateOfService?: string;
}

/** The claim being appealed or billed. */
export interface ClaimInfo {
  claimId: string;
  patientControlNumber: string;
  /** The payer's claim number (CLP07) of the decision appealed. */
  payerClaimNumber?: string;
  dateOfService: string;
  totalChargeCents: Cents;
  billingProviderNpi: string;
  renderingProviderNpi?: string;
  diagnosisCodes: string[];
  lines: ClaimLineInfo[];
}

/** One claim adjustment: CAS group, reason code and amount. */
export interface AdjustmentInfo {
  group: string;
  carc: string;
  amountCents: Cents;
}

/** The denial being appealed. */
export interface DenialInfo {
  /** The date of the remittance or notice that carried the decision. */
  denialDate: string;
  category: DenialCategory;
  adjustments: AdjustmentInfo[];
  rarcs: string[];
  deniedAmountCents: Cents;
}

/** One service line as the remittance reported it. */
export interface RemittanceLineInfo {
  lineNumber: number;
  procedureCode: string;
  chargeCents: Cents;
  allowedCents?: Cents;
  paidCents: Cents;
  adjustments: AdjustmentInfo[];
  rarcs: string[];
}

/** The part of an 835 remittance about this claim (its CLP loop). */
export interface RemittanceExcerpt {
  payerName: string;
  /** TRN02: the check or EFT trace number. */
  checkOrEftNumber: string;
  paymentDate: string;
  /** CLP02 claim status code. */
  claimStatusCode: string;
  payerClaimNumber: string;
  chargeCents: Cents;
  paidCents: Cents;
  patientResponsibilityCents: Cents;
  claimAdjustments: AdjustmentInfo[];
  lines: RemittanceLineInfo[];
}

/** Who signs and answers for the appeal. */
export interface RequesterInfo {
  name: string;
  title?: string;
  phone?: string;
}

/** The appeal being filed. */
export interface AppealInfo {
  /** 1 = first level (Medicare: redetermination), 2 = second (Medicare: reconsideration), ... */
  level: number;
  /** The last day the payer must receive the appeal. */
  deadline: string;
  /** The biller's grounds, in their words. */
  grounds: string;
  filedOn: string;
  requester: RequesterInfo;
  /** For a level 2+ appeal: the decision being appealed (Medicare: the redetermination notice). */
  priorDecision?: { date: string; reference?: string };
}

/** One attachment to merge into a packet; bytes already read from the attachment store. */
export interface PacketAttachment {
  /** What the attachment is, as the table of contents lists it ("Operative report 2026-09-03"). */
  title: string;
  mediaType: 'application/pdf' | 'image/tiff' | 'image/png' | 'image/jpeg';
  bytes: Uint8Array;
  /** Content hash, printed in the contents so the payer can cite exactly what it received. */
  sha256?: string;
}

/** One step of a claim's submission history, from claim_events. */
export interface SubmissionEvent {
  /** ISO instant. */
  at: string;
  kind: 'SUBMITTED' | 'ACCEPTED' | 'REJECTED' | 'RESUBMITTED' | 'PAYER_RECEIVED' | 'STATUS_INQUIRY';
  /** Clearinghouse claim id (the acceptance id on an ACCEPTED step). */
  clearinghouseClaimId?: string;
  detail?: string;
}

/** Everything an appeal letter draws on. */
export interface AppealLetterData {
  letterhead: Letterhead;
  payer: PayerInfo;
  patient: PatientInfo;
  claim: ClaimInfo;
  denial: DenialInfo;
  appeal: AppealInfo;
}

/** Everything an appeal packet draws on: the letter's data plus the remittance and the evidence. */
export interface AppealPacketData extends AppealLetterData {
  remittance: RemittanceExcerpt;
  attachments: PacketAttachment[];
  /** For a timely-filing denial: the submission history to prove the claim was filed in time. */
  submissionHistory?: SubmissionEvent[];
  /** The timely-filing limit the payer applies, for the proof letter. */
  timelyFilingDeadline?: string;
}

/** What the proof-of-timely-filing letter needs. */
export interface TimelyFilingProofData {
  letterhead: Letterhead;
  payer: PayerInfo;
  patient: PatientInfo;
  claim: ClaimInfo;
  /** The payer's filing limit for this claim (date of service + the payer's timely-filing period). */
  timelyFilingDeadline: string;
  denialDate: string;
  history: SubmissionEvent[];
  preparedOn: string;
}

/** One service line on a patient statement, in plain words. */
export interface StatementLine {
  dateOfService: string;
  /** Plain description ("Office visit"), never only a code. */
  description: string;
  chargeCents: Cents;
  insurancePaidCents: Cents;
  /** Contractual write-offs and other adjustments the patient does not owe. */
  insuranceAdjustedCents: Cents;
  patientPaidCents: Cents;
  /** What the patient owes on this line. */
  patientOwesCents: Cents;
}

/** The statement kinds of a dunning cycle. */
export type StatementKind = 'STATEMENT' | 'REMINDER' | 'FINAL_NOTICE';

/** A patient statement for one dunning cycle. */
export interface PatientStatementData {
  statementId: string;
  kind: StatementKind;
  /** 1-based position in the dunning cycle. */
  sequence: number;
  statementDate: string;
  dueDate: string;
  letterhead: Letterhead;
  patient: { firstName: string; lastName: string; accountNumber: string };
  guarantor: { name: string; address: PostalAddress };
  payerName: string;
  lines: StatementLine[];
  amountDueCents: Cents;
  paymentOptions: { online?: string; phone?: string; mailTo?: PostalAddress; paymentPlan?: string };
  financialAssistance: { summary: string; howToApply: string };
  /** Final notice only: what happens next and on which date, if still unpaid. */
  finalNotice?: { actionDate: string; action: string };
}

/** A page/size/time budget for one render. */
export interface RenderBudget {
  maxPages: number;
  maxBytes: number;
  timeoutMs: number;
}

/** A rendered PDF and what the budget checks measured. */
export interface RenderedPdf {
  bytes: Uint8Array;
  pageCount: number;
}
