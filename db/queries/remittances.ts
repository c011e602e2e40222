/**
 * Remittance lists and the manual match of an unmatched claim loop. A remittance or unmatched loop
 * whose payee matched no practice (practice_id null) belongs to nobody yet: only an admin sees it.
 */
import { sql } from 'kysely';
import type { Remittance835 } from '../../domain/x12/index.js';
import { postClaimPayment } from '../era.js';
import type { Db } from '../pool.js';
import type { ClaimRow } from '../schema.js';
import { cursorTimestamp, dayEnd, dayStart } from './sql-fragments.js';

/** Which practice-less rows a caller may see besides its practices' own. */
export interface PracticeScope {
  practiceIds: readonly string[];
  includeUnassigned: boolean;
}

function inScope(column: string, scope: PracticeScope) {
  const own = sql`${sql.ref(column)} in (${sql.join([...scope.practiceIds])})`;
  return scope.includeUnassigned
    ? sql<boolean>`(${own} or ${sql.ref(column)} is null)`
    : sql<boolean>`${own}`;
}

export interface RemittanceListFilter {
  scope: PracticeScope;
  payerId?: string;
  receivedFrom?: string;
  receivedTo?: string;
  after?: { receivedAt: string; id: string };
  limit: number;
}

/** Remittances (one per 835 transaction set), newest first, with their posted and unmatched loop counts. */
export async function listRemittances(db: Db, f: RemittanceListFilter) {
  let q = db
    .selectFrom('remittances')
    .select([
      'remittances.id',
      'remittances.era_file_id',
      'remittances.practice_id',
      'remittances.payer_id',
      'remittances.trace_number',
      'remittances.payment_cents',
      'remittances.payment_method',
      'remittances.payment_date',
      'remittances.received_at',
    ])
    .select(cursorTimestamp('remittances.received_at').as('cursor_ts'))
    .select((eb) => [
      eb
        .selectFrom('claim_payments')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('claim_payments.remittance_id', '=', 'remittances.id')
        .as('posted_claims'),
      eb
        .selectFrom('unmatched_claim_payments')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('unmatched_claim_payments.remittance_id', '=', 'remittances.id')
        .as('unmatched_claims'),
    ])
    .where(inScope('remittances.practice_id', f.scope));
  if (f.payerId) q = q.where('remittances.payer_id', '=', f.payerId);
  if (f.receivedFrom) q = q.where('remittances.received_at', '>=', dayStart(f.receivedFrom));
  if (f.receivedTo) q = q.where('remittances.received_at', '<', dayEnd(f.receivedTo));
  if (f.after) {
    const { receivedAt, id } = f.after;
    q = q.where(
      sql<boolean>`(remittances.received_at, remittances.id) < (${receivedAt}::timestamptz, ${id}::uuid)`,
    );
  }
  return q
    .orderBy('remittances.received_at', 'desc')
    .orderBy('remittances.id', 'desc')
    .limit(f.limit + 1)
    .execute();
}

export interface UnmatchedFilter {
  scope: PracticeScope;
  status: 'OPEN' | 'MATCHED';
  after?: { createdAt: string; id: string };
  limit: number;
}

/** The unmatched queue, oldest first (the longest-waiting money first). */
export async function listUnmatched(db: Db, f: UnmatchedFilter) {
  let q = db
    .selectFrom('unmatched_claim_payments')
    .innerJoin('remittances', 'remittances.id', 'unmatched_claim_payments.remittance_id')
    .selectAll('unmatched_claim_payments')
    .select(['remittances.trace_number', 'remittances.payment_date'])
    .select(cursorTimestamp('unmatched_claim_payments.created_at').as('cursor_ts'))
    .where('unmatched_claim_payments.status', '=', f.status)
    .where(inScope('unmatched_claim_payments.practice_id', f.scope));
  if (f.after) {
    const { createdAt, id } = f.after;
    q = q.where(
      sql<boolean>`(unmatched_claim_payments.created_at, unmatched_claim_payments.id) > (${createdAt}::timestamptz, ${id}::uuid)`,
    );
  }
  return q
    .orderBy('unmatched_claim_payments.created_at')
    .orderBy('unmatched_claim_payments.id')
    .limit(f.limit + 1)
    .execute();
}

export async function getUnmatched(db: Db, id: string) {
  return db.selectFrom('unmatched_claim_payments').selectAll().where('id', '=', id).executeTakeFirst();
}

export type ManualMatchResult =
  | { kind: 'posted'; paymentId: string }
  | { kind: 'not_open'; status: string }
  | { kind: 'already_posted' };

/**
 * Posts an unmatched claim loop to the chosen claim and marks it MATCHED, in one transaction (the row is
 * locked first, so two supervisors matching the same loop post it once). The posting reuses the ERA
 * posting code, so its key (payer, trace, CLP01, CLP07) still guards against posting the loop twice.
 */
export async function matchUnmatched(
  db: Db,
  input: { unmatchedId: string; claim: ClaimRow; matchedBy: string },
): Promise<ManualMatchResult> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('unmatched_claim_payments')
      .selectAll()
      .where('id', '=', input.unmatchedId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.status !== 'OPEN') return { kind: 'not_open', status: row.status } as const;
    const remittance = await trx
      .selectFrom('remittances')
      .select(['id', 'parsed'])
      .where('id', '=', row.remittance_id)
      .executeTakeFirstOrThrow();
    const parsed = remittance.parsed as Remittance835;
    const posted = await postClaimPayment(trx, {
      claim: input.claim,
      remittanceId: remittance.id,
      payerId: row.payer_id,
      r: parsed,
      claimIndex: row.claim_index,
    });
    if (!posted) return { kind: 'already_posted' } as const;
    await trx
      .updateTable('unmatched_claim_payments')
      .set({
        status: 'MATCHED',
        matched_claim_id: input.claim.id,
        matched_by: input.matchedBy,
        matched_at: new Date(),
      })
      .where('id', '=', row.id)
      .execute();
    const payment = await trx
      .selectFrom('claim_payments')
      .select('id')
      .where('claim_id', '=', input.claim.id)
      .where('remittance_id', '=', remittance.id)
      .where('patient_control_number', '=', parsed.claims[row.claim_index]!.patientControlNumber)
      .orderBy('posted_at', 'desc')
      .executeTakeFirstOrThrow();
    return { kind: 'posted', paymentId: payment.id } as const;
  });
}

/** The summary signalled to the claim for one posting (stored by the posting itself). */
export async function postingSummary(db: Db, paymentId: string): Promise<unknown> {
  const row = await db
    .selectFrom('claim_payments')
    .select('summary')
    .where('id', '=', paymentId)
    .executeTakeFirstOrThrow();
  return row.summary;
}
