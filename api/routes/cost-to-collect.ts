/**
 * Cost to collect (docs/cost-to-collect.md): a practice's pricing settings (every work role reads them,
 * supervisors and admins change them) and the report of what working its claims cost against what it
 * collected, per claim, payer, denial category or month, as JSON or CSV. The counting is
 * db/reports/cost-to-collect.ts, the pricing domain/cost-to-collect.ts.
 */
import type { Static } from 'typebox';
import { getCostSettings, putCostSettings, type StoredCostSettings } from '../../db/cost-settings.js';
import { costToCollectReport } from '../../db/reports/cost-to-collect.js';
import {
  type CostGrouping,
  type CostReportRow,
  type CostSettings,
  costSettingsErrors,
  DEFAULT_COST_SETTINGS,
  STAFF_ACTIONS,
  TRANSACTIONS,
} from '../../domain/cost-to-collect.js';
import { csvField } from '../csv.js';
import { practicesFor } from '../plugins/auth.js';
import { unprocessable } from '../plugins/problems.js';
import { reportPeriod } from '../report-period.js';
import { problemResponse } from '../schemas/common.js';
import * as s from '../schemas/cost-to-collect.js';
import { type App, type AppDeps, OVERSIGHT_ROLES, WORK_ROLES } from '../types.js';

function settingsView(practiceId: string, stored: StoredCostSettings): Static<typeof s.CostSettingsView> {
  return {
    practiceId,
    settings: stored.settings as Static<typeof s.CostSettingsBody>,
    custom: stored.custom,
    updatedBy: stored.updatedBy,
    updatedAt: stored.updatedAt,
    defaults: DEFAULT_COST_SETTINGS as Static<typeof s.CostSettingsBody>,
  };
}

/** The CSV columns of a grouping: its key columns, then the same figures for every grouping. */
export function costCsvColumns(by: CostGrouping): string[] {
  const keys: Record<CostGrouping, string[]> = {
    claim: ['claim_uuid', 'claim_id', 'payer_id', 'category', 'overturn_rate', 'overturn_rate_basis'],
    payer: ['payer_id'],
    category: ['category'],
    month: ['month'],
  };
  return [
    ...keys[by],
    'claims',
    ...STAFF_ACTIONS.map((a) => `staff_${a}s`),
    ...TRANSACTIONS.map((t) => `${t}_transactions`),
    'staff_minutes',
    'staff_cents',
    'fee_cents',
    'cost_cents',
    'collected_cents',
    'cost_per_dollar_collected',
    'denied_claims',
    'denied_cents',
    'expected_recovery_cents',
    'work_cost_cents',
    'net_value_cents',
  ];
}

/** One report row as CSV cells, in `costCsvColumns(by)` order. */
export function costCsvCells(by: CostGrouping, r: CostReportRow): unknown[] {
  const keys: Record<CostGrouping, unknown[]> = {
    claim: [r.key, r.claimId, r.payerId, r.category, r.overturnRate?.rate, r.overturnRate?.basis],
    payer: [r.key],
    category: [r.key],
    month: [r.key],
  };
  const d = r.denials;
  return [
    ...keys[by],
    r.claims,
    ...STAFF_ACTIONS.map((a) => r.counts.staff[a]),
    ...TRANSACTIONS.map((t) => r.counts.transactions[t]),
    r.cost.staffMinutes,
    r.cost.staffCents,
    r.cost.feeCents,
    r.cost.costCents,
    r.collectedCents,
    r.costPerDollarCollected,
    d?.deniedClaims,
    d?.deniedCents,
    d?.expectedRecoveryCents,
    d?.workCostCents,
    d?.netValueCents,
  ];
}

export function costToCollectRoutes(deps: AppDeps) {
  return async function routes(app: App): Promise<void> {
    app.get(
      '/practices/:practiceId/cost-settings',
      {
        schema: {
          params: s.PracticeParams,
          tags: ['cost to collect'],
          operationId: 'getCostSettings',
          summary: 'The rates the practice’s work is priced with (its own, or the defaults)',
          response: { 200: s.CostSettingsView },
        },
        config: { roles: WORK_ROLES },
      },
      async (req) => {
        const { practiceId } = req.params;
        practicesFor(req, practiceId);
        return settingsView(practiceId, await getCostSettings(deps.db, practiceId));
      },
    );

    app.put(
      '/practices/:practiceId/cost-settings',
      {
        schema: {
          params: s.PracticeParams,
          body: s.CostSettingsBody,
          tags: ['cost to collect'],
          operationId: 'putCostSettings',
          summary: 'Set the hourly rate, standard minutes per action type and clearinghouse fees',
          description:
            'Replaces all of them at once; the report prices the whole period with the settings in force when it is ' +
            'asked for (docs/cost-to-collect.md).',
          response: {
            200: s.CostSettingsView,
            422: problemResponse(
              'a value is out of bounds (`errors` names `body/<field>`); nothing was saved',
            ),
          },
        },
        config: { roles: OVERSIGHT_ROLES },
      },
      async (req) => {
        const { practiceId } = req.params;
        practicesFor(req, practiceId);
        const settings = req.body as CostSettings;
        const errors = costSettingsErrors(settings);
        if (errors.length > 0) {
          throw unprocessable(
            'the cost settings were refused; nothing was saved',
            errors.map((e) => ({ field: `body/${e.field.replaceAll('.', '/')}`, message: e.message })),
          );
        }
        const stored = await putCostSettings(deps.db, practiceId, settings, req.principal!.userId);
        return settingsView(practiceId, stored);
      },
    );

    app.get(
      '/reports/cost-to-collect',
      {
        schema: {
          querystring: s.CostReportQuery,
          tags: ['cost to collect'],
          operationId: 'getCostToCollectReport',
          summary:
            'What working the practice’s claims cost against what it collected, per claim, payer, category or month',
          description:
            'Staff time at standard minutes per action (open-to-decision times are not recorded) x the hourly rate, ' +
            'plus clearinghouse fees; collected = payer postings and patient payments of the period; net value of ' +
            'working a denial = denied amount x overturn rate - the standard cost of an appeal. Definitions: ' +
            'docs/cost-to-collect.md. `format=csv` answers the same rows as CSV with a header row.',
          produces: ['application/json', 'text/csv'],
          response: {
            200: {
              description: 'the report (JSON), or with `format=csv` its rows as CSV',
              content: {
                'application/json': { schema: s.CostReport },
                'text/csv': { schema: { type: 'string' } },
              },
            },
            400: problemResponse(
              `the query does not match the schema, or the period spans more than ${s.MAX_PERIOD_DAYS} days (\`querystring/from\`)`,
            ),
          },
        },
        config: { roles: OVERSIGHT_ROLES, ranges: [['from', 'to']] },
      },
      async (req, reply) => {
        const q = req.query;
        const [practiceId] = practicesFor(req, q.practiceId) as [string];
        const { from, to } = reportPeriod(q, new Date());
        const groupBy = q.groupBy ?? 'payer';
        const report = await costToCollectReport(deps.db, { practiceId, from, to }, groupBy);
        if (q.format === 'csv') {
          const lines = [
            costCsvColumns(groupBy).join(','),
            ...report.rows.map((r) => costCsvCells(groupBy, r).map(csvField).join(',')),
          ];
          return reply
            .type('text/csv; charset=utf-8')
            .header(
              'content-disposition',
              `attachment; filename="${practiceId}-cost-to-collect-${groupBy}-${from}-${to}.csv"`,
            )
            .send(`${lines.join('\r\n')}\r\n` as unknown as Static<typeof s.CostReport>);
        }
        return {
          practiceId,
          from,
          to,
          groupBy,
          settings: report.settings as Static<typeof s.CostSettingsBody>,
          totals: report.totals,
          rows: report.rows as Static<typeof s.CostReportRow>[],
        };
      },
    );
  };
}
