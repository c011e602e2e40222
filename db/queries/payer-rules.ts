/**
 * Payer-rule versions as the API reads and changes them. A change never edits a version: it adds one
 * with its effective date, and records who, when, the request id and the rules it replaces in
 * `rule_changes`, in the same transaction.
 */

import { sql } from 'kysely';
import type { PayerRules } from '../../domain/payer-rules.js';
import { payerRuleValues, rulesFromRow } from '../payer-rules.js';
import type { Db } from '../pool.js';
import { isOpenClaim } from './sql-fragments.js';

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
    requestId: string;
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
        request_id: input.requestId,
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

/**
 * One page of the running claims a rule change affects: open claims of the payer, of the given practices
 * (all practices for a payer-default change), by id.
 */
export async function openClaimsOfPayer(
  db: Db,
  input: { payerId: string; practiceIds: readonly string[] | 'all'; afterId?: string; limit: number },
): Promise<{ id: string; workflow_id: string }[]> {
  let q = db
    .selectFrom('claims as c')
    .select(['c.id', 'c.workflow_id'])
    .where('c.payer_id', '=', input.payerId)
    .where(isOpenClaim('c'));
  if (input.practiceIds !== 'all') q = q.where('c.practice_id', 'in', [...input.practiceIds]);
  if (input.afterId) q = q.where('c.id', '>', input.afterId);
  return q.orderBy('c.id').limit(input.limit).execute();
}
