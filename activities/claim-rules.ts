/**
 * Scrubber and miner activities (docs/claim-rules.md): the claim checked against the practice's rules in
 * force before it is filed, and the practice's first adjudications mined for rule proposals. Both only
 * read, or write idempotently (a proposal per combination), so a retry is harmless.
 */
import { firstAdjudicatedLines, latestClaimRules, upsertProposals } from '../db/claim-rules.js';
import {
  DEFAULT_MINER_THRESHOLDS,
  type MinerThresholds,
  mineProposals,
  type ScrubFinding,
  scrub,
} from '../domain/claim-scrubber.js';
import type { ActivityDeps } from './deps.js';

export function createClaimRuleActivities({ db }: ActivityDeps) {
  return {
    /** The findings of the practice's rules in force on the claim as stored now. */
    async scrubClaim(input: { claimUuid: string; timelyFilingAt: number }): Promise<ScrubFinding[]> {
      const claim = await db
        .selectFrom('claims')
        .select(['practice_id', 'payer_id', 'diagnosis_codes'])
        .where('id', '=', input.claimUuid)
        .executeTakeFirstOrThrow();
      const lines = await db
        .selectFrom('claim_lines')
        .select(['line_number', 'procedure_code', 'modifiers'])
        .where('claim_id', '=', input.claimUuid)
        .orderBy('line_number')
        .execute();
      const rules = await latestClaimRules(db, claim.practice_id, { activeOnly: true });
      return scrub(
        {
          payerId: claim.payer_id,
          diagnosisCodes: claim.diagnosis_codes,
          lines: lines.map((l) => ({
            lineNumber: l.line_number,
            procedureCode: l.procedure_code,
            modifiers: l.modifiers,
          })),
          msToTimelyFiling: input.timelyFilingAt - Date.now(),
        },
        rules,
      );
    },

    /** Mines every practice (or the ones named) and stores the proposals; answers how many it wrote. */
    async mineClaimRules(input: {
      practiceIds?: string[];
      thresholds?: Partial<MinerThresholds>;
    }): Promise<{ practices: number; proposals: number }> {
      const thresholds = { ...DEFAULT_MINER_THRESHOLDS, ...input.thresholds };
      const practiceIds =
        input.practiceIds ?? (await db.selectFrom('practices').select('id').execute()).map((p) => p.id);
      let proposals = 0;
      for (const practiceId of practiceIds) {
        const found = mineProposals(await firstAdjudicatedLines(db, practiceId), thresholds);
        proposals += await upsertProposals(db, practiceId, found);
      }
      return { practices: practiceIds.length, proposals };
    },
  };
}
