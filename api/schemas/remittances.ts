/** Remittances: the ERA upload and its answers, the remittance list, the unmatched queue and the match. */
import { Type } from 'typebox';
import { ClaimSummary } from './claims.js';
import {
  Cents,
  Cursor,
  DateParam,
  DateTime,
  IsoDate,
  Limit,
  Nullable,
  PracticeId,
  strict,
  Uuid,
} from './common.js';

/** The X12 835 interchange as a text body. */
export const EraBody = Type.String({ minLength: 1, description: 'the X12 835 interchange' });

export const RemittanceQuery = Type.Object(
  {
    practiceId: Type.Optional(PracticeId()),
    payerId: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    receivedFrom: Type.Optional(DateParam()),
    receivedTo: Type.Optional(DateParam()),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit(200, 50)),
  },
  strict,
);

export const UnmatchedQuery = Type.Object(
  {
    practiceId: Type.Optional(PracticeId()),
    status: Type.Optional(Type.Union([Type.Literal('OPEN'), Type.Literal('MATCHED')], { default: 'OPEN' })),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit(200, 50)),
  },
  strict,
);

export const UnmatchedParams = Type.Object({ id: Uuid }, strict);

export const MatchBody = Type.Object(
  { claimId: Type.String({ format: 'uuid', description: 'the claim (its uuid) this loop pays' }) },
  strict,
);

/** Harmless noise an accepted 835 carried (docs/835-tolerance.md). */
export const ParseWarning = Type.Object(
  {
    segmentPosition: Type.Integer({ description: '1-based position of the first segment concerned' }),
    segmentId: Type.String(),
    element: Type.Optional(Type.Integer()),
    rule: Type.String({ description: 'e.g. noise.line_breaks, bpr.payment_date_fallback' }),
    message: Type.String(),
    occurrences: Type.Integer(),
  },
  strict,
);

export const UploadResult = Type.Object(
  {
    eraFileId: Uuid,
    checksum: Type.String(),
    duplicateFile: Type.Boolean(),
    transactions: Type.Integer(),
    claims: Type.Integer(),
    warnings: Type.Array(ParseWarning, {
      description: 'noise the parser accepted, stored with the remittances',
    }),
    posted: Type.Integer(),
    alreadyPosted: Type.Integer(),
    unmatched: Type.Integer(),
    signalled: Type.Integer(),
  },
  strict,
);

export const UploadAccepted = Type.Object(
  {
    eraFileId: Uuid,
    checksum: Type.String(),
    duplicateFile: Type.Boolean(),
    transactions: Type.Integer(),
    claims: Type.Integer(),
    warnings: Type.Array(ParseWarning),
    workflowId: Type.String({ description: 'the posting workflow, still running' }),
    temporalUiUrl: Type.String(),
  },
  strict,
);

export const RemittanceItem = Type.Object(
  {
    id: Uuid,
    eraFileId: Uuid,
    practiceId: Nullable(Type.String()),
    payerId: Type.String(),
    traceNumber: Type.String(),
    paymentCents: Cents,
    paymentMethod: Type.String(),
    paymentDate: IsoDate,
    receivedAt: DateTime,
    warnings: Type.Array(ParseWarning, {
      description: 'noise the 835 carried, accepted (docs/835-tolerance.md)',
    }),
    postedClaims: Type.Integer(),
    unmatchedClaims: Type.Integer(),
  },
  strict,
);

export const UnmatchedItem = Type.Object(
  {
    id: Uuid,
    remittanceId: Uuid,
    claimIndex: Type.Integer(),
    practiceId: Nullable(Type.String()),
    payerId: Type.String(),
    traceNumber: Type.String(),
    paymentDate: IsoDate,
    patientControlNumber: Type.String(),
    payerClaimNumber: Type.String(),
    paidCents: Cents,
    reason: Type.String({ description: 'UNKNOWN_CLAIM, AMBIGUOUS_CLAIM, CLOSED_CLAIM or AMOUNT_MISMATCH' }),
    status: Type.Union([Type.Literal('OPEN'), Type.Literal('MATCHED')]),
    matchedClaimId: Nullable(Uuid),
    matchedBy: Nullable(Type.String()),
    matchedAt: Nullable(DateTime),
    createdAt: DateTime,
  },
  strict,
);

export const MatchResult = Type.Object(
  { unmatched: UnmatchedItem, claim: ClaimSummary, paymentId: Uuid, signalled: Type.Boolean() },
  strict,
);

// Examples shown in the OpenAPI document (test/api/openapi-contract.test.ts checks each against its schema).

/** A small 835: one payment, one claim loop paid in part with patient responsibility. */
export const ERA_EXAMPLE = [
  'ISA*00*          *00*          *ZZ*PAYERSIM       *ZZ*DENIALDESK     *261120*0930*^*00501*000000042*0*P*:~',
  'GS*HP*PAYERSIM*DENIALDESK*20261120*0930*42*X*005010X221A1~',
  'ST*835*0001*005010X221A1~',
  'BPR*C*80*C*CHK************20261120~',
  'TRN*1*CHK10001*1999999999~',
  'DTM*405*20261119~',
  'N1*PR*ACME HEALTH PLAN~',
  'N1*PE*SUNRISE FAMILY PRACTICE*XX*1234567893~',
  'LX*1~',
  'CLP*CLM-1001*1*100*80*20*CI*ICN0001*11*1~',
  'SVC*HC:99213*100*80~',
  'DTM*472*20261102~',
  'CAS*PR*3*20~',
  'SE*12*0001~',
  'GE*1*42~',
  'IEA*1*000000042~',
].join('\n');

export const UPLOAD_RESULT_EXAMPLE = {
  eraFileId: '0b6f0d2e-6a51-4f0c-9a3e-2b1f7c4d5e60',
  checksum: '4f9c1e0a7d2b8c3e5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7a8b9c0',
  duplicateFile: false,
  transactions: 1,
  claims: 1,
  warnings: [],
  posted: 1,
  alreadyPosted: 0,
  unmatched: 0,
  signalled: 1,
};

export const REMITTANCE_PAGE_EXAMPLE = {
  items: [
    {
      id: '7d3a9c1b-2e4f-4a6b-8c0d-1e2f3a4b5c6d',
      eraFileId: UPLOAD_RESULT_EXAMPLE.eraFileId,
      practiceId: 'sunrise-fp',
      payerId: 'ACME-HEALTH',
      traceNumber: 'CHK10001',
      paymentCents: 8_000,
      paymentMethod: 'CHK',
      paymentDate: '2026-11-20',
      receivedAt: '2026-11-20T09:31:02.000Z',
      warnings: [],
      postedClaims: 1,
      unmatchedClaims: 0,
    },
  ],
  nextCursor: null,
};
