/**
 * Brings a payer-rule change to the claims waiting on it. Started by the API for every new rule version
 * (`rules-rollout-<changeId>`): it sleeps until the version's effective date (a durable timer, so a
 * future-dated rule still reaches waiting claims on its day), then signals `payerRulesChanged` to the
 * payer's open claims page by page, so a payer with many open claims never loads an API request.
 */
import * as wf from '@temporalio/workflow';
import { rollout as store } from './activities.js';

export interface RulesRolloutInput {
  changeId: string;
  payerId: string;
  /** The practices whose claims the version applies to; 'all' for a payer default. */
  practiceIds: string[] | 'all';
  /** YYYY-MM-DD, first day the version is in force. */
  effectiveFrom: string;
}

export async function payerRulesRolloutWorkflow(input: RulesRolloutInput): Promise<{ signalled: number }> {
  const effectiveAt = Date.parse(`${input.effectiveFrom}T00:00:00Z`);
  if (effectiveAt > Date.now()) await wf.sleep(effectiveAt - Date.now());
  let signalled = 0;
  let afterId: string | undefined;
  for (;;) {
    const page = await store.signalRulesChange({
      payerId: input.payerId,
      practiceIds: input.practiceIds,
      afterId,
      limit: 200,
    });
    signalled += page.signalled;
    if (!page.lastId) break;
    afterId = page.lastId;
  }
  await store.recordRulesRollout({ changeId: input.changeId, signalled });
  return { signalled };
}
