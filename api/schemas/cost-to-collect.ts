/** Cost to collect: a practice's pricing settings and the report (docs/cost-to-collect.md). */
import { Type } from 'typebox';
import { DENIAL_CATEGORIES } from '../../domain/carc.js';
import { COST_GROUPINGS, COST_LIMITS, STAFF_ACTIONS, TRANSACTIONS } from '../../domain/cost-to-collect.js';
import { Cents, DateParam, DateTime, IsoDate, Nullable, PracticeId, strict } from './common.js';
import { CostRatio, DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS } from './kpis.js';

export { MAX_PERIOD_DAYS };

export const PracticeParams = Type.Object({ practiceId: PracticeId() }, strict);

const Whole = (max: number, description: string) => Type.Integer({ minimum: 0, maximum: max, description });

const objectOf = <K extends string>(keys: readonly K[], value: () => ReturnType<typeof Type.Integer>) =>
  Type.Object(
    Object.fromEntries(keys.map((k) => [k, value()])) as Record<K, ReturnType<typeof value>>,
    strict,
  );

export const CostSettingsBody = Type.Object(
  {
    hourlyRateCents: Whole(COST_LIMITS.maxHourlyRateCents, 'loaded hourly cost of a biller, in cents'),
    standardMinutes: objectOf(STAFF_ACTIONS, () =>
      Whole(COST_LIMITS.maxStandardMinutes, 'standard whole minutes of one action'),
    ),
    transactionFeesCents: objectOf(TRANSACTIONS, () =>
      Whole(COST_LIMITS.maxTransactionFeeCents, 'clearinghouse fee of one transaction, in cents'),
    ),
  },
  strict,
);

export const CostSettingsView = Type.Object(
  {
    practiceId: Type.String(),
    settings: CostSettingsBody,
    custom: Type.Boolean({ description: 'false while the practice is priced with the defaults' }),
    updatedBy: Nullable(Type.String()),
    updatedAt: Nullable(DateTime),
    defaults: CostSettingsBody,
  },
  strict,
);

export const CostReportQuery = Type.Object(
  {
    practiceId: PracticeId(),
    from: Type.Optional(
      DateParam(
        `first day (inclusive, UTC); default: ${DEFAULT_PERIOD_DAYS} days before \`to\`. ` +
          `The period may span at most ${MAX_PERIOD_DAYS} days.`,
      ),
    ),
    to: Type.Optional(DateParam('last day (inclusive, UTC); default: today (UTC)')),
    groupBy: Type.Optional(Type.Enum(COST_GROUPINGS, { default: 'payer' })),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' })),
  },
  strict,
);

const Ratio = CostRatio;

const Counts = Type.Object(
  {
    staff: objectOf(STAFF_ACTIONS, () => Type.Integer({ minimum: 0 })),
    transactions: objectOf(TRANSACTIONS, () => Type.Integer({ minimum: 0 })),
  },
  strict,
);

const Cost = Type.Object(
  { staffMinutes: Type.Integer(), staffCents: Cents, feeCents: Cents, costCents: Cents },
  strict,
);

const Category = Nullable(Type.Enum(DENIAL_CATEGORIES, { description: 'null: never denied' }));

export const CostReportRow = Type.Object(
  {
    key: Nullable(Type.String({ description: 'claim uuid, payer id, denial category or month (YYYY-MM)' })),
    claimId: Type.Optional(Type.String()),
    payerId: Type.Optional(Type.String()),
    category: Type.Optional(Category),
    overturnRate: Type.Optional(
      Type.Object(
        {
          rate: Type.Number({ minimum: 0, maximum: 1 }),
          basis: Type.Union([Type.Literal('history'), Type.Literal('category')]),
          decided: Type.Integer(),
        },
        strict,
      ),
    ),
    claims: Type.Integer(),
    counts: Counts,
    cost: Cost,
    collectedCents: Cents,
    costPerDollarCollected: Ratio,
    denials: Nullable(
      Type.Object(
        {
          deniedClaims: Type.Integer(),
          deniedCents: Cents,
          expectedRecoveryCents: Cents,
          workCostCents: Cents,
          netValueCents: Cents,
        },
        { ...strict, description: 'null on month rows' },
      ),
    ),
  },
  strict,
);

export const CostReport = Type.Object(
  {
    practiceId: Type.String(),
    from: IsoDate,
    to: IsoDate,
    groupBy: Type.Enum(COST_GROUPINGS),
    settings: CostSettingsBody,
    totals: Type.Object(
      { claims: Type.Integer(), cost: Cost, collectedCents: Cents, costPerDollarCollected: Ratio },
      strict,
    ),
    rows: Type.Array(CostReportRow),
  },
  strict,
);
