import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { addCalendarDays } from '../../domain/calendar.js';
import { FailureType } from '../../domain/failures.js';
import { DEFAULT_RULES } from '../../domain/payer-rules.js';
import { endOfDayIn, localDateOf } from '../../domain/time-zones.js';
import * as m from '../../workflows/messages.js';
import {
  ClaimStatusKey,
  DenialCategoryKey,
  EscalatedKey,
  NextDeadlineKey,
} from '../../workflows/search-attributes.js';
import { DAY, isoDay, remittance, runClaim } from '../support/time-skipping.js';

const biller = { actor: 'biller-7' };

describe('denials, corrections and appeals', () => {
  it('(c) the payer has no record (277 A4): the claim is resubmitted with a new idempotency key and then paid', async () => {
    const world = await runClaim(
      {
        statuses: [
          { category: 'A4', message: 'claim not found' },
          { category: 'P1', message: 'pending' },
        ],
      },
      async (h) => {
        await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
        await h.env.sleep(30 * DAY + 60_000);
        const v = await h.waitFor(
          (x) => x.submissions === 2 && x.status === 'AWAITING_ADJUDICATION',
          'resubmission',
        );
        expect(v.followUps).toBe(0);
        await h.remit({
          paidCents: 20_000,
          adjustments: [],
        });
        await h.waitFor((x) => x.status === 'PAID', 'payment');
      },
      { recordAs: 'c-no-record-resubmitted' },
    );
    const keys = world.calls
      .filter((c) => c.name === 'submitClaim')
      .map((c) => (c.input as { idempotencyKey: string }).idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
    expect(world.statuses()).toEqual([
      'AWAITING_ADJUDICATION',
      'RESUBMITTED',
      'AWAITING_ADJUDICATION',
      'PAID',
    ]);
  });

  it('(d) CO-16 with a RARC lands in NEEDS_REVIEW as missing information; a corrected claim (frequency 7) is then paid', async () => {
    const world = await runClaim(
      {},
      async (h) => {
        await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
        await h.remit({
          paidCents: 0,
          adjustments: [{ group: 'CO', reason: '16', amountCents: 20_000 }],
          remarkCodes: ['M51'],
        });
        const review = await h.waitFor((v) => v.status === 'NEEDS_REVIEW', 'review');
        expect(review.denial).toMatchObject({
          category: 'MISSING_INFORMATION',
          action: 'READ_REMARK_AND_RESUBMIT',
          carcs: ['16'],
          rarcs: ['M51'],
          deniedCents: 20_000,
        });
        const desc = await h.handle.describe();
        expect(desc.typedSearchAttributes.get(ClaimStatusKey)).toBe('NEEDS_REVIEW');
        expect(desc.typedSearchAttributes.get(DenialCategoryKey)).toBe('MISSING_INFORMATION');

        // The update validator is the one judge of a correction: a bad value names its field.
        const bad = await h.handle
          .executeUpdate(m.resubmitCorrectedUpdate, {
            args: [{ ...biller, reason: 'typo', changes: { 'lines.1.procedureCode': '9921' } }],
          })
          .catch((e: unknown) => e);
        expect(bad).toBeInstanceOf(WorkflowUpdateFailedError);
        const failure = (bad as WorkflowUpdateFailedError).cause as ApplicationFailure;
        expect(failure.type).toBe(FailureType.InvalidCorrection);
        expect(failure.message).toBe('changes.lines.1.procedureCode must be a 5-character procedure code');
        expect(failure.details).toEqual([{ field: 'changes.lines.1.procedureCode' }]);
        expect(desc.typedSearchAttributes.get(NextDeadlineKey)).toBeInstanceOf(Date);

        const after = await h.handle.executeUpdate(m.resubmitCorrectedUpdate, {
          args: [
            { ...biller, reason: 'wrong procedure code', changes: { 'lines.1.procedureCode': '99214' } },
          ],
        });
        expect(after.status).toBe('AWAITING_ADJUDICATION');
        expect(after.decisions.map((d) => d.kind)).toContain('STATUS_CHANGED');
        await h.remit({
          paidCents: 20_000,
          adjustments: [],
        });
        await h.waitFor((v) => v.status === 'PAID', 'payment');
        expect((await h.handle.describe()).typedSearchAttributes.get(DenialCategoryKey)).toBeUndefined();
      },
      { recordAs: 'd-co16-corrected' },
    );
    const submissions = world.calls
      .filter((c) => c.name === 'submitClaim')
      .map((c) => c.input as { frequencyCode: string });
    expect(submissions.map((s) => s.frequencyCode)).toEqual(['1', '7']);
    expect(world.calls.find((c) => c.name === 'applyCorrection')?.input).toMatchObject({
      changes: { 'lines.1.procedureCode': '99214' },
      actor: 'biller-7',
    });
    expect(world.statuses()).toEqual([
      'AWAITING_ADJUDICATION',
      'DENIED',
      'NEEDS_REVIEW',
      'RESUBMITTED',
      'AWAITING_ADJUDICATION',
      'PAID',
    ]);
    const decision = world.events.find((e) => e.toStatus === 'RESUBMITTED')!;
    expect(decision.actor).toBe('biller-7');
  });

  it('(e) CO-50 medical necessity is appealed; the appeal follow-up learns it was overturned; the payment closes it', async () => {
    const world = await runClaim(
      { appealStatuses: ['overturned'] },
      async (h) => {
        await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
        await h.remit({
          paidCents: 0,
          adjustments: [{ group: 'CO', reason: '50', amountCents: 20_000 }],
          remarkCodes: ['N115'],
        });
        const review = await h.waitFor((v) => v.status === 'NEEDS_REVIEW', 'review');
        expect(review.denial?.category).toBe('MEDICAL_NECESSITY');
        const appealing = await h.handle.executeUpdate(m.fileAppealUpdate, {
          args: [{ ...biller, grounds: 'records show medical necessity', attachments: ['doc-17'] }],
        });
        expect(appealing.status).toBe('APPEALING');
        expect(appealing.appeals).toMatchObject([{ level: 1, status: 'pending', payerAppealId: 'APL-1' }]);
        await h.env.sleep(45 * DAY + 60_000);
        const awaiting = await h.waitFor((v) => v.status === 'AWAITING_PAYMENT', 'overturn');
        expect(awaiting.appeals[0]?.status).toBe('overturned');
        await h.remit({
          paidCents: 20_000,
          adjustments: [],
        });
        await h.waitFor((v) => v.status === 'PAID', 'payment');
      },
      { recordAs: 'e-co50-appeal-overturned' },
    );
    const appeal = world.calls.find((c) => c.name === 'submitAppeal')!.input as {
      level: number;
      idempotencyKey: string;
      attachments: string[];
    };
    expect(appeal).toMatchObject({ level: 1, attachments: ['doc-17'] });
    expect(appeal.idempotencyKey).toMatch(/:appeal:1$/);
    expect(world.calls.find((c) => c.name === 'recordAppealDecision')?.input).toMatchObject({
      level: 1,
      outcome: 'overturned',
    });
    expect(world.statuses()).toEqual([
      'AWAITING_ADJUDICATION',
      'DENIED',
      'NEEDS_REVIEW',
      'APPEALING',
      'AWAITING_PAYMENT',
      'PAID',
    ]);
  });

  it('(f) an appeal upheld at level 1 opens level 2 with its deadline from the payer rule; the biller writes it off', async () => {
    const rules = { ...DEFAULT_RULES.COMMERCIAL, appealWindowDays: [60, 90] };
    const world = await runClaim(
      { rules },
      async (h) => {
        await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
        await h.remit({
          paidCents: 0,
          adjustments: [{ group: 'CO', reason: '197', amountCents: 20_000 }],
        });
        await h.waitFor((v) => v.status === 'NEEDS_REVIEW', 'review');
        await h.handle.executeUpdate(m.fileAppealUpdate, {
          args: [{ ...biller, grounds: 'auth was on file', attachments: ['auth-1'] }],
        });
        await h.env.sleep(20 * DAY);
        const decidedAt = new Date(await h.now()).toISOString();
        const level2 = await h.handle.executeUpdate(m.recordAppealDecisionUpdate, {
          args: [{ actor: 'supervisor-1', outcome: 'upheld', reason: 'no auth on file', decidedAt }],
        });
        expect(level2.status).toBe('NEEDS_REVIEW');
        const appealDeadline = level2.deadlines.find((d) => d.kind === 'APPEAL')!;
        expect(appealDeadline.level).toBe(2);
        // A commercial level-2 window: 90 days from the decision's date (no receipt presumption), ending
        // at the end of that day in the practice's time zone.
        const decisionDay = localDateOf(Date.parse(decidedAt), 'America/New_York');
        expect(appealDeadline).toMatchObject({
          date: addCalendarDays(decisionDay, 90),
          at: new Date(endOfDayIn(addCalendarDays(decisionDay, 90), 'America/New_York')).toISOString(),
          countedFrom: `counted from the remittance date ${decisionDay}`,
        });
        const done = await h.handle.executeUpdate(m.writeOffUpdate, {
          args: [{ ...biller, reasonCode: 'ADMINISTRATIVE', note: 'not worth level 2' }],
        });
        expect(done.status).toBe('WRITTEN_OFF');
        expect(done.balances).toMatchObject({ writtenOffCents: 20_000, openBalanceCents: 0 });
      },
      { recordAs: 'f-upheld-written-off' },
    );
    expect(world.statuses()).toEqual([
      'AWAITING_ADJUDICATION',
      'DENIED',
      'NEEDS_REVIEW',
      'APPEALING',
      'NEEDS_REVIEW',
      'WRITTEN_OFF',
    ]);
    expect(world.events.find((e) => e.toStatus === 'WRITTEN_OFF')?.actor).toBe('biller-7');
  });

  it('(g) a denial nobody acts on gets reminders 30/14/7/1 days before the appeal deadline, then escalates when it passes', async () => {
    // A long review SLA keeps this test about the appeal deadline alone.
    const rules = { ...DEFAULT_RULES.COMMERCIAL, reviewSlaDays: 400 };
    const world = await runClaim(
      { rules },
      async (h) => {
        await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
        const denialDay = isoDay(await h.now());
        await h.handle.signal(
          m.remittanceReceivedSignal,
          remittance(h.ref, {
            paymentDate: denialDay,
            paidCents: 0,
            adjustments: [{ group: 'CO', reason: '50', amountCents: 20_000 }],
          }),
        );
        const review = await h.waitFor((v) => v.status === 'NEEDS_REVIEW', 'review');
        const deadline = Date.parse(review.deadlines.find((d) => d.kind === 'APPEAL')!.at);
        // 180 days from the remittance date, ending at 23:59:59.999 New York time.
        expect(deadline).toBe(endOfDayIn(addCalendarDays(denialDay, 180), 'America/New_York'));
        await h.env.sleep(deadline - (await h.now()) + 60_000);
        const escalated = await h.waitFor((v) => v.escalated, 'escalation');
        expect(escalated.status).toBe('NEEDS_REVIEW');
        expect(escalated.escalations.some((e) => e.startsWith('APPEAL_MISSED'))).toBe(true);
        expect((await h.handle.describe()).typedSearchAttributes.get(EscalatedKey)).toBe(true);
        // After the deadline the appeal is refused with the reason.
        await expect(
          h.handle.executeUpdate(m.fileAppealUpdate, {
            args: [{ ...biller, grounds: 'late', attachments: [] }],
          }),
        ).rejects.toThrow(WorkflowUpdateFailedError);
        const reminders = h.world.notifications.filter((n) => n.kind === 'DEADLINE_REMINDER');
        expect(reminders.map((n) => n.payload.daysLeft)).toEqual([30, 14, 7, 1]);
        for (const n of reminders) {
          const sentAt = h.world.calls.find(
            (c) => c.name === 'notify' && (c.input as { dedupeKey: string }).dedupeKey === n.dedupeKey,
          )!.at;
          // Sent at the offset (the activity is scheduled a few ms after the timer fires).
          expect(Math.abs(deadline - sentAt - (n.payload.daysLeft as number) * DAY)).toBeLessThan(60_000);
        }
        await h.handle.executeUpdate(m.writeOffUpdate, {
          args: [{ ...biller, reasonCode: 'TIMELY_FILING' }],
        });
      },
      { recordAs: 'g-reminders-escalation' },
    );
    const escalation = world.notifications.find((n) => n.kind === 'ESCALATION');
    expect(escalation?.channel).toBe('supervisor');
    expect(world.events.filter((e) => e.kind === 'DEADLINE_REMINDER')).toHaveLength(4);
  });

  it('(m) a clearinghouse rejection goes to NEEDS_CORRECTION, never to appeal; the corrected claim is accepted and paid', async () => {
    const world = await runClaim(
      {
        submissions: [
          {
            status: 'rejected',
            clearinghouseClaimId: 'CH-1',
            category: 'A7',
            statusCode: '21',
            field: 'patient.memberId',
            message: 'invalid member id',
          },
          { status: 'accepted', clearinghouseClaimId: 'CH-2', acceptedAt: new Date().toISOString() },
        ],
      },
      async (h) => {
        const v = await h.waitFor((x) => x.status === 'NEEDS_CORRECTION', 'rejection');
        expect(v.rejection).toMatchObject({ category: 'A7', field: 'patient.memberId' });
        expect(v.deadlines.map((d) => d.kind)).toEqual(['TIMELY_FILING']);
        await expect(
          h.handle.executeUpdate(m.fileAppealUpdate, {
            args: [{ ...biller, grounds: 'x', attachments: [] }],
          }),
        ).rejects.toThrow(WorkflowUpdateFailedError);
        const after = await h.handle.executeUpdate(m.resubmitCorrectedUpdate, {
          args: [{ ...biller, reason: 'member id typo', changes: { memberId: 'ACM123456780' } }],
        });
        expect(after.status).toBe('AWAITING_ADJUDICATION');
        await h.remit({
          paidCents: 20_000,
          adjustments: [],
        });
        await h.waitFor((x) => x.status === 'PAID', 'payment');
      },
      { recordAs: 'm-rejection-corrected' },
    );
    // A rejected claim never reached adjudication: it is refiled as an original, not a replacement.
    expect(
      world.calls
        .filter((c) => c.name === 'submitClaim')
        .map((c) => (c.input as { frequencyCode: string }).frequencyCode),
    ).toEqual(['1', '1']);
    expect(world.statuses()).toEqual(['NEEDS_CORRECTION', 'RESUBMITTED', 'AWAITING_ADJUDICATION', 'PAID']);
  });

  it('(n) a decision the state forbids is refused with its reason and changes nothing', async () => {
    await runClaim({}, async (h) => {
      await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
      const before = await h.view();
      const refused = await h.handle
        .executeUpdate(m.fileAppealUpdate, {
          args: [{ ...biller, grounds: 'why not', attachments: [] }],
          updateId: 'refused-appeal',
        })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(String((refused as WorkflowUpdateFailedError).cause?.message)).toContain(
        'an appeal needs a denial in NEEDS_REVIEW, the claim is AWAITING_ADJUDICATION',
      );
      const woRefused = await h.handle
        .executeUpdate(m.writeOffUpdate, {
          args: [{ ...biller, reasonCode: 'BAD_DEBT' }],
          updateId: 'refused-write-off',
        })
        .catch((e: unknown) => e);
      expect(String((woRefused as WorkflowUpdateFailedError).cause?.message)).toContain(
        'nothing can be written off while the claim is AWAITING_ADJUDICATION',
      );
      expect(((woRefused as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe(
        FailureType.DecisionRefused,
      );
      // A duplicate denial is never appealable.
      await h.remit({
        paidCents: 0,
        adjustments: [{ group: 'OA', reason: '18', amountCents: 20_000 }],
      });
      await h.waitFor((v) => v.status === 'NEEDS_REVIEW', 'review');
      const dup = await h.handle
        .executeUpdate(m.fileAppealUpdate, {
          args: [{ ...biller, grounds: 'x', attachments: [] }],
          updateId: 'refused-duplicate-appeal',
        })
        .catch((e: unknown) => e);
      expect(String((dup as WorkflowUpdateFailedError).cause?.message)).toContain(
        'DUPLICATE denials are not appealable',
      );
      const after = await h.view();
      expect(after.appeals).toEqual([]);
      expect(before.balances.writtenOffCents).toBe(after.balances.writtenOffCents);
      expect(h.world.count('submitAppeal')).toBe(0);
      // Validator refusals never reach the history: no update event names a refused update.
      const events = (await h.handle.fetchHistory()).events ?? [];
      expect(events.length).toBeGreaterThan(0);
      const updateEvents = events.filter(
        (e) =>
          e.workflowExecutionUpdateAcceptedEventAttributes ||
          e.workflowExecutionUpdateCompletedEventAttributes ||
          e.workflowExecutionUpdateAdmittedEventAttributes,
      );
      expect(updateEvents).toEqual([]);
      const historyText = JSON.stringify(events);
      for (const id of ['refused-appeal', 'refused-write-off', 'refused-duplicate-appeal']) {
        expect(historyText).not.toContain(id);
      }
    });
  });
});
