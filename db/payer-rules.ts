/**
 * Payer rules: the rules in force for a claim (the practice's own row for the payer if any, else the
 * payer default, with the latest `effective_from` on or before the date asked about), and rule versions
 * as the API reads and changes them. A change never edits a version: it adds one with its effective
 * date, and records who, when, the request id and the rules it replaces in `rule_changes`, in the same
 * transaction (`addRuleVersion`, the only writer of payer_rules).
 */

import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { PayerRules, PayerType } from '../domain/payer-rules.js';
import type { Db } from './pool.js';
import type { PayerRuleRow, PayerRulesTable } from './schema.js';

export function rulesFromRow(r: PayerRuleRow): PayerRules {
  return {
    followUpDays: r.follow_up_days,
    maxFollowUps: r.max_follow_ups,
    timelyFilingDays: r.timely_filing_days,
    appealWindowDays: r.appeal_window_days,
    appealDecisionFollowUpDays: r.appeal_decision_follow_up_days,
    reviewSlaDays: r.review_sla_days,
    reminderOffsetsDays: r.reminder_offsets_days,
    dunningCadenceDays: r.dunning_cadence_days,
    finalNoticeDays: r.final_notice_days,
    collectionsAfterDays: r.collections_after_days,
    receiptPresumptionDays: r.receipt_presumption_days,
  };
}

/** The payer's type (its default rules are chosen by it); undefined for a payer we do not know. */
export async function payerTypeOf(db: Db, payerId: string): Promise<PayerType | undefined> {
  const row = await db.selectFrom('payers').select('payer_type').where('id', '=', payerId).executeTakeFirst();
  return row?.payer_type as PayerType | undefined;
}

export async function rulesInForce(
  db: Db,
  payerId: string,
  practiceId: string,
  asOf: string,
): Promise<PayerRules | undefined> {
  const row = await db
    .selectFrom('payer_rules')
    .selectAll()
    .where('payer_id', '=', payerId)
    .where((eb) => eb.or([eb('practice_id', '=', practiceId), eb('practice_id', 'is', null)]))
    .where('effective_from', '<=', asOf)
    // Practice overrides first, then the newest effective date.
    .orderBy(sql`practice_id is null`)
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? rulesFromRow(row) : undefined;
}

/** The payer_rules row of a rule version: the one mapping from `PayerRules` to columns. */
function payerRuleValues(input: {
  payerId: string;
  practiceId: string | null;
  effectiveFrom: string;
  rules: PayerRules;
  createdBy: string;
}): Insertable<PayerRulesTable> {
  const r = input.rules;
  return {
    payer_id: input.payerId,
    practice_id: input.practiceId,
    effective_from: input.effectiveFrom,
    follow_up_days: r.followUpDays,
    max_follow_ups: r.maxFollowUps,
    timely_filing_days: r.timelyFilingDays,
    appeal_window_days: r.appealWindowDays,
    appeal_decision_follow_up_days: r.appealDecisionFollowUpDays,
    review_sla_days: r.reviewSlaDays,
    reminder_offsets_days: r.reminderOffsetsDays,
    dunning_cadence_days: r.dunningCadenceDays,
    final_notice_days: r.finalNoticeDays,
    collections_after_days: r.collectionsAfterDays,
    receipt_presumption_days: r.receiptPresumptionDays,
    created_by: input.createdBy,
  };
}

/** Every version of a payer's rules visible to the caller: the payer defaults and its practices' overrides. */
export async function ruleVersions(db: Db, payerId: string, practiceIds: readonly string[]) {
  const rows = await db
    .selectFrom('payer_rules')
    .selectAll()
    .where('payer_id', '=', payerId)
    .where((eb) =>
      practiceIds.length === 0
        ? eb('practice_id', 'is', null)
        : eb.or([eb('practice_id', 'is', null), eb('practice_id', 'in', [...practiceIds])]),
    )
    .orderBy(sql`practice_id nulls first`)
    .orderBy('effective_from', 'desc')
    .execute();
  return rows.map((r) => ({
    // bigserial ids arrive as numbers (db/pool.ts parses int8); the API shows ids as strings.
    id: String(r.id),
    practiceId: r.practice_id,
    effectiveFrom: r.effective_from,
    rules: rulesFromRow(r),
    createdBy: r.created_by,
    createdAt: r.created_at,
  }));
}

/** The audit trail of changes to a payer's rules visible to the caller, newest first. */
export async function ruleChanges(db: Db, payerId: string, practiceIds: readonly string[], limit: number) {
  return db
    .selectFrom('rule_changes')
    .selectAll()
    .where('payer_id', '=', payerId)
    .where((eb) =>
      practiceIds.length === 0
        ? eb('practice_id', 'is', null)
        : eb.or([eb('practice_id', 'is', null), eb('practice_id', 'in', [...practiceIds])]),
    )
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export type AddRuleVersionResult = { kind: 'added'; ruleId: string; changeId: string } | { kind: 'exists' };

/**
 * Adds a rule version for (payer, practice or null for the payer default, effective date) with its audit
 * row. `exists` when a version with that scope and date is already there (versions are never replaced).
 */
export async function addRuleVersion(
  db: Db,
  input: {
    payerId: string;
    practiceId: string | null;
    effectiveFrom: string;
    rules: PayerRules;
    actor: string;
    /** The API request that made the change; absent for the seed of the payer defaults. */
    requestId?: string;
  },
): Promise<AddRuleVersionResult> {
  return db.transaction().execute(async (trx) => {
    // What applied to this scope on that date before: the practice's own version, else the payer default.
    let before = trx
      .selectFrom('payer_rules')
      .selectAll()
      .where('payer_id', '=', input.payerId)
      .where('effective_from', '<=', input.effectiveFrom);
    before =
      input.practiceId === null
        ? before.where('practice_id', 'is', null)
        : before.where((eb) =>
            eb.or([eb('practice_id', '=', input.practiceId), eb('practice_id', 'is', null)]),
          );
    const previous = await before
      .orderBy(sql`practice_id is null`)
      .orderBy('effective_from', 'desc')
      .limit(1)
      .executeTakeFirst();
    const inserted = await trx
      .insertInto('payer_rules')
      .values(
        payerRuleValues({
          payerId: input.payerId,
          practiceId: input.practiceId,
          effectiveFrom: input.effectiveFrom,
          rules: input.rules,
          createdBy: input.actor,
        }),
      )
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return { kind: 'exists' } as const;
    const change = await trx
      .insertInto('rule_changes')
      .values({
        payer_rule_id: inserted.id,
        payer_id: input.payerId,
        practice_id: input.practiceId,
        effective_from: input.effectiveFrom,
        actor: input.actor,
        request_id: input.requestId ?? null,
        previous: previous
          ? JSON.stringify({
              practiceId: previous.practice_id,
              effectiveFrom: previous.effective_from,
              rules: rulesFromRow(previous),
            })
          : null,
        rules: JSON.stringify(input.rules),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { kind: 'added', ruleId: String(inserted.id), changeId: String(change.id) } as const;
  });
}

export async function setSignalledClaims(db: Db, changeId: string, count: number): Promise<void> {
  await db.updateTable('rule_changes').set({ signalled_claims: count }).where('id', '=', changeId).execute();
}
