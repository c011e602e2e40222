/**
 * Decisions on a claim (one Temporal update each) and patient payments (a signal): the bodies, and the
 * answers: the claim with its new live state, or "accepted, still being applied".
 *
 * The bodies check shape only. Whether a decision is allowed now, and whether a correction's values make
 * sense, is the claim workflow's update validator's call (its refusal is the 409 or 422 answer).
 */
import { Type } from 'typebox';
import { CLAIM_STATUSES } from '../../domain/claim-status.js';
import { HOLD_REASONS } from '../../workflows/messages.js';
import {
  CLAIM_SUMMARY_EXAMPLE,
  ClaimSummary,
  LIVE_STATE_EXAMPLE,
  LiveState,
  PositiveCents,
} from './claims.js';
import { DateParam, strict, Uuid } from './common.js';

/**
 * The claim status the decision was made against (what the biller saw). When the claim has moved on
 * since (another biller decided first), the decision is refused with 409 instead of acting on a state
 * nobody looked at: optimistic concurrency for people working one queue.
 */
const expectedStatus = Type.Optional(
  Type.Enum(CLAIM_STATUSES, {
    description: 'refuse (409) unless the claim is still in this status, e.g. the one the biller saw',
  }),
);

export const ResubmitBody = Type.Object(
  {
    expectedStatus,
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    changes: Type.Record(Type.String(), Type.Unknown(), {
      description:
        'the corrected values by field: `lines.<n>.procedureCode|modifiers|units|chargeCents`, ' +
        '`diagnosisCodes`, `billingProviderNpi`, `memberId`',
    }),
  },
  strict,
);
export const AppealBody = Type.Object(
  {
    expectedStatus,
    grounds: Type.String({ minLength: 1, maxLength: 4000 }),
    attachments: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 50, default: [] }),
    attachmentIds: Type.Optional(
      Type.Array(Uuid, {
        maxItems: 20,
        uniqueItems: true,
        description:
          'uploaded attachments (POST /claims/{id}/attachments) to merge into the appeal packet sent to the payer',
      }),
    ),
  },
  strict,
);
export const AppealDecisionBody = Type.Object(
  {
    expectedStatus,
    outcome: Type.Union([Type.Literal('overturned'), Type.Literal('upheld')]),
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
    decidedAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  strict,
);
export const WriteOffBody = Type.Object(
  {
    expectedStatus,
    reasonCode: Type.Union(
      [
        'SMALL_BALANCE',
        'TIMELY_FILING',
        'BAD_DEBT',
        'NON_COVERED',
        'ADMINISTRATIVE',
        'BUNDLED',
        'CHARITY',
      ].map((c) => Type.Literal(c)),
    ),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  strict,
);
export const TransferBody = Type.Object(
  {
    expectedStatus,
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    waiverOnFile: Type.Optional(Type.Boolean()),
  },
  strict,
);
export const OverrideRulesBody = Type.Object(
  {
    expectedStatus,
    reason: Type.String({
      minLength: 1,
      maxLength: 1000,
      description: 'why the rules do not apply to this claim',
    }),
  },
  strict,
);
export const AssignBody = Type.Object(
  { assignee: Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()]) },
  strict,
);
export const NoteBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000 }) }, strict);
export const HoldBody = Type.Object(
  {
    expectedStatus,
    reason: Type.Enum(HOLD_REASONS),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  strict,
);
export const PaymentPlanBody = Type.Object(
  {
    expectedStatus,
    installmentCents: PositiveCents,
    intervalDays: Type.Integer({ minimum: 7, maximum: 92 }),
    firstDueDate: DateParam('calendar date, YYYY-MM-DD'),
  },
  strict,
);
export const PatientPaymentBody = Type.Object(
  {
    reference: Type.String({ minLength: 1, maxLength: 100 }),
    amountCents: PositiveCents,
    method: Type.Enum(['card', 'check', 'cash', 'ach', 'portal'] as const),
    receivedAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  strict,
);

export const DecisionResult = Type.Object({ claim: ClaimSummary, state: LiveState }, strict);

/** A decision the workflow accepted and is still applying when the request stopped waiting. */
export const PendingDecision = Type.Object(
  {
    accepted: Type.Literal(true),
    updateId: Type.String({ description: 'the Temporal update id' }),
    claim: ClaimSummary,
    detail: Type.String(),
  },
  strict,
);

export const PatientPaymentAccepted = Type.Object(
  { accepted: Type.Boolean(), reference: Type.String() },
  strict,
);

export { ClaimIdParams, LiveState } from './claims.js';

// Examples shown in the OpenAPI document (test/api/openapi-contract.test.ts checks each against its schema).

/** One example body per decision, by route path. */
export const DECISION_BODY_EXAMPLES = {
  'resubmit-corrected': { reason: 'modifier 25 was missing', changes: { 'lines.1.modifiers': ['25'] } },
  appeals: { grounds: 'the visit notes document medical necessity', attachments: ['visit-notes.pdf'] },
  'appeal-decision': { outcome: 'overturned', reason: 'records support the service' },
  'write-off': { reasonCode: 'SMALL_BALANCE', note: 'under the practice’s threshold' },
  'transfer-to-patient': { reason: 'deductible not met', waiverOnFile: false },
  assign: { assignee: 'alice' },
  notes: { text: 'called the payer; reference 8812' },
  holds: { reason: 'FINANCIAL_ASSISTANCE', note: 'application received' },
  'holds/release': { reason: 'FINANCIAL_ASSISTANCE' },
  'payment-plan': { installmentCents: 5_000, intervalDays: 30, firstDueDate: '2027-01-15' },
  'override-claim-rules': { reason: 'modifier 25 does not apply: no separate E/M service that day' },
} as const;

export const DECISION_RESULT_EXAMPLE = {
  claim: { ...CLAIM_SUMMARY_EXAMPLE, status: 'RESUBMITTED', firstActionAt: '2026-11-21T10:02:00.000Z' },
  state: LIVE_STATE_EXAMPLE,
};

export const PATIENT_PAYMENT_EXAMPLE = { reference: 'PMT-2211', amountCents: 2_500, method: 'card' };
