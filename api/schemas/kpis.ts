/** GET /kpis: the query (a practice and an inclusive period) and the report. */
import { Type } from 'typebox';
import { AGING_BUCKETS, KPI_DEFINITIONS } from '../../domain/kpi.js';
import { RuleEffect } from './claim-rules.js';
import { Cents, DateParam, DateTime, IsoDate, Nullable, PracticeId, strict } from './common.js';

/** Longest period one request may ask about (about ten years). */
export const MAX_PERIOD_DAYS = 3_660;
export const DEFAULT_PERIOD_DAYS = 90;

export const KpiQuery = Type.Object(
  {
    practiceId: PracticeId(),
    from: Type.Optional(
      DateParam(
        `first day (inclusive); default: ${DEFAULT_PERIOD_DAYS} days before \`to\`. ` +
          `The period from \`from\` to \`to\` may span at most ${MAX_PERIOD_DAYS} days.`,
      ),
    ),
    to: Type.Optional(DateParam('last day (inclusive); default: today (UTC)')),
  },
  strict,
);

const Rate = Nullable(
  Type.Number({ minimum: 0, description: 'a fraction (0.25 = 25 %); null when nothing was counted' }),
);

/** Cost cents per collected cent (not capped at 1: work can cost more than it brings). */
export const CostRatio = Nullable(
  Type.Number({
    minimum: 0,
    description: 'cost cents per collected cent (0.05 = 5 cents per dollar); null: nothing collected',
  }),
);

export const KpiReport = Type.Object(
  {
    practiceId: Type.String(),
    from: IsoDate,
    to: IsoDate,
    asOf: DateTime,
    denialRate: Type.Object(
      {
        adjudicatedClaims: Type.Integer(),
        deniedClaims: Type.Integer(),
        byCount: Rate,
        chargesCents: Cents,
        deniedCents: Cents,
        byDollars: Rate,
        duplicateOnlyClaimsExcluded: Type.Integer(),
      },
      { ...strict, description: KPI_DEFINITIONS.denialRate },
    ),
    cleanClaimRate: Type.Object(
      {
        claims: Type.Integer(),
        cleanClaims: Type.Integer(),
        byCount: Rate,
        chargesCents: Cents,
        cleanChargesCents: Cents,
        byDollars: Rate,
      },
      { ...strict, description: KPI_DEFINITIONS.cleanClaimRate },
    ),
    daysInAr: Type.Object(
      {
        openArCents: Cents,
        periodChargesCents: Cents,
        periodDays: Type.Integer(),
        days: Nullable(Type.Number()),
      },
      { ...strict, description: KPI_DEFINITIONS.daysInAr },
    ),
    arAging: Type.Object(
      {
        basis: Type.Literal('date_of_service'),
        buckets: Type.Array(
          Type.Object(
            {
              label: Type.Enum(AGING_BUCKETS.map((b) => b.label)),
              claims: Type.Integer(),
              cents: Cents,
              shareOfDollars: Rate,
            },
            strict,
          ),
        ),
        over90DaysShareOfDollars: Rate,
      },
      { ...strict, description: KPI_DEFINITIONS.arAging },
    ),
    appealOverturnRate: Type.Object(
      {
        decided: Type.Integer(),
        overturned: Type.Integer(),
        byCount: Rate,
        decidedCents: Cents,
        overturnedCents: Cents,
        byDollars: Rate,
      },
      { ...strict, description: KPI_DEFINITIONS.appealOverturnRate },
    ),
    netCollectionRate: Type.Object(
      { collectedCents: Cents, chargesCents: Cents, contractualCents: Cents, rate: Rate },
      { ...strict, description: KPI_DEFINITIONS.netCollectionRate },
    ),
    denialsByCategory: Type.Array(
      Type.Object({ category: Type.String(), claims: Type.Integer(), deniedCents: Cents }, strict),
      {
        description: KPI_DEFINITIONS.denialsByCategory,
      },
    ),
    denialsByPayer: Type.Array(
      Type.Object(
        {
          payerId: Type.String(),
          adjudicatedClaims: Type.Integer(),
          deniedClaims: Type.Integer(),
          byCount: Rate,
          chargesCents: Cents,
          deniedCents: Cents,
          byDollars: Rate,
        },
        strict,
      ),
      { description: KPI_DEFINITIONS.denialsByPayer },
    ),
    timeToFirstAction: Type.Object(
      {
        denials: Type.Integer(),
        acted: Type.Integer(),
        averageDays: Nullable(Type.Number()),
        medianDays: Nullable(Type.Number()),
        targetBusinessDays: Type.Integer(),
        due: Type.Integer(),
        withinTarget: Type.Integer(),
        withinTargetByCount: Rate,
        dueCents: Cents,
        withinTargetCents: Cents,
        withinTargetByDollars: Rate,
      },
      { ...strict, description: KPI_DEFINITIONS.timeToFirstAction },
    ),
    costToCollect: Type.Object(
      {
        costCents: Cents,
        staffCents: Cents,
        feeCents: Cents,
        collectedCents: Cents,
        costPerDollarCollected: CostRatio,
        topPayers: Type.Array(
          Type.Object(
            {
              payerId: Type.String(),
              costCents: Cents,
              collectedCents: Cents,
              costPerDollarCollected: CostRatio,
              netValueCents: Cents,
            },
            strict,
          ),
        ),
      },
      { ...strict, description: KPI_DEFINITIONS.costToCollect },
    ),
    claimRules: Type.Array(RuleEffect, { description: KPI_DEFINITIONS.claimRules }),
    underpayments: Type.Object(
      {
        openUnderpaidCents: Cents,
        recoveredCents: Cents,
        noContractRatePostings: Type.Integer(),
        openByPayer: Type.Array(
          Type.Object({ payerId: Type.String(), count: Type.Integer(), varianceCents: Cents }, strict),
        ),
      },
      { ...strict, description: KPI_DEFINITIONS.underpayments },
    ),
  },
  strict,
);
