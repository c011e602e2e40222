/**
 * A practice's data for export, read in keyset-paginated chunks (each chunk one indexed query that
 * starts after the last row of the previous one), so an export of millions of rows holds one chunk in
 * memory and never holds a connection between chunks. (kysely's `.stream()` needs the pg-cursor package
 * wired into the dialect, which this project does not ship.) Columns are fixed per export (the CSV
 * header); patient names, birth dates and member ids are not exported here.
 *
 * Raw ERA files are exported only when every transaction set in them paid this practice: one 835 may
 * carry several payees, and its raw text would otherwise show another practice's payments.
 */
import { sql } from 'kysely';
import type { Db } from '../pool.js';
import { cursorTimestamp, dayEnd, dayStart } from '../sql-fragments.js';

export const EXPORT_KINDS = ['claims', 'events', 'postings', 'eras'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface ExportFilter {
  practiceId: string;
  from?: string;
  to?: string;
}

/** The columns of each export, in order. */
export const EXPORT_COLUMNS: Record<ExportKind, readonly string[]> = {
  claims: [
    'id',
    'claim_id',
    'patient_control_number',
    'payer_id',
    'billing_provider_npi',
    'date_of_service',
    'status',
    'denial_category',
    'recommended_action',
    'assigned_to',
    'escalated',
    'total_charge_cents',
    'paid_cents',
    'adjustment_cents',
    'patient_responsibility_cents',
    'patient_paid_cents',
    'written_off_cents',
    'open_balance_cents',
    'payer_claim_number',
    'submitted_at',
    'first_denied_at',
    'first_action_at',
    'closed_at',
    'created_at',
  ],
  events: [
    'id',
    'claim_uuid',
    'claim_id',
    'at',
    'actor',
    'kind',
    'from_status',
    'to_status',
    'reason',
    'data',
    'request_id',
  ],
  postings: [
    'id',
    'claim_uuid',
    'claim_id',
    'remittance_id',
    'payer_id',
    'trace_number',
    'patient_control_number',
    'payer_claim_number',
    'status_code',
    'is_reversal',
    'charge_cents',
    'paid_cents',
    'patient_responsibility_cents',
    'remark_codes',
    'adjustments',
    'posted_at',
  ],
  eras: ['id', 'checksum', 'source', 'status', 'received_at', 'raw'],
};

const CHUNK = 500;

/** Yields every row of `page(after)` chunks until a short chunk; `keyOf` gives the position to continue after. */
async function* chunked<R, K>(
  page: (after: K | undefined) => Promise<R[]>,
  keyOf: (row: R) => K,
): AsyncGenerator<R> {
  let after: K | undefined;
  for (;;) {
    const rows = await page(after);
    yield* rows;
    if (rows.length < CHUNK) return;
    after = keyOf(rows[rows.length - 1]!);
  }
}

/** Streams the rows of one export for one practice, in a stable order; write only `EXPORT_COLUMNS[kind]`. */
export function streamExport(
  db: Db,
  kind: ExportKind,
  f: ExportFilter,
): AsyncGenerator<Record<string, unknown>> {
  switch (kind) {
    case 'claims':
      // (practice_id, created_at, id) is indexed: each chunk is an index range scan.
      return chunked(
        (after: { ts: string; id: string } | undefined) => {
          let q = db
            .selectFrom('claims')
            .selectAll()
            .select(cursorTimestamp('created_at').as('cursor_ts'))
            .where('practice_id', '=', f.practiceId);
          if (f.from) q = q.where('created_at', '>=', dayStart(f.from));
          if (f.to) q = q.where('created_at', '<', dayEnd(f.to));
          if (after)
            q = q.where(sql<boolean>`(created_at, id) > (${after.ts}::timestamptz, ${after.id}::uuid)`);
          return q.orderBy('created_at').orderBy('id').limit(CHUNK).execute();
        },
        (row) => ({ ts: row.cursor_ts, id: row.id }),
      );
    case 'events':
      return chunked(
        (after: string | undefined) => {
          let q = db
            .selectFrom('claim_events as e')
            .innerJoin('claims as c', 'c.id', 'e.claim_id')
            .select([
              'e.id',
              'e.claim_id as claim_uuid',
              'c.claim_id',
              'e.at',
              'e.actor',
              'e.kind',
              'e.from_status',
              'e.to_status',
              'e.reason',
              'e.data',
              'e.request_id',
            ])
            .where('e.practice_id', '=', f.practiceId)
            .where('c.practice_id', '=', f.practiceId);
          if (f.from) q = q.where('e.at', '>=', dayStart(f.from));
          if (f.to) q = q.where('e.at', '<', dayEnd(f.to));
          if (after) q = q.where('e.id', '>', after);
          return q.orderBy('e.id').limit(CHUNK).execute();
        },
        (row) => row.id,
      );
    case 'postings':
      return chunked(
        (after: string | undefined) => {
          let q = db
            .selectFrom('claim_payments as p')
            .innerJoin('claims as c', 'c.id', 'p.claim_id')
            .select([
              'p.id',
              'p.claim_id as claim_uuid',
              'c.claim_id',
              'p.remittance_id',
              'p.payer_id',
              'p.trace_number',
              'p.patient_control_number',
              'p.payer_claim_number',
              'p.status_code',
              'p.is_reversal',
              'p.charge_cents',
              'p.paid_cents',
              'p.patient_responsibility_cents',
              'p.remark_codes',
              'p.posted_at',
            ])
            .select(
              sql<unknown>`(select coalesce(json_agg(json_build_object(
                  'lineNumber', a.line_number, 'procedureCode', a.procedure_code, 'group', a.group_code,
                  'reason', a.reason_code, 'amountCents', a.amount_cents, 'remarkCodes', a.remark_codes) order by a.id), '[]'::json)
                from claim_adjustments a where a.claim_payment_id = p.id)`.as('adjustments'),
            )
            .where('c.practice_id', '=', f.practiceId);
          if (f.from) q = q.where('p.posted_at', '>=', dayStart(f.from));
          if (f.to) q = q.where('p.posted_at', '<', dayEnd(f.to));
          if (after) q = q.where('p.id', '>', after);
          return q.orderBy('p.id').limit(CHUNK).execute();
        },
        (row) => row.id,
      );
    case 'eras':
      return chunked(
        (after: string | undefined) => {
          let q = db
            .selectFrom('era_files as f')
            .select(['f.id', 'f.checksum', 'f.source', 'f.status', 'f.received_at', 'f.raw'])
            .where((eb) =>
              eb.and([
                eb.exists(
                  eb
                    .selectFrom('remittances as r')
                    .select('r.id')
                    .whereRef('r.era_file_id', '=', 'f.id')
                    .where('r.practice_id', '=', f.practiceId),
                ),
                eb.not(
                  eb.exists(
                    eb
                      .selectFrom('remittances as r')
                      .select('r.id')
                      .whereRef('r.era_file_id', '=', 'f.id')
                      .where((w) =>
                        w.or([w('r.practice_id', 'is', null), w('r.practice_id', '<>', f.practiceId)]),
                      ),
                  ),
                ),
              ]),
            );
          if (f.from) q = q.where('f.received_at', '>=', dayStart(f.from));
          if (f.to) q = q.where('f.received_at', '<', dayEnd(f.to));
          if (after) q = q.where('f.id', '>', after);
          return q.orderBy('f.id').limit(CHUNK).execute();
        },
        (row) => row.id,
      );
  }
}
