/**
 * Read queries behind the claims screens: the filtered, keyset-paginated claim list, a claim's timeline
 * (claim_events) and its remittances with their adjustments. Every query is scoped by practice ids the
 * caller has already checked against the principal.
 */
import { sql } from 'kysely';
import type { Db } from '../pool.js';
import type { ClaimRow } from '../schema.js';
import { cursorTimestamp, dayEnd, dayStart } from './sql-fragments.js';

/** Filters of GET /claims; every array filter means "any of". Date bounds are inclusive ISO dates. */
export interface ClaimListFilter {
  practiceIds: readonly string[];
  statuses?: readonly string[];
  payerIds?: readonly string[];
  denialCategories?: readonly string[];
  assignedTo?: string;
  unassigned?: boolean;
  escalated?: boolean;
  createdFrom?: string;
  createdTo?: string;
  dateOfServiceFrom?: string;
  dateOfServiceTo?: string;
  deniedFrom?: string;
  deniedTo?: string;
  minOpenBalanceCents?: number;
  maxOpenBalanceCents?: number;
  /** Rows strictly after this position in (created_at desc, id desc) order. */
  after?: { createdAt: string; id: string };
  limit: number;
}

export type ClaimListRow = ClaimRow & { cursor_ts: string };

/** One page of claims, newest first; returns up to `limit + 1` rows so the caller knows if more exist. */
export async function listClaims(db: Db, f: ClaimListFilter): Promise<ClaimListRow[]> {
  let q = db
    .selectFrom('claims as c')
    .selectAll('c')
    .select(cursorTimestamp('c.created_at').as('cursor_ts'))
    .where('c.practice_id', 'in', [...f.practiceIds]);
  if (f.statuses?.length) q = q.where('c.status', 'in', [...f.statuses]);
  if (f.payerIds?.length) q = q.where('c.payer_id', 'in', [...f.payerIds]);
  if (f.denialCategories?.length) q = q.where('c.denial_category', 'in', [...f.denialCategories]);
  if (f.assignedTo !== undefined) q = q.where('c.assigned_to', '=', f.assignedTo);
  if (f.unassigned) q = q.where('c.assigned_to', 'is', null);
  if (f.escalated !== undefined) q = q.where('c.escalated', '=', f.escalated);
  if (f.createdFrom) q = q.where('c.created_at', '>=', dayStart(f.createdFrom));
  if (f.createdTo) q = q.where('c.created_at', '<', dayEnd(f.createdTo));
  if (f.dateOfServiceFrom) q = q.where('c.date_of_service', '>=', f.dateOfServiceFrom);
  if (f.dateOfServiceTo) q = q.where('c.date_of_service', '<=', f.dateOfServiceTo);
  if (f.deniedFrom) q = q.where('c.first_denied_at', '>=', dayStart(f.deniedFrom));
  if (f.deniedTo) q = q.where('c.first_denied_at', '<', dayEnd(f.deniedTo));
  if (f.minOpenBalanceCents !== undefined) q = q.where('c.open_balance_cents', '>=', f.minOpenBalanceCents);
  if (f.maxOpenBalanceCents !== undefined) q = q.where('c.open_balance_cents', '<=', f.maxOpenBalanceCents);
  if (f.after) {
    const { createdAt, id } = f.after;
    q = q.where(sql<boolean>`(c.created_at, c.id) < (${createdAt}::timestamptz, ${id}::uuid)`);
  }
  return q
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(f.limit + 1)
    .execute();
}

/** A claim's audit trail in order, after event id `afterId`; up to `limit + 1` rows. */
export async function claimEvents(db: Db, claimUuid: string, afterId: string | undefined, limit: number) {
  let q = db
    .selectFrom('claim_events')
    .select(['id', 'at', 'actor', 'kind', 'from_status', 'to_status', 'reason', 'data', 'request_id'])
    .where('claim_id', '=', claimUuid);
  if (afterId) q = q.where('id', '>', afterId);
  return q
    .orderBy('id')
    .limit(limit + 1)
    .execute();
}

/** Every posting of a claim (oldest first) with its CAS adjustments. */
export async function claimPostings(db: Db, claimUuid: string) {
  const payments = await db
    .selectFrom('claim_payments as p')
    .innerJoin('remittances as r', 'r.id', 'p.remittance_id')
    .select([
      'p.id',
      'p.payer_id',
      'p.trace_number',
      'r.payment_date',
      'p.payer_claim_number',
      'p.status_code',
      'p.is_reversal',
      'p.charge_cents',
      'p.paid_cents',
      'p.patient_responsibility_cents',
      'p.remark_codes',
      'p.posted_at',
    ])
    .where('p.claim_id', '=', claimUuid)
    .orderBy('p.posted_at')
    .orderBy('p.id')
    .execute();
  const adjustments =
    payments.length === 0
      ? []
      : await db
          .selectFrom('claim_adjustments')
          .select([
            'claim_payment_id',
            'line_number',
            'procedure_code',
            'group_code',
            'reason_code',
            'amount_cents',
            'remark_codes',
          ])
          .where(
            'claim_payment_id',
            'in',
            payments.map((p) => p.id),
          )
          .orderBy('id')
          .execute();
  return payments.map((p) => ({ ...p, adjustments: adjustments.filter((a) => a.claim_payment_id === p.id) }));
}
