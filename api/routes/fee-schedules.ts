/**
 * Fee schedules: a practice's contracted rates with a payer, uploaded as CSV or written as JSON, kept
 * as versions (the newest is in force); and the payment variances the posting found against them
 * (docs/fee-schedules.md). Supervisors and admins change schedules; every work role reads them.
 */
import type { FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import {
  feeScheduleRates,
  listFeeScheduleVersions,
  listPaymentVariances,
  saveFeeSchedule,
  varianceSummary,
} from '../../db/fee-schedules.js';
import {
  type FeeScheduleCsvError,
  formatFeeScheduleCsv,
  parseFeeScheduleCsv,
} from '../../domain/fee-schedule-csv.js';
import type { FeeScheduleRow } from '../../domain/fee-schedules.js';
import { practicesFor } from '../plugins/auth.js';
import { notFound, Problem, unprocessable } from '../plugins/problems.js';
import { problemResponse } from '../schemas/common.js';
import * as s from '../schemas/fee-schedules.js';
import { type App, type AppDeps, OVERSIGHT_ROLES, WORK_ROLES } from '../types.js';

/** The CSV content types the upload takes. */
export const CSV_CONTENT_TYPES = ['text/csv'] as const;

const JSON_FIELD: Record<string, string> = {
  procedure_code: 'procedureCode',
  modifier: 'modifier',
  plan_id: 'planId',
  allowed: 'allowedCents',
  effective_from: 'effectiveFrom',
  effective_to: 'effectiveTo',
  multiple_procedure_reducible: 'multipleProcedureReducible',
};

type Rate = Static<typeof s.RateSchema>;

function rateView(r: FeeScheduleRow): Rate {
  const v: Rate = {
    procedureCode: r.procedureCode,
    allowedCents: r.allowedCents,
    effectiveFrom: r.effectiveFrom,
    multipleProcedureReducible: r.multipleProcedureReducible,
  };
  if (r.modifier !== undefined) v.modifier = r.modifier;
  if (r.planId !== undefined) v.planId = r.planId;
  if (r.effectiveTo !== undefined) v.effectiveTo = r.effectiveTo;
  return v;
}

export function feeScheduleRoutes(deps: AppDeps) {
  async function checkPayer(payerId: string): Promise<void> {
    const payer = await deps.db
      .selectFrom('payers')
      .select('id')
      .where('id', '=', payerId)
      .executeTakeFirst();
    if (!payer) throw notFound(`payer ${payerId}`);
  }
  async function save(
    req: FastifyRequest,
    params: { practiceId: string; payerId: string },
    rows: FeeScheduleRow[],
    source: 'CSV' | 'API',
  ) {
    return saveFeeSchedule(deps.db, {
      practiceId: params.practiceId,
      payerId: params.payerId,
      rows,
      source,
      createdBy: req.principal!.userId,
    });
  }
  const refused = (
    errors: FeeScheduleCsvError[],
    truncated: boolean,
    field: (e: FeeScheduleCsvError) => string,
  ) =>
    unprocessable(
      `the fee schedule was refused whole (${errors.length}${truncated ? '+' : ''} errors); nothing was saved`,
      errors.map((e) => ({ field: field(e), message: e.message })),
      {
        rows: errors.map((e) => ({
          row: e.row,
          ...(e.column ? { column: e.column } : {}),
          message: e.message,
        })),
        truncated,
      },
    );

  return async function routes(app: App): Promise<void> {
    app.addContentTypeParser([...CSV_CONTENT_TYPES], { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    );

    app.put(
      '/practices/:practiceId/fee-schedules/:payerId',
      {
        schema: {
          params: s.FeeScheduleParams,
          body: s.CsvBody,
          consumes: [...CSV_CONTENT_TYPES],
          tags: ['fee schedules'],
          operationId: 'uploadFeeSchedule',
          summary:
            'Upload the practice’s contracted rates with a payer as CSV: a new version, in force at once',
          description:
            'The CSV format is in docs/fee-schedules.md. A file with any error is refused whole: 422 with ' +
            '`errors` (`field` is `row <n>, column <name>`) and `rows` (row, column, message), at most 100.',
          response: {
            201: s.FeeScheduleVersionView,
            422: problemResponse('the CSV has errors (each named by row and column); nothing was saved'),
          },
        },
        config: { roles: OVERSIGHT_ROLES },
      },
      async (req, reply) => {
        const params = req.params;
        practicesFor(req, params.practiceId);
        await checkPayer(params.payerId);
        const text = req.body;
        if (typeof text !== 'string') {
          throw new Problem(415, 'Unsupported Media Type', 'send the fee schedule as a text/csv body');
        }
        const parsed = parseFeeScheduleCsv(text, params);
        if (!parsed.ok) {
          throw refused(parsed.errors, parsed.truncated, (e) =>
            e.column ? `row ${e.row}, column ${e.column}` : `row ${e.row}`,
          );
        }
        return reply.status(201).send(await save(req, params, parsed.rows, 'CSV'));
      },
    );

    app.put(
      '/practices/:practiceId/fee-schedules/:payerId/rates',
      {
        schema: {
          params: s.FeeScheduleParams,
          body: s.RatesBody,
          tags: ['fee schedules'],
          operationId: 'replaceFeeScheduleRates',
          summary: 'Write the practice’s rates with a payer as JSON: a new version with exactly these rates',
          description:
            'The same rules as the CSV upload (docs/fee-schedules.md), including no overlapping effective ' +
            'ranges; 422 names each refused rate as `body/rates/<index>/<field>`.',
          response: {
            201: s.FeeScheduleVersionView,
            422: problemResponse(
              'a rate is refused (`errors` names `body/rates/<index>/<field>`); nothing was saved',
            ),
          },
        },
        config: { roles: OVERSIGHT_ROLES },
      },
      async (req, reply) => {
        const params = req.params;
        practicesFor(req, params.practiceId);
        await checkPayer(params.payerId);
        const rows: FeeScheduleRow[] = req.body.rates.map((r) => ({ ...r, ...params }));
        // One set of rules for both ways in: the rates go through the CSV validator (row n is rate n-2).
        const parsed = parseFeeScheduleCsv(formatFeeScheduleCsv(rows), params);
        if (!parsed.ok) {
          throw refused(parsed.errors, parsed.truncated, (e) =>
            e.row < 2
              ? 'body/rates'
              : `body/rates/${e.row - 2}${e.column ? `/${JSON_FIELD[e.column] ?? e.column}` : ''}`,
          );
        }
        return reply.status(201).send(await save(req, params, parsed.rows, 'API'));
      },
    );

    app.get(
      '/practices/:practiceId/fee-schedules/:payerId',
      {
        schema: {
          params: s.FeeScheduleParams,
          querystring: s.FeeScheduleQuery,
          tags: ['fee schedules'],
          operationId: 'getFeeSchedule',
          summary:
            'The rates in force (or of a stored version), as JSON or as the CSV it can be uploaded from',
          produces: ['application/json', 'text/csv'],
          response: {
            200: {
              description: 'the rates (JSON), or with `format=csv` the file they can be uploaded from',
              content: {
                'application/json': { schema: s.FeeScheduleView },
                'text/csv': { schema: { type: 'string' } },
              },
            },
          },
        },
        config: { roles: WORK_ROLES },
      },
      async (req, reply) => {
        const { practiceId, payerId } = req.params;
        practicesFor(req, practiceId);
        const found = await feeScheduleRates(deps.db, practiceId, payerId, req.query.version);
        if (!found) throw notFound(`fee schedule of ${practiceId} with ${payerId}`);
        if (req.query.format === 'csv') {
          return reply
            .type('text/csv; charset=utf-8')
            .header(
              'content-disposition',
              `attachment; filename="fee-schedule-${payerId}-v${found.version.version}.csv"`,
            )
            .send(formatFeeScheduleCsv(found.rows) as unknown as Static<typeof s.FeeScheduleView>);
        }
        return { version: found.version, rates: found.rows.map(rateView) };
      },
    );

    app.get(
      '/practices/:practiceId/fee-schedules/:payerId/versions',
      {
        schema: {
          params: s.FeeScheduleParams,
          tags: ['fee schedules'],
          operationId: 'listFeeScheduleVersions',
          summary: 'Every stored version of the schedule, newest first',
          response: { 200: s.FeeScheduleVersions },
        },
        config: { roles: WORK_ROLES },
      },
      async (req) => {
        const { practiceId, payerId } = req.params;
        practicesFor(req, practiceId);
        return { versions: await listFeeScheduleVersions(deps.db, practiceId, payerId) };
      },
    );

    app.get(
      '/practices/:practiceId/payment-variances',
      {
        schema: {
          params: s.PracticeParams,
          querystring: s.VarianceQuery,
          tags: ['fee schedules'],
          operationId: 'listPaymentVariances',
          summary: 'Underpayments and overpayments against the contract, with the totals by payer',
          description:
            'Newest first. `summary` counts every variance of the practice: open underpaid dollars, dollars ' +
            'recovered by later postings, open variances by payer, and postings no contract rate could price.',
          response: { 200: s.VarianceList },
        },
        config: { roles: WORK_ROLES },
      },
      async (req) => {
        const ids = practicesFor(req, req.params.practiceId);
        const [items, summary] = await Promise.all([
          listPaymentVariances(deps.db, {
            practiceIds: ids,
            status: req.query.status,
            limit: req.query.limit,
          }),
          varianceSummary(deps.db, ids),
        ]);
        return { items, summary };
      },
    );
  };
}
