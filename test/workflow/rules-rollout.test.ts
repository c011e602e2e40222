import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import type { RulesRolloutInput } from '../../workflows/rules-rollout.js';
import { createTimeSkippingEnv, DAY } from '../support/time-skipping.js';

describe('payer rule rollout', () => {
  it('a future-dated rule version reaches the waiting claims on its effective date, page by page', async () => {
    const env = await createTimeSkippingEnv();
    try {
      const pages: { at: number; afterId?: string }[] = [];
      const recorded: { changeId: string; signalled: number }[] = [];
      const taskQueue = `tq-${randomUUID()}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: { codePath: inject('workflowBundlePath') },
        activities: {
          // Three pages of open claims: 200 + 200 + 57.
          async signalRulesChange(input: { afterId?: string; limit: number }) {
            pages.push({
              at: Context.current().info.currentAttemptScheduledTimestampMs,
              afterId: input.afterId,
            });
            const n = pages.length;
            return n < 3 ? { signalled: 200, lastId: `claim-${n * 200}` } : { signalled: 57 };
          },
          async recordRulesRollout(input: { changeId: string; signalled: number }) {
            recorded.push(input);
          },
        },
      });
      const now = await env.currentTimeMs();
      const effectiveFrom = new Date(now + 30 * DAY).toISOString().slice(0, 10);
      const input: RulesRolloutInput = {
        changeId: '42',
        payerId: 'ACME-HEALTH',
        practiceIds: 'all',
        effectiveFrom,
      };
      await worker.runUntil(async () => {
        const handle = await env.client.workflow.start('payerRulesRolloutWorkflow', {
          taskQueue,
          workflowId: `rules-rollout-${randomUUID()}`,
          args: [input],
        });
        await env.sleep(10 * DAY);
        expect(pages).toEqual([]);
        await env.sleep(25 * DAY);
        expect(await handle.result()).toEqual({ signalled: 457 });
      });
      expect(pages.map((p) => p.afterId)).toEqual([undefined, 'claim-200', 'claim-400']);
      expect(pages[0]!.at).toBeGreaterThanOrEqual(Date.parse(`${effectiveFrom}T00:00:00Z`));
      expect(recorded).toEqual([{ changeId: '42', signalled: 457 }]);
    } finally {
      await env.teardown();
    }
  });
});
