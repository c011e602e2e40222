/**
 * TypeBox schemas of the API: request bodies, params and responses. Unknown fields are refused.
 */
import { type Static, Type } from 'typebox';
import { HOLD_REASONS } from '../workflows/messages.js';

const IsoDate = Type.String({ format: 'date', description: 'calendar date, YYYY-MM-DD' });
const Cents = Type.Integer({ minimum: 1, maximum: 100_000_000_00, description: 'integer cents, > 0' });
const ProcedureCode = Type.String({ pattern: '^[A-Z0-9]{5}$', description: 'CPT/HCPCS code' });
const Modifier = Type.String({ pattern: '^[A-Z0-9]{2}$' });
const Icd10 = Type.String({
  pattern: '^[A-TV-Z][0-9][0-9A-Z](\\.?[0-9A-Z]{1,4})?$',
  description: 'ICD-10-CM code',
});
const strict = { additionalProperties: false } as const;

export const ClaimLineBody = Type.Object(
  {
    procedureCode: ProcedureCode,
    modifiers: Type.Array(Modifier, { maxItems: 4, default: [] }),
    units: Type.Integer({ minimum: 1, maximum: 999 }),
    chargeCents: Cents,
    serviceDate: Type.Optional(IsoDate),
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
    practiceId: Type.String({ pattern: '^[a-z0-9-]{1,20}$' }),
    claimId: Type.String({
      pattern: '^[A-Za-z0-9-]{1,20}$',
      description: 'the practice’s claim id; sent as CLM01',
    }),
    payerId: Type.String({ minLength: 1, maxLength: 40 }),
    billingProviderNpi: Type.String({ pattern: '^\\d{10}$' }),
    dateOfService: IsoDate,
    patient: Type.Object(
      {
        externalId: Type.String({ minLength: 1, maxLength: 40 }),
        firstName: Type.String({ minLength: 1, maxLength: 60 }),
        lastName: Type.String({ minLength: 1, maxLength: 60 }),
        birthDate: IsoDate,
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

export const ClaimIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, strict);

export const ResubmitBody = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    changes: Type.Record(Type.String(), Type.Unknown()),
  },
  strict,
);
export const AppealBody = Type.Object(
  {
    grounds: Type.String({ minLength: 1, maxLength: 4000 }),
    attachments: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 50, default: [] }),
  },
  strict,
);
export const AppealDecisionBody = Type.Object(
  {
    outcome: Type.Union([Type.Literal('overturned'), Type.Literal('upheld')]),
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
    decidedAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  strict,
);
export const WriteOffBody = Type.Object(
  {
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
  { reason: Type.String({ minLength: 1, maxLength: 500 }), waiverOnFile: Type.Optional(Type.Boolean()) },
  strict,
);
export const AssignBody = Type.Object(
  { assignee: Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()]) },
  strict,
);
export const NoteBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000 }) }, strict);
export const HoldBody = Type.Object(
  {
    reason: Type.Enum(HOLD_REASONS),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  strict,
);
export const PaymentPlanBody = Type.Object(
  { installmentCents: Cents, intervalDays: Type.Integer({ minimum: 7, maximum: 92 }), firstDueDate: IsoDate },
  strict,
);
export const PatientPaymentBody = Type.Object(
  {
    reference: Type.String({ minLength: 1, maxLength: 100 }),
    amountCents: Cents,
    method: Type.Enum(['card', 'check', 'cash', 'ach', 'portal'] as const),
    receivedAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  strict,
);
