/**
 * Every signal, update and query of the claim and patient-balance workflows (including the child's
 * reports to its parent), defined once and shared by the workflows, the API and the tests. Signals are external facts; updates are human decisions whose
 * validators refuse what the current state forbids; the `state` query is the claim screen.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ClaimResumeRow } from '../activities/types.js';
import type { DenialCategory, RecommendedAction } from '../domain/carc.js';
import type { ClaimRef } from '../domain/claim.js';
import type { ClaimStatus } from '../domain/claim-status.js';
import type { Cents } from '../domain/money.js';
import type { PayerRules } from '../domain/payer-rules.js';
import type { RemittanceSummary } from '../domain/remittance.js';

/** Who did it: a user id from the API, or `system`/`payer` for automatic transitions. */
export interface Actor {
  actor: string;
  requestId?: string;
  /** The status the decision was made against; refused when the claim is no longer in it. */
  expectedStatus?: string;
}

export type { ClaimRef } from '../domain/claim.js';

export interface PatientPayment {
  reference: string;
  amountCents: Cents;
  method: string;
  receivedAt: string;
}

export interface AppealDecision {
  outcome: 'overturned' | 'upheld';
  reason?: string;
  decidedAt?: string;
}

export interface ClaimStatusChange {
  category: string;
  statusCode?: string;
  message: string;
  field?: string;
}

export const HOLD_REASONS = ['FINANCIAL_ASSISTANCE', 'DISPUTE', 'BANKRUPTCY', 'DECEASED', 'OTHER'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

// Signals: facts from outside.
export const remittanceReceivedSignal = defineSignal<[RemittanceSummary]>('remittanceReceived');
export const patientPaymentReceivedSignal = defineSignal<[PatientPayment]>('patientPaymentReceived');
export const appealDecisionReceivedSignal =
  defineSignal<[AppealDecision & { appealId?: string }]>('appealDecisionReceived');
export const claimStatusChangedSignal = defineSignal<[ClaimStatusChange]>('claimStatusChanged');
/** Sent by the API when a payer rule changes, so waiting timers pick up the rule now in force. */
export const payerRulesChangedSignal = defineSignal('payerRulesChanged');

// Updates: decisions by people.
export interface ResubmitCorrectedInput extends Actor {
  reason: string;
  /** Field -> new value, e.g. { "diagnosisCodes": ["E119"], "lines.1.modifiers": ["25"] }. */
  changes: Record<string, unknown>;
}
export interface FileAppealInput extends Actor {
  grounds: string;
  /** Free-text descriptions of evidence sent outside the system (older clients). */
  attachments: string[];
  /** Ids of attachments uploaded to the claim: they are merged into the appeal packet sent to the payer. */
  attachmentIds?: string[];
}
export interface RecordAppealDecisionInput extends Actor, AppealDecision {}
export interface WriteOffInput extends Actor {
  /** Internal adjustment reason, e.g. SMALL_BALANCE, TIMELY_FILING, BAD_DEBT, NON_COVERED, ADMINISTRATIVE. */
  reasonCode: string;
  note?: string;
}
export interface TransferToPatientInput extends Actor {
  reason: string;
  /** A signed waiver (ABN) is on file: required to bill the patient for a CO-group denial. */
  waiverOnFile?: boolean;
}
export interface AssignInput extends Actor {
  assignee: string | null;
}
export interface AddNoteInput extends Actor {
  text: string;
}
export interface PlaceHoldInput extends Actor {
  reason: HoldReason;
  note?: string;
}
export interface ReleaseHoldInput extends Actor {
  reason: HoldReason;
}
export interface PaymentPlanInput extends Actor {
  installmentCents: Cents;
  intervalDays: number;
  firstDueDate: string;
}

/** A biller files a held claim as it is, overriding the claim rules that held it (audited). */
export interface OverrideClaimRulesInput extends Actor {
  reason: string;
}

export const resubmitCorrectedUpdate = defineUpdate<ClaimView, [ResubmitCorrectedInput]>('resubmitCorrected');
export const fileAppealUpdate = defineUpdate<ClaimView, [FileAppealInput]>('fileAppeal');
export const recordAppealDecisionUpdate = defineUpdate<ClaimView, [RecordAppealDecisionInput]>(
  'recordAppealDecision',
);
export const writeOffUpdate = defineUpdate<ClaimView, [WriteOffInput]>('writeOff');
export const transferToPatientUpdate = defineUpdate<ClaimView, [TransferToPatientInput]>('transferToPatient');
export const assignUpdate = defineUpdate<ClaimView, [AssignInput]>('assign');
export const addNoteUpdate = defineUpdate<ClaimView, [AddNoteInput]>('addNote');
export const placeHoldUpdate = defineUpdate<ClaimView, [PlaceHoldInput]>('placeHold');
export const releaseHoldUpdate = defineUpdate<ClaimView, [ReleaseHoldInput]>('releaseHold');
export const setupPaymentPlanUpdate = defineUpdate<ClaimView, [PaymentPlanInput]>('setupPaymentPlan');
export const overrideClaimRulesUpdate = defineUpdate<ClaimView, [OverrideClaimRulesInput]>(
  'overrideClaimRules',
);

export interface DeadlineView {
  kind: 'TIMELY_FILING' | 'APPEAL' | 'REVIEW_SLA';
  /** The instant the deadline ends (23:59:59.999 local on `date`). */
  at: string;
  level?: number;
  /** The last day in time, on the practice's calendar. */
  date?: string;
  timeZone?: string;
  /** Where the clock started, e.g. "counted from the remittance date 2025-03-15". */
  countedFrom?: string;
}

export interface DecisionRecord {
  at: string;
  actor: string;
  kind: string;
  detail?: string;
}

export interface DenialView {
  category: DenialCategory;
  action: RecommendedAction;
  appealable: boolean;
  group: string;
  carcs: string[];
  rarcs: string[];
  deniedCents: Cents;
  deniedAt: string;
}

export interface AppealView {
  level: number;
  filedAt: string;
  deadline: string;
  payerAppealId?: string;
  status: 'pending' | 'overturned' | 'upheld';
  decidedAt?: string;
  reason?: string;
}

export interface PatientBalanceView {
  status: 'DUNNING' | 'ON_HOLD' | 'PAYMENT_PLAN' | 'PAID' | 'COLLECTIONS' | 'WRITTEN_OFF';
  balanceCents: Cents;
  statementsSent: number;
  holds: HoldReason[];
  nextActionAt?: string;
}

/** What the `state` query returns: everything a claim screen needs. */
export interface ClaimView {
  workflowId: string;
  claim: ClaimRef;
  status: ClaimStatus;
  payerClaimNumber?: string;
  balances: {
    chargeCents: Cents;
    paidCents: Cents;
    contractualCents: Cents;
    patientResponsibilityCents: Cents;
    patientPaidCents: Cents;
    writtenOffCents: Cents;
    deniedCents: Cents;
    openBalanceCents: Cents;
  };
  denial?: DenialView;
  rejection?: ClaimStatusChange;
  appeals: AppealView[];
  deadlines: DeadlineView[];
  nextDeadline?: string;
  nextTimer?: { kind: string; at: string };
  followUps: number;
  submissions: number;
  assignedTo?: string;
  escalated: boolean;
  escalations: string[];
  notes: { at: string; actor: string; text: string }[];
  decisions: DecisionRecord[];
  patientBalance?: PatientBalanceView;
  /** The payer rules in force; absent only in the moment before a new claim's first activity loads them. */
  rules?: PayerRules;
}

export const stateQuery = defineQuery<ClaimView>('state');
export const patientBalanceStateQuery = defineQuery<PatientBalanceView>('patientBalanceState');

// Messages from the claim workflow to its patient-balance child.
export const patientBalancePaymentSignal = defineSignal<[PatientPayment]>('patientBalancePayment');
export const patientBalanceHoldSignal =
  defineSignal<[{ reason: HoldReason; placed: boolean }]>('patientBalanceHold');
export const patientBalancePlanSignal =
  defineSignal<[{ installmentCents: Cents; intervalDays: number; firstDueDate: string }]>(
    'patientBalancePlan',
  );

// Messages from the patient-balance child to its parent claim (which may have continued as new since).
/** How dunning ended, sent once by the child when it closes. */
export interface PatientBalanceResult {
  outcome: 'PAID' | 'COLLECTIONS' | 'WRITTEN_OFF';
  balanceCents: Cents;
  statementsSent: number;
}
export const patientBalanceClosedSignal = defineSignal<[PatientBalanceResult]>('patientBalanceClosed');
/** Sent by the child after each statement, payment, hold or plan change, so the claim screen is current. */
export const patientBalanceProgressSignal = defineSignal<[PatientBalanceView]>('patientBalanceProgress');

/**
 * What a client starts or reopens a claim's run with: the claim and, for a closed claim reopened by a
 * late remittance, its Postgres row. Continue-as-new carries the run's whole state instead (see
 * `ClaimWorkflowInput` in workflows/claim/index.ts).
 */
export interface ClaimStartInput {
  claim: ClaimRef;
  resume?: { fromRow: ClaimResumeRow };
}
