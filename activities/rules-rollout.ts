/**
 * Payer-rule rollout activities: page through the open claims a rule change affects and tell each to
 * reload its rules. The signal is idempotent for the claim (it just reloads), so a retried page is
 * harmless.
 */
import { openClaimsOfPayer } from '../db/claims.js';
import { setSignalledClaims } from '../db/payer-rules.js';
import { tellRulesChanged } from '../temporal/claim-client.js';
import type { ActivityDeps } from './deps.js';

export function createRulesRolloutActivities({ db, temporal }: ActivityDeps) {
  return {
    /** One page of a rule rollout: signals `payerRulesChanged` to open claims of the payer after `afterId`. */
    async signalRulesChange(input: {
      payerId: string;
      practiceIds: string[] | 'all';
      afterId?: string;
      limit: number;
    }): Promise<{ signalled: number; lastId?: string }> {
      const page = await openClaimsOfPayer(db, input);
      let signalled = 0;
      for (const claim of page) {
        // A claim whose run closed since the page was read has nothing to reload.
        if (await tellRulesChanged(temporal, claim.workflow_id)) signalled++;
      }
      return { signalled, lastId: page.length === input.limit ? page[page.length - 1]!.id : undefined };
    },

    async recordRulesRollout(input: { changeId: string; signalled: number }): Promise<void> {
      await setSignalledClaims(db, input.changeId, input.signalled);
    },
  };
}
