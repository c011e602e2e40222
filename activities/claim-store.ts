/**
 * Claim store activities: the claim's payer rules, corrections and the audit trail with its
 * claims-row projection. `recordClaimEvent` is the workflow's one way to write claim_events.
 */
import { recordClaimEvent } from '../db/claim-events.js';
import { applyCorrection } from '../db/corrections.js';
import { payerTypeOf, rulesInForce } from '../db/payer-rules.js';
import type { ClaimEventRecord } from '../db/records.js';
import { DEFAULT_RULES, type PayerRules } from '../domain/payer-rules.js';
import type { ActivityDeps } from './deps.js';
import { invalidCorrection, unknownPayer } from './failures.js';

export function createClaimStoreActivities({ db }: ActivityDeps) {
  return {
    /** The rules in force for the claim's payer and practice on a date, else the payer type's defaults. */
    async loadPayerRules(input: { payerId: string; practiceId: string; asOf: string }): Promise<PayerRules> {
      const rules = await rulesInForce(db, input.payerId, input.practiceId, input.asOf);
      if (rules) return rules;
      const payerType = await payerTypeOf(db, input.payerId);
      if (!payerType) throw unknownPayer(input.payerId);
      return DEFAULT_RULES[payerType] ?? DEFAULT_RULES.COMMERCIAL;
    },

    /** Applies a correction the workflow's update validator accepted; returns what changed. */
    async applyCorrection(input: { claimUuid: string; changes: Record<string, unknown>; actor: string }) {
      try {
        return await applyCorrection(db, input.claimUuid, input.changes);
      } catch (err) {
        if (err instanceof RangeError) throw invalidCorrection(err.message);
        throw err;
      }
    },

    async recordClaimEvent(input: ClaimEventRecord): Promise<void> {
      await recordClaimEvent(db, input);
    },
  };
}
