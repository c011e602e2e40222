/**
 * Claims: the intake body (single and batch), the list and timeline queries, and the claim as lists,
 * the claim screen and the timeline show it.
 */
import { type Static, Type } from 'typebox';
import { DENIAL_CATEGORIES } from '../../domain/carc.js';
import { CLAIM_STATUSES } from '../../domain/claim-status.js';
import {
  Cents,
  Cursor,
  DateParam,
  DateTime,
  IsoDate,
  Limit,
  Nullable,
  PayerId,
  PracticeId,
  strict,
  Uuid,
} from './common.js';

/** Most items one batch may carry: a bounded request time and body. */
export const MAX_BATCH = 100;

/** Money in a request: positive integer cents, at most $100M. */
export const PositiveCents = Type.Integer({
  minimum: 1,
  maximum: 100_000_000_00,
  description: 'integer cents, > 0',
});
const ProcedureCode = Type.String({ pattern: '^[A-Z0-9]{5}$', description: 'CPT/HCPCS code' });
const Modifier = Type.String({ pattern: '^[A-Z0-9]{2}$' });
const Icd10 = Type.String({
  pattern: '^[A-TV-Z][0-9][0-9A-Z](\\.?[0-9A-Z]{1,4})?$',
  description: 'ICD-10-CM code',
});

export const ClaimLineBody = Type.Object(
  {
    procedureCode: ProcedureCode,
    modifiers: Type.Array(Modifier, { maxItems: 4, default: [] }),
    units: Type.Integer({ minimum: 1, maximum: 999 }),
    chargeCents: PositiveCents,
    serviceDate: Type.Optional(DateParam('calendar date, YYYY-MM-DD')),
    diagnosisPointers: Type.Array(Type.Integer({ minimum: 1, maximum: 12 }), {
      minItems: 1,
      maxItems: 4,
      default: [1],
    }),
  },
  strict,
);

export const CreateClaimBody = Type.Object(
  {
    practiceId: PracticeId(),
    claimId: Type.String({
      pattern: '^[A-Za-z0-9-]{1,20}$',
      description: 'the practice’s claim id; sent as CLM01',
    }),
    payerId: PayerId,
    billingProviderNpi: Type.String({ pattern: '^\\d{10}$' }),
    dateOfService: DateParam('calendar date, YYYY-MM-DD'),
    patient: Type.Object(
      {
        externalId: Type.String({ minLength: 1, maxLength: 40 }),
        firstName: Type.String({ minLength: 1, maxLength: 60 }),
        lastName: Type.String({ minLength: 1, maxLength: 60 }),
        birthDate: DateParam('calendar date, YYYY-MM-DD'),
        memberId: Type.String({ pattern: '^[A-Za-z0-9-]{2,30}$' }),
        email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
      },
      strict,
    ),
    diagnosisCodes: Type.Array(Icd10, { minItems: 1, maxItems: 12 }),
    lines: Type.Array(ClaimLineBody, { minItems: 1, maxItems: 50 }),
  },
  strict,
);
export type CreateClaimBody = Static<typeof CreateClaimBody>;

export const BatchBody = Type.Object(
  {
    claims: Type.Array(
      Type.Object(
        {},
        {
          additionalProperties: true,
          description: 'a POST /claims body; each item is validated on its own and reported in `results`',
        },
      ),
      { minItems: 1, maxItems: MAX_BATCH },
    ),
  },
  strict,
);

export const ClaimIdParams = Type.Object({ id: Uuid }, strict);

export const ClaimListQuery = Type.Object(
  {
    practiceId: Type.Optional(PracticeId()),
    status: Type.Optional(Type.Array(Type.Enum(CLAIM_STATUSES), { maxItems: 20 })),
    payerId: Type.Optional(Type.Array(PayerId, { maxItems: 20 })),
    denialCategory: Type.Optional(Type.Array(Type.Enum(DENIAL_CATEGORIES), { maxItems: 20 })),
    assignedTo: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    unassigned: Type.Optional(Type.Boolean()),
    escalated: Type.Optional(Type.Boolean()),
    createdFrom: Type.Optional(DateParam()),
    createdTo: Type.Optional(DateParam()),
    dateOfServiceFrom: Type.Optional(DateParam()),
    dateOfServiceTo: Type.Optional(DateParam()),
    deniedFrom: Type.Optional(DateParam()),
    deniedTo: Type.Optional(DateParam()),
    minOpenBalanceCents: Type.Optional(Type.Integer({ minimum: 0 })),
    maxOpenBalanceCents: Type.Optional(Type.Integer({ minimum: 0 })),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit(200, 50)),
  },
  strict,
);

/** The inclusive ranges of the claim list (dates and open balance). */
export const CLAIM_LIST_RANGES = [
  ['createdFrom', 'createdTo'],
  ['dateOfServiceFrom', 'dateOfServiceTo'],
  ['deniedFrom', 'deniedTo'],
  ['minOpenBalanceCents', 'maxOpenBalanceCents'],
] as const;

export const EventsQuery = Type.Object(
  { cursor: Type.Optional(Cursor), limit: Type.Optional(Limit(500, 100)) },
  strict,
);

/** The claim as every list and screen shows it. */
export const claimSummaryProperties = {
  id: Uuid,
  practiceId: Type.String(),
  claimId: Type.String(),
  payerId: Type.String(),
  status: Type.Enum(CLAIM_STATUSES),
  workflowId: Type.String(),
  temporalUiUrl: Type.String({ description: 'the claim workflow in the Temporal Web UI' }),
  dateOfService: IsoDate,
  totalChargeCents: Cents,
  paidCents: Cents,
  adjustmentCents: Cents,
  patientResponsibilityCents: Cents,
  patientPaidCents: Cents,
  writtenOffCents: Cents,
  openBalanceCents: Cents,
  denialCategory: Nullable(Type.String()),
  recommendedAction: Nullable(Type.String()),
  assignedTo: Nullable(Type.String()),
  escalated: Type.Boolean(),
  nextDeadline: Nullable(DateTime),
  payerClaimNumber: Nullable(Type.String()),
  submittedAt: Nullable(DateTime),
  firstDeniedAt: Nullable(DateTime),
  firstActionAt: Nullable(DateTime),
  lastActivityAt: DateTime,
  createdAt: DateTime,
};

export const ClaimSummary = Type.Object(claimSummaryProperties, strict);

const Coded = Type.Object({ code: Type.String(), text: Type.String() }, strict);

export const Posting = Type.Object(
  {
    id: Uuid,
    payerId: Type.String(),
    traceNumber: Type.String(),
    paymentDate: IsoDate,
    payerClaimNumber: Type.String(),
    statusCode: Type.String(),
    isReversal: Type.Boolean(),
    chargeCents: Cents,
    paidCents: Cents,
    patientResponsibilityCents: Cents,
    remarks: Type.Array(Coded),
    postedAt: DateTime,
    adjustments: Type.Array(
      Type.Object(
        {
          lineNumber: Nullable(Type.Integer()),
          procedureCode: Nullable(Type.String()),
          group: Type.String(),
          reason: Coded,
          amountCents: Cents,
          remarks: Type.Array(Coded),
        },
        strict,
      ),
    ),
  },
  strict,
);

/** The live `state` query answer (workflows/messages.ts ClaimView); documented loosely, it is the workflow's. */
export const LiveState = Type.Object(
  { status: Type.String(), workflowId: Type.String() },
  { additionalProperties: true, description: 'the claim workflow’s `state` query (ClaimView)' },
);

export const ClaimDetail = Type.Object(
  {
    ...claimSummaryProperties,
    lines: Type.Array(
      Type.Object(
        {
          lineNumber: Type.Integer(),
          procedureCode: Type.String(),
          modifiers: Type.Array(Type.String()),
          units: Type.Integer(),
          chargeCents: Cents,
          serviceDate: IsoDate,
        },
        strict,
      ),
    ),
    postings: Type.Array(Posting),
    live: Nullable(LiveState),
    liveError: Type.Optional(Type.String()),
  },
  strict,
);

export const CreatedClaim = Type.Object({ ...claimSummaryProperties, created: Type.Boolean() }, strict);

export const BatchResult = Type.Object(
  {
    accepted: Type.Integer({ description: 'items stored (new or already known)' }),
    refused: Type.Integer(),
    results: Type.Array(
      Type.Object(
        {
          index: Type.Integer({ minimum: 0 }),
          outcome: Type.Union([
            Type.Literal('created'),
            Type.Literal('exists'),
            Type.Literal('invalid'),
            Type.Literal('forbidden'),
          ]),
          claim: Type.Optional(ClaimSummary),
          errors: Type.Optional(
            Type.Array(Type.Object({ field: Type.String(), message: Type.String() }, strict)),
          ),
        },
        strict,
      ),
    ),
  },
  strict,
);

export const ClaimEvent = Type.Object(
  {
    id: Type.String({ description: 'event sequence id (ascending)' }),
    at: DateTime,
    actor: Type.String(),
    kind: Type.String(),
    fromStatus: Nullable(Type.String()),
    toStatus: Nullable(Type.String()),
    reason: Nullable(Type.String()),
    data: Type.Unknown(),
    requestId: Nullable(Type.String()),
  },
  strict,
);
