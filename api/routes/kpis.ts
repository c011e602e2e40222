/**
 * GET /kpis: a practice's revenue-cycle KPIs for a period, each by count and by dollars where both mean
 * something. Definitions live in domain/kpi.ts (`KPI_DEFINITIONS`) and are repeated in the OpenAPI
 * description of every figure; the counting is db/reports/kpis.ts; the period's bounds and its longest span are schemas/kpis.ts.
 */

import { latestClaimRules, ruleEffect } from '../../db/claim-rules.js';
import { varianceSummary } from '../../db/fee-schedules.js';
import type { Db } from '../../db/pool.js';
import { costToCollectReport } from '../../db/reports/cost-to-collect.js';
import {
  appealCounts,
  arSnapshot,
  collectionCounts,
  denialAndCleanCounts,
  denialsByCategory,
  denialsByPayer,
  firstActionCounts,
} from '../../db/reports/kpis.js';
import { daysInAr, FIRST_ACTION_TARGET_BUSINESS_DAYS, KPI_DEFINITIONS, ratio } from '../../domain/kpi.js';
import { practicesFor } from '../plugins/auth.js';
import { reportPeriod } from '../report-period.js';
import { problemResponse } from '../schemas/common.js';
import * as s from '../schemas/kpis.js';
import { type App, type AppDeps, OVERSIGHT_ROLES } from '../types.js';

const DESCRIPTION = [
  'Rates are fractions (0.25 = 25 %), null when nothing was counted.',
  '',
  ...Object.entries(KPI_DEFINITIONS).map(([name, text]) => `- **${name}**: ${text}`),
].join('\n');

/** How many payers the KPI summary names: the ones costing the practice most. */
const TOP_PAYERS = 5;

/** The KPI report's cost-to-collect figures: the period's totals and the costliest payers. */
/** Every modifier rule in force, with the combination's denial rate before and after its adoption. */
async function claimRuleEffects(db: Db, practiceId: string) {
  const rules = await latestClaimRules(db, practiceId, { activeOnly: true });
  return Promise.all(
    rules.filter((r) => r.kind === 'MODIFIER_REQUIRED').map((r) => ruleEffect(db, practiceId, r)),
  );
}

function costSummary(report: Awaited<ReturnType<typeof costToCollectReport>>) {
  const t = report.totals;
  return {
    costCents: t.cost.costCents,
    staffCents: t.cost.staffCents,
    feeCents: t.cost.feeCents,
    collectedCents: t.collectedCents,
    costPerDollarCollected: t.costPerDollarCollected,
    topPayers: report.rows.slice(0, TOP_PAYERS).map((r) => ({
      payerId: r.key ?? '',
      costCents: r.cost.costCents,
      collectedCents: r.collectedCents,
      costPerDollarCollected: r.costPerDollarCollected,
      netValueCents: r.denials?.netValueCents ?? 0,
    })),
  };
}

export function kpiRoutes(deps: AppDeps) {
  return async function routes(app: App): Promise<void> {
    app.get(
      '/kpis',
      {
        schema: {
          querystring: s.KpiQuery,
          tags: ['kpis'],
          operationId: 'getKpis',
          summary: 'Denial, clean-claim, A/R, aging, appeal, collection and first-action KPIs of a practice',
          description: DESCRIPTION,
          response: {
            200: s.KpiReport,
            400: problemResponse(
              `the query does not match the schema, or the period spans more than ${s.MAX_PERIOD_DAYS} days (\`querystring/from\`); \`errors\` names each field`,
            ),
          },
        },
        config: { roles: OVERSIGHT_ROLES, ranges: [['from', 'to']] },
      },
      async (req) => {
        const q = req.query;
        const [practiceId] = practicesFor(req, q.practiceId) as [string];
        const now = new Date();
        const { from, to, days } = reportPeriod(q, now);
        const period = { practiceId, from, to, now };
        const [
          denials,
          byPayer,
          byCategory,
          ar,
          appeals,
          collections,
          firstAction,
          underpayments,
          cost,
          rules,
        ] = await Promise.all([
          denialAndCleanCounts(deps.db, period),
          denialsByPayer(deps.db, period),
          denialsByCategory(deps.db, period),
          arSnapshot(deps.db, period),
          appealCounts(deps.db, period),
          collectionCounts(deps.db, period),
          firstActionCounts(deps.db, period),
          varianceSummary(deps.db, [practiceId]),
          costToCollectReport(deps.db, period, 'payer'),
          claimRuleEffects(deps.db, practiceId),
        ]);
        const over90 = ar.buckets
          .filter((b) => b.label === '91-120' || b.label === '120+')
          .reduce((s, b) => s + b.cents, 0);
        return {
          practiceId,
          from,
          to,
          asOf: now.toISOString(),
          underpayments,
          claimRules: rules,
          costToCollect: costSummary(cost),
          denialRate: {
            adjudicatedClaims: denials.adjudicated,
            deniedClaims: denials.denied,
            byCount: ratio(denials.denied, denials.adjudicated),
            chargesCents: denials.chargesCents,
            deniedCents: denials.deniedCents,
            byDollars: ratio(denials.deniedCents, denials.chargesCents),
            duplicateOnlyClaimsExcluded: denials.duplicateOnly,
          },
          cleanClaimRate: {
            claims: denials.outcome,
            cleanClaims: denials.clean,
            byCount: ratio(denials.clean, denials.outcome),
            chargesCents: denials.outcomeChargesCents,
            cleanChargesCents: denials.cleanChargesCents,
            byDollars: ratio(denials.cleanChargesCents, denials.outcomeChargesCents),
          },
          daysInAr: {
            openArCents: ar.openArCents,
            periodChargesCents: ar.periodChargesCents,
            periodDays: days,
            days: daysInAr(ar.openArCents, ar.periodChargesCents, days),
          },
          arAging: {
            basis: 'date_of_service' as const,
            buckets: ar.buckets.map((b) => ({ ...b, shareOfDollars: ratio(b.cents, ar.openArCents) })),
            over90DaysShareOfDollars: ratio(over90, ar.openArCents),
          },
          appealOverturnRate: {
            decided: appeals.decided,
            overturned: appeals.overturned,
            byCount: ratio(appeals.overturned, appeals.decided),
            decidedCents: appeals.decidedCents,
            overturnedCents: appeals.overturnedCents,
            byDollars: ratio(appeals.overturnedCents, appeals.decidedCents),
          },
          netCollectionRate: {
            collectedCents: collections.collectedCents,
            chargesCents: collections.chargesCents,
            contractualCents: collections.contractualCents,
            rate: ratio(collections.collectedCents, collections.chargesCents - collections.contractualCents),
          },
          denialsByCategory: byCategory,
          denialsByPayer: byPayer.map((p) => ({
            payerId: p.payerId,
            adjudicatedClaims: p.adjudicated,
            deniedClaims: p.denied,
            byCount: ratio(p.denied, p.adjudicated),
            chargesCents: p.chargesCents,
            deniedCents: p.deniedCents,
            byDollars: ratio(p.deniedCents, p.chargesCents),
          })),
          timeToFirstAction: {
            denials: firstAction.denials,
            acted: firstAction.acted,
            averageDays: firstAction.averageDays,
            medianDays: firstAction.medianDays,
            targetBusinessDays: FIRST_ACTION_TARGET_BUSINESS_DAYS,
            due: firstAction.due,
            withinTarget: firstAction.withinTarget,
            withinTargetByCount: ratio(firstAction.withinTarget, firstAction.due),
            dueCents: firstAction.dueCents,
            withinTargetCents: firstAction.withinTargetCents,
            withinTargetByDollars: ratio(firstAction.withinTargetCents, firstAction.dueCents),
          },
        };
      },
    );
  };
}
