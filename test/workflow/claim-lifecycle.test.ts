import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../domain/payer-rules.js';
import type { claimWorkflow } from '../../workflows/claim/index.js';
import * as m from '../../workflows/messages.js';
import { ClaimStatusKey, EscalatedKey } from '../../workflows/search-attributes.js';
import { DAY, isoDay, remittance, runClaim } from '../support/time-skipping.js';

describe('long life', () => {
  it('(l) a reversal months later reopens a paid claim as a new run; the corrected repost pays it again', async () => {
    const world = await runClaim(
      {},
      async (h) => {
        await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
        await h.remit({
          paidCents: 18_000,
          adjustments: [{ group: 'CO', reason: '45', amountCents: 2_000 }],
        });
        const firstRun = await h.handle.result();
        expect(firstRun.status).toBe('PAID');
        await h.env.sleep(90 * DAY);

        // What ERA posting does for a closed claim: signal-with-start from its Postgres row.
        const reversal = remittance(h.ref, {
          paymentDate: isoDay(await h.now()),
          statusCode: '22',
          paidCents: -18_000,
          adjustments: [{ group: 'CO', reason: '45', amountCents: -2_000 }],
        });
        const reopened = await h.env.client.workflow.signalWithStart<typeof claimWorkflow, [typeof reversal]>(
          'claimWorkflow',
          {
            workflowId: h.handle.workflowId,
            taskQueue: (await h.handle.describe()).taskQueue,
            args: [
              {
                claim: h.ref,
                resume: {
                  fromRow: {
                    status: 'PAID',
                    payerClaimNumber: 'ICN1',
                    frequencyCode: '1',
                    paidCents: 18_000,
                    adjustmentCents: 2_000,
                    patientResponsibilityCents: 0,
                    patientPaidCents: 0,
                    writtenOffCents: 0,
                    assignedTo: null,
                    lastEventSeq: 1_000,
                    submissions: 1,
                    seenPostings: [],
                  },
                },
              },
            ],
            signal: m.remittanceReceivedSignal,
            signalArgs: [reversal],
          },
        );
        expect(reopened.signaledRunId).not.toBe(firstRun.workflowId);
        const open = await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'reopened');
        expect(open.balances).toMatchObject({ paidCents: 0, contractualCents: 0, openBalanceCents: 20_000 });
        expect(open.nextTimer?.kind).toBe('FOLLOW_UP');
        expect((await h.handle.describe()).typedSearchAttributes.get(ClaimStatusKey)).toBe(
          'AWAITING_ADJUDICATION',
        );

        // The same reversal delivered again (a retried ERA ingestion) changes nothing.
        await h.handle.signal(m.remittanceReceivedSignal, reversal);
        await h.remit({
          paidCents: 19_000,
          adjustments: [{ group: 'CO', reason: '45', amountCents: 1_000 }],
        });
        const repaid = await h.waitFor((v) => v.status === 'PAID', 'repost');
        expect(repaid.balances).toMatchObject({
          paidCents: 19_000,
          contractualCents: 1_000,
          openBalanceCents: 0,
        });
      },
      { recordAs: 'l-reversal-reopens' },
    );
    expect(world.events.map((e) => e.kind)).toContain('REOPENED');
    expect(world.statuses()).toEqual(['AWAITING_ADJUDICATION', 'PAID', 'AWAITING_ADJUDICATION', 'PAID']);
    // Event keys continue past the first run's, so the audit trail never collides.
    const keys = world.events.map((e) => e.eventKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('(o) a claim with 500 follow-ups continues as new and keeps its state, deadlines and escalation', async () => {
    const rules = { ...DEFAULT_RULES.COMMERCIAL, followUpDays: 1, maxFollowUps: 3, timelyFilingDays: 900 };
    const world = await runClaim(
      { rules, statuses: [{ category: 'P1', message: 'still pending' }] },
      async (h) => {
        await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
        const firstRunId = (await h.handle.describe()).runId;
        for (let i = 0; i < 10; i++) {
          await h.env.sleep(50 * DAY);
          await h.waitFor((v) => v.followUps >= (i + 1) * 50, `${(i + 1) * 50} follow-ups`);
        }
        // Between a timer firing and its inquiry finishing no timer is pending: wait for the next one.
        const v = await h.waitFor(
          (x) => x.followUps === 500 && x.nextTimer !== undefined,
          'the 501st follow-up timer',
        );
        expect(v.followUps).toBe(500);
        expect(v.status).toBe('AWAITING_ADJUDICATION');
        expect(v.submissions).toBe(1);
        expect(v.escalated).toBe(true);
        expect(v.escalations).toEqual(['FOLLOW_UPS_EXHAUSTED:1']);
        expect(v.nextTimer?.kind).toBe('FOLLOW_UP');
        const desc = await h.handle.describe();
        expect(desc.runId).not.toBe(firstRunId);
        expect(desc.historyLength).toBeLessThan(1_200);
        await h.remit({
          paidCents: 20_000,
          adjustments: [],
        });
        await h.waitFor((x) => x.status === 'PAID', 'payment');
      },
      { historyBudget: 1_000 },
    );
    expect(world.count('claimStatusInquiry')).toBe(500);
    expect(world.notifications.filter((n) => n.kind === 'ESCALATION')).toHaveLength(1);
    // Audit event keys stay unique across runs.
    const keys = world.events.map((e) => e.eventKey);
    expect(new Set(keys).size).toBe(keys.length);
  }, 180_000);

  it('a payer rule change reaches a waiting claim: its follow-up timer moves to the rule now in force', async () => {
    const world = await runClaim({ rules: { ...DEFAULT_RULES.COMMERCIAL, followUpDays: 30 } }, async (h) => {
      const waiting = await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
      const submittedAt = Date.parse(waiting.nextTimer!.at) - 30 * DAY;
      h.world.script.rules = { ...DEFAULT_RULES.COMMERCIAL, followUpDays: 10 };
      await h.handle.signal(m.payerRulesChangedSignal);
      const moved = await h.waitFor((v) => v.rules?.followUpDays === 10, 'new rule');
      expect(Date.parse(moved.nextTimer!.at) - submittedAt).toBe(10 * DAY);
      await h.env.sleep(10 * DAY + 60_000);
      await h.waitFor((v) => v.followUps === 1, 'follow-up on the new schedule');
    });
    expect(world.events.map((e) => e.kind)).toContain('PAYER_RULES_CHANGED');
  });

  it('a denial waiting in review beyond the SLA is escalated and the supervisor is notified once', async () => {
    const world = await runClaim({ rules: { ...DEFAULT_RULES.COMMERCIAL, reviewSlaDays: 10 } }, async (h) => {
      await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
      await h.remit({
        paidCents: 0,
        adjustments: [{ group: 'CO', reason: '4', amountCents: 20_000 }],
      });
      const review = await h.waitFor((v) => v.status === 'NEEDS_REVIEW', 'review');
      expect(review.escalated).toBe(false);
      expect(review.deadlines.map((d) => d.kind)).toContain('REVIEW_SLA');
      await h.env.sleep(11 * DAY);
      const late = await h.waitFor((v) => v.escalated, 'SLA escalation');
      expect(late.escalations.some((e) => e.startsWith('REVIEW_SLA_MISSED'))).toBe(true);
      expect((await h.handle.describe()).typedSearchAttributes.get(EscalatedKey)).toBe(true);
      // Acting on the claim clears the flag.
      const acted = await h.handle.executeUpdate(m.resubmitCorrectedUpdate, {
        args: [{ actor: 'biller-1', reason: 'fixed modifier', changes: { 'lines.1.modifiers': ['59'] } }],
      });
      expect(acted.escalated).toBe(false);
    });
    expect(
      world.notifications.filter((n) => n.kind === 'ESCALATION' && n.channel === 'supervisor'),
    ).toHaveLength(1);
  });
});
