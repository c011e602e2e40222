/**
 * Payer rules in force: the practice's own row for the payer if any, else the payer default, with the
 * latest `effective_from` on or before the date asked about.
 */

import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { PayerRules } from '../domain/payer-rules.js';
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
export function payerRuleValues(input: {
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

/** Adds a rule version (never edits one: the history of rules is part of the audit trail). */
export async function insertRules(
  db: Db,
  input: {
    payerId: string;
    practiceId: string | null;
    effectiveFrom: string;
    rules: PayerRules;
    createdBy: string;
  },
): Promise<void> {
  await db.insertInto('payer_rules').values(payerRuleValues(input)).execute();
}
