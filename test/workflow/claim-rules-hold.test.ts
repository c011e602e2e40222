/**
 * The pre-submission scrubber in the claim workflow (time-skipping, faked activities): a holding
 * finding stops the submission in HOLD, with the timely filing limit still counted; a biller either
 * corrects the claim (it is scrubbed again, then filed) or overrides the rule with a reason, which the
 * timeline records (docs/claim-rules.md).
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { ScrubFinding } from '../../domain/claim-scrubber.js';
import * as m from '../../workflows/messages.js';
import { runClaim } from '../support/time-skipping.js';

const hold: ScrubFinding = {
  ruleKey: 'learned-acme-99213-25',
  version: 1,
  action: 'HOLD',
  lineNumber: 1,
  message: 'line 1: 99213 needs modifier 25',
};
const warn: ScrubFinding = {
  ruleKey: 'tf-soon',
  version: 2,
  action: 'WARN',
  message: 'timely filing ends in 9 day(s)',
};

describe('claims held by claim rules', () => {
  it('a holding finding stops the submission; an override with a reason files it, audited', async () => {
    const world = await runClaim(
      { scrubs: [[hold, warn], [hold]] },
      async (h) => {
        const held = await h.waitFor((v) => v.status === 'HOLD', 'hold');
        expect(held.deadlines.some((dl) => dl.kind === 'TIMELY_FILING')).toBe(true);
        const refused = await h.handle
          .executeUpdate(m.overrideClaimRulesUpdate, { args: [{ actor: 'biller-1', reason: ' ' }] })
          .catch((e) => e);
        expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
        expect(String(refused.cause?.message)).toContain('a reason is required');
        const filed = await h.handle.executeUpdate(m.overrideClaimRulesUpdate, {
          args: [{ actor: 'biller-1', reason: 'modifier 25 does not apply: no separate E/M service' }],
        });
        expect(filed.status).toBe('AWAITING_ADJUDICATION');
      },
      { recordAs: 'r-claim-rule-hold-overridden' },
    );
    expect(world.statuses()).toEqual(['HOLD', 'SUBMITTING', 'AWAITING_ADJUDICATION']);
    expect(world.count('submitClaim')).toBe(1);
    const overridden = world.events.find((e) => e.kind === 'CLAIM_RULES_OVERRIDDEN');
    expect(overridden).toMatchObject({ actor: 'biller-1' });
    expect(overridden?.reason).toContain('no separate E/M service');
    // The overridden rule still shows, as a warning, on the submission it no longer holds.
    const warnings = world.events.filter((e) => e.kind === 'CLAIM_RULE_WARNING');
    expect(warnings.map((e) => e.reason)).toEqual([
      'timely filing ends in 9 day(s)',
      'line 1: 99213 needs modifier 25',
    ]);
  });

  it('a corrected held claim is scrubbed again and filed as an original', async () => {
    const world = await runClaim({ scrubs: [[hold], []] }, async (h) => {
      await h.waitFor((v) => v.status === 'HOLD', 'hold');
      const filed = await h.handle.executeUpdate(m.resubmitCorrectedUpdate, {
        args: [{ actor: 'biller-2', reason: 'add modifier 25', changes: { 'lines.1.modifiers': ['25'] } }],
      });
      expect(filed.status).toBe('AWAITING_ADJUDICATION');
    });
    expect(world.statuses()).toEqual(['HOLD', 'RESUBMITTED', 'AWAITING_ADJUDICATION']);
    expect(world.count('scrubClaim')).toBe(2);
    const submit = world.calls.find((c) => c.name === 'submitClaim')!.input as { frequencyCode: string };
    expect(submit.frequencyCode).toBe('1');
  });
});
