/**
 * The wire contract of payer-sim's clearinghouse API (TypeBox), as a payer would publish it. The
 * `activities/payer/http-gateway.ts` client conforms to these shapes; payer-sim does not import the
 * activities layer (DESIGN.md: payer-sim depends on `domain/x12` only).
 */
import { type Static, Type } from 'typebox';

/** `YYYY-MM-DD`; calendar validity and "not in the future" are front-end edits, not schema rules. */
export const ISO_DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
/**
 * Identifiers echoed into the 835 must not contain an X12 delimiter (`*`, `~`, `:`, `^`) or white space,
 * or the remittance could not be written.
 */
const X12_SAFE_ID = '^[^*~:^\\s]+$';

/** One service line (SV1) of a submitted claim. */
export const ClaimLineSchema = Type.Object({
  lineNumber: Type.Integer({ minimum: 1, maximum: 50 }),
  procedureCode: Type.String({ maxLength: 48 }),
  modifiers: Type.Array(Type.String({ maxLength: 8 }), { maxItems: 4 }),
  units: Type.Number({ exclusiveMinimum: 0, maximum: 99_999 }),
  chargeCents: Type.Integer({ minimum: 0, maximum: 9_999_999_999 }),
  serviceDate: Type.String({ pattern: ISO_DATE_PATTERN }),
  diagnosisPointers: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 12 }), { maxItems: 4 })),
});

/** POST /v1/claims body: an 837P in JSON, i.e. `ClaimSubmission` without its idempotency key. */
export const ClaimBodySchema = Type.Object({
  practiceId: Type.String({ minLength: 1, maxLength: 100 }),
  claimId: Type.String({ minLength: 1, maxLength: 100 }),
  patientControlNumber: Type.String({ minLength: 1, maxLength: 38, pattern: X12_SAFE_ID }),
  payerId: Type.String({ minLength: 1, maxLength: 80, pattern: X12_SAFE_ID }),
  frequencyCode: Type.Union([Type.Literal('1'), Type.Literal('7'), Type.Literal('8')]),
  originalPayerClaimNumber: Type.Optional(Type.String({ maxLength: 50 })),
  billingProviderNpi: Type.String({ maxLength: 20 }),
  patient: Type.Object({
    memberId: Type.String({ maxLength: 80 }),
    firstName: Type.String({ maxLength: 60 }),
    lastName: Type.String({ maxLength: 60 }),
    birthDate: Type.String({ pattern: ISO_DATE_PATTERN }),
  }),
  dateOfService: Type.String({ pattern: ISO_DATE_PATTERN }),
  totalChargeCents: Type.Integer({ minimum: 0, maximum: 99_999_999_999 }),
  diagnosisCodes: Type.Array(Type.String({ maxLength: 10 }), { maxItems: 24 }),
  lines: Type.Array(ClaimLineSchema, { maxItems: 50 }),
});
/** A submitted claim as the sim receives it. */
export type ClaimBody = Static<typeof ClaimBodySchema>;
/** A submitted service line. */
export type ClaimLine = Static<typeof ClaimLineSchema>;

/** 277CA rejection categories: A3 unprocessable, A6 missing information, A7 invalid, A8 rejected by the payer. */
export const RejectionCategorySchema = Type.Union([
  Type.Literal('A3'),
  Type.Literal('A6'),
  Type.Literal('A7'),
  Type.Literal('A8'),
]);

/** A 999/277CA-style front-end answer to a claim submission. */
export const SubmissionResultSchema = Type.Union([
  Type.Object({
    status: Type.Literal('accepted'),
    clearinghouseClaimId: Type.String(),
    acceptedAt: Type.String(),
  }),
  Type.Object({
    status: Type.Literal('rejected'),
    clearinghouseClaimId: Type.String(),
    category: RejectionCategorySchema,
    statusCode: Type.String(),
    field: Type.Optional(Type.String()),
    message: Type.String(),
  }),
]);
/** The answer to a claim submission. */
export type SubmissionResult = Static<typeof SubmissionResultSchema>;

/** A 276/277 claim status answer (277 category, status code, payer claim number, paid amount). */
export const ClaimStatusResultSchema = Type.Object({
  category: Type.String(),
  statusCode: Type.Optional(Type.String()),
  message: Type.String(),
  payerClaimNumber: Type.Optional(Type.String()),
  effectiveDate: Type.String(),
  paidCents: Type.Optional(Type.Integer()),
});
/** A claim status answer. */
export type ClaimStatusResult = Static<typeof ClaimStatusResultSchema>;

/** POST /v1/appeals body: `AppealSubmission` without its idempotency key. */
export const AppealBodySchema = Type.Object({
  patientControlNumber: Type.String({ minLength: 1, maxLength: 38 }),
  payerClaimNumber: Type.String({ minLength: 1, maxLength: 50 }),
  level: Type.Integer({ minimum: 1, maximum: 5 }),
  grounds: Type.String({ maxLength: 10_000 }),
  attachments: Type.Array(Type.String({ maxLength: 500 }), { maxItems: 50 }),
});
/** A submitted appeal. */
export type AppealBody = Static<typeof AppealBodySchema>;

/** The answer to an appeal submission. */
export const AppealSubmissionResultSchema = Type.Object({
  appealId: Type.String(),
  receivedAt: Type.String(),
});

/** An appeal's status: pending until the payer decides, then overturned or upheld with a reason. */
export const AppealStatusResultSchema = Type.Object({
  appealId: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('overturned'), Type.Literal('upheld')]),
  decidedAt: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
});
/** An appeal status answer. */
export type AppealStatusResult = Static<typeof AppealStatusResultSchema>;

/** A page of 835 files in production order, with the cursor to list only newer ones. */
export const RemittanceListingSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      payerId: Type.String(),
      producedAt: Type.String(),
      sizeBytes: Type.Integer(),
    }),
  ),
  nextCursor: Type.Optional(Type.String()),
});
/** A remittance listing page. */
export type RemittanceListing = Static<typeof RemittanceListingSchema>;

/** Every error answer: a message and, for validation errors, the offending field. */
export const ErrorBodySchema = Type.Object({
  message: Type.String(),
  field: Type.Optional(Type.String()),
});
/** An error answer. */
export type ErrorBody = Static<typeof ErrorBodySchema>;

/** Submissions carry an Idempotency-Key: the same key returns the stored answer, never a second filing. */
export const IdempotencyHeadersSchema = Type.Object({
  'idempotency-key': Type.String({ minLength: 1, maxLength: 255 }),
});
