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

export const UploadResult = Type.Object(
  {
    eraFileId: Uuid,
    checksum: Type.String(),
    duplicateFile: Type.Boolean(),
    transactions: Type.Integer(),
    claims: Type.Integer(),
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
