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

// Examples shown in the OpenAPI document (test/api/openapi-contract.test.ts checks each against its schema).

/** A claim as a practice system submits it. */
export const CREATE_CLAIM_EXAMPLE: CreateClaimBody = {
  practiceId: 'sunrise-fp',
  claimId: 'CLM-1001',
  payerId: 'ACME-HEALTH',
  billingProviderNpi: '1234567893',
  dateOfService: '2026-11-02',
  patient: {
    externalId: 'MRN-5521',
    firstName: 'Jane',
    lastName: 'Example',
    birthDate: '1980-04-12',
    memberId: 'ACM123456789',
  },
  diagnosisCodes: ['M54.5'],
  lines: [
    { procedureCode: '99213', modifiers: ['25'], units: 1, chargeCents: 15_000, diagnosisPointers: [1] },
    { procedureCode: '97110', modifiers: [], units: 2, chargeCents: 10_000, diagnosisPointers: [1] },
  ],
};

/** A denied claim as lists show it. */
export const CLAIM_SUMMARY_EXAMPLE: Static<typeof ClaimSummary> = {
  id: '3f1c2a4e-8b7d-4c21-9e5a-0d6b7c8e9f10',
  practiceId: 'sunrise-fp',
  claimId: 'CLM-1001',
  payerId: 'ACME-HEALTH',
  status: 'NEEDS_REVIEW',
  workflowId: 'claim-sunrise-fp-CLM-1001',
  temporalUiUrl: 'http://localhost:8233/namespaces/default/workflows/claim-sunrise-fp-CLM-1001',
  dateOfService: '2026-11-02',
  totalChargeCents: 25_000,
  paidCents: 0,
  adjustmentCents: 25_000,
  patientResponsibilityCents: 0,
  patientPaidCents: 0,
  writtenOffCents: 0,
  openBalanceCents: 25_000,
  denialCategory: 'CODING',
  recommendedAction: 'CORRECT_AND_RESUBMIT',
  assignedTo: null,
  escalated: false,
  nextDeadline: '2027-02-15T05:00:00.000Z',
  payerClaimNumber: 'ICN-77812',
  submittedAt: '2026-11-03T14:05:11.000Z',
  firstDeniedAt: '2026-11-20T09:12:40.000Z',
  firstActionAt: null,
  lastActivityAt: '2026-11-20T09:12:40.000Z',
  createdAt: '2026-11-03T14:05:10.000Z',
};

/** The answer to a new claim. */
export const CREATED_CLAIM_EXAMPLE: Static<typeof CreatedClaim> = {
  ...CLAIM_SUMMARY_EXAMPLE,
  status: 'SUBMITTING',
  adjustmentCents: 0,
  denialCategory: null,
  recommendedAction: null,
  nextDeadline: '2027-11-02T05:00:00.000Z',
  payerClaimNumber: null,
  submittedAt: null,
  firstDeniedAt: null,
  lastActivityAt: '2026-11-03T14:05:10.000Z',
  created: true,
};

/** A page of the claim list, with the cursor of the next page. */
export const CLAIM_PAGE_EXAMPLE = {
  items: [CLAIM_SUMMARY_EXAMPLE],
  nextCursor: Buffer.from(
    JSON.stringify(['claims', '2026-11-03T14:05:10.000000Z', CLAIM_SUMMARY_EXAMPLE.id]),
  ).toString('base64url'),
};

/** The claim workflow's live state, abridged. */
export const LIVE_STATE_EXAMPLE = {
  workflowId: 'claim-sunrise-fp-CLM-1001',
  status: 'RESUBMITTED',
  balances: {
    chargeCents: 25_000,
    paidCents: 0,
    contractualCents: 0,
    patientResponsibilityCents: 0,
    patientPaidCents: 0,
    writtenOffCents: 0,
    deniedCents: 25_000,
    openBalanceCents: 25_000,
  },
  nextDeadline: '2027-02-15T05:00:00.000Z',
  submissions: 2,
  escalated: false,
};
