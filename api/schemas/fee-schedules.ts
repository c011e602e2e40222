/** Fee schedules (contracted rates, versioned) and the payment variances found against them. */
import { Type } from 'typebox';
import { Cents, DateTime, IsoDate, Nullable, PayerId, PracticeId, strict, Uuid } from './common.js';

export const FeeScheduleParams = Type.Object({ practiceId: PracticeId(), payerId: PayerId }, strict);
export const PracticeParams = Type.Object({ practiceId: PracticeId() }, strict);

export const FeeScheduleQuery = Type.Object(
  {
    version: Type.Optional(
      Type.Integer({ minimum: 1, description: 'a stored version; the newest when absent' }),
    ),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' })),
  },
  strict,
);

export const CsvBody = Type.String({
  minLength: 1,
  description: 'the fee schedule CSV (docs/fee-schedules.md): header row, then one rate per row',
});

const Code = (pattern: string, description: string) => Type.String({ pattern, description });

export const RateSchema = Type.Object(
  {
    procedureCode: Code('^[A-Z0-9]{5}$', 'CPT or HCPCS Level II code'),
    modifier: Type.Optional(Code('^[A-Z0-9]{2}$', 'the modifier the rate is for; absent: any')),
    planId: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'absent: every plan' })),
    allowedCents: Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'allowed for one unit' }),
    effectiveFrom: IsoDate,
    effectiveTo: Type.Optional(IsoDate),
    multipleProcedureReducible: Type.Boolean(),
  },
  strict,
);

export const RatesBody = Type.Object(
  { rates: Type.Array(RateSchema, { minItems: 1, maxItems: 20_000 }) },
  strict,
);

export const FeeScheduleVersionView = Type.Object(
  {
    id: Uuid,
    practiceId: Type.String(),
    payerId: Type.String(),
    version: Type.Integer(),
    source: Type.Union([Type.Literal('CSV'), Type.Literal('API')]),
    rowCount: Type.Integer(),
    createdBy: Type.String(),
    createdAt: DateTime,
  },
  strict,
);

export const FeeScheduleView = Type.Object(
  { version: FeeScheduleVersionView, rates: Type.Array(RateSchema) },
  strict,
);

export const FeeScheduleVersions = Type.Object({ versions: Type.Array(FeeScheduleVersionView) }, strict);

export const VarianceQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('OPEN'), Type.Literal('RESOLVED')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })),
  },
  strict,
);

export const VarianceView = Type.Object(
  {
    id: Uuid,
    claimId: Uuid,
    claimNumber: Type.String(),
    payerId: Type.String(),
    kind: Type.Union([Type.Literal('UNDERPAYMENT'), Type.Literal('OVERPAYMENT')]),
    status: Type.Union([Type.Literal('OPEN'), Type.Literal('RESOLVED')]),
    openingVarianceCents: Cents,
    varianceCents: Cents,
    expectedCents: Cents,
    payerAllowedCents: Cents,
    toleranceCents: Cents,
    recoveredCents: Cents,
    openedAt: DateTime,
    resolvedAt: Nullable(DateTime),
  },
  strict,
);

export const VarianceList = Type.Object(
  {
    items: Type.Array(VarianceView),
    summary: Type.Object(
      {
        openUnderpaidCents: Cents,
        recoveredCents: Cents,
        noContractRatePostings: Type.Integer({ description: 'postings whose allowed lines no rate prices' }),
        openByPayer: Type.Array(
          Type.Object({ payerId: Type.String(), count: Type.Integer(), varianceCents: Cents }, strict),
        ),
      },
      strict,
    ),
  },
  strict,
);
