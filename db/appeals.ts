/**
 * Appeals of a claim, one row per level (docs/deadlines.md for the appeal windows). Filing is keyed by
 * (claim, level), so a retried filing records the payer's appeal id once.
 */
import type { Db } from './pool.js';

/** Records an appeal the payer acknowledged; a retry of the same level only refreshes the payer's id. */
export async function recordAppealFiled(
  db: Db,
  input: {
    claimUuid: string;
    level: number;
    grounds: string;
    attachments: string[];
    deadline: string;
    payerAppealId: string;
    filedBy: string;
    filedAt: string;
  },
): Promise<void> {
  await db
    .insertInto('appeals')
    .values({
      claim_id: input.claimUuid,
      level: input.level,
      grounds: input.grounds,
      attachments: input.attachments,
      deadline: input.deadline,
      payer_appeal_id: input.payerAppealId,
      status: 'pending',
      filed_by: input.filedBy,
      filed_at: input.filedAt,
    })
    .onConflict((oc) =>
      oc.columns(['claim_id', 'level']).doUpdateSet({ payer_appeal_id: input.payerAppealId }),
    )
    .execute();
}

/** Records the payer's decision on an appeal level. */
export async function recordAppealDecision(
  db: Db,
  input: {
    claimUuid: string;
    level: number;
    outcome: 'overturned' | 'upheld';
    reason: string | null;
    decidedAt: string;
  },
): Promise<void> {
  await db
    .updateTable('appeals')
    .set({ status: input.outcome, decision_reason: input.reason, decided_at: input.decidedAt })
    .where('claim_id', '=', input.claimUuid)
    .where('level', '=', input.level)
    .execute();
}
