import { describe, expect, it } from 'vitest';
import * as m from '../../workflows/messages.js';
import { ClaimStatusKey, OpenBalanceCentsKey } from '../../workflows/search-attributes.js';
import { type ClaimHarness, DAY, isoDay, runClaim, toPatientBalance } from '../support/time-skipping.js';

const biller = { actor: 'biller-3' };

function statementDays(h: ClaimHarness, start: number): { kind: string; day: number }[] {
  return h.world.statements.map((s) => ({
    kind: s.kind,
    day: Math.round((Date.parse(s.at) - start) / DAY) || 0,
  }));
}

describe('patient balances', () => {
  it('(k) a partial payment posts CO-45 as contractual and sends the PR remainder to the patient', async () => {
    await runClaim(
      {},
      async (h) => {
        await toPatientBalance(h);
        const v = await h.view();
        expect(v.balances).toMatchObject({
          paidCents: 12_000,
          contractualCents: 5_000,
          patientResponsibilityCents: 3_000,
          openBalanceCents: 3_000,
        });
        expect(v.denial).toBeUndefined();
        expect(v.patientBalance).toMatchObject({ status: 'DUNNING', balanceCents: 3_000, statementsSent: 1 });
        const desc = await h.handle.describe();
        expect(desc.typedSearchAttributes.get(ClaimStatusKey)).toBe('PATIENT_BALANCE');
        expect(desc.typedSearchAttributes.get(OpenBalanceCentsKey)).toBe(3_000);
        expect(h.world.statements[0]).toMatchObject({
          kind: 'STATEMENT',
          amountDueCents: 3_000,
          statementKey: 'dunning:0',
        });
        await h.handle.signal(m.patientPaymentReceivedSignal, {
          reference: 'card-1',
          amountCents: 3_000,
          method: 'card',
          receivedAt: new Date().toISOString(),
        });
        await h.waitFor((x) => x.status === 'PAID', 'paid');
      },
      { recordAs: 'k-partial-patient-share' },
    );
  });

  it('(h) statements go out on day 0 and 30; a payment on day 45 stops dunning, so no day-60 statement', async () => {
    await runClaim(
      {},
      async (h) => {
        const start = await toPatientBalance(h);
        await h.env.sleep(45 * DAY);
        await h.waitFor((v) => (v.patientBalance?.statementsSent ?? 0) === 2, 'second statement');
        await h.handle.signal(m.patientPaymentReceivedSignal, {
          reference: 'chk-1001',
          amountCents: 3_000,
          method: 'check',
          receivedAt: new Date().toISOString(),
        });
        const paid = await h.waitFor((v) => v.status === 'PAID', 'paid');
        expect(paid.balances).toMatchObject({ patientPaidCents: 3_000, openBalanceCents: 0 });
        await h.env.sleep(60 * DAY);
        expect(statementDays(h, start)).toEqual([
          { kind: 'STATEMENT', day: 0 },
          { kind: 'REMINDER', day: 30 },
        ]);
        // The same payment signalled twice is posted once.
        expect(h.world.count('postPatientPayment')).toBe(1);
      },
      { recordAs: 'h-dunning-paid-day-45' },
    );
  });

  it('(i) a payment plan pauses dunning; a missed installment breaks it and dunning resumes', async () => {
    await runClaim(
      {},
      async (h) => {
        const start = await toPatientBalance(h);
        const plan = await h.handle.executeUpdate(m.setupPaymentPlanUpdate, {
          args: [
            { ...biller, installmentCents: 1_000, intervalDays: 30, firstDueDate: isoDay(start + 10 * DAY) },
          ],
        });
        expect(plan.status).toBe('PAYMENT_PLAN');
        await h.env.sleep(5 * DAY);
        await h.handle.signal(m.patientPaymentReceivedSignal, {
          reference: 'inst-1',
          amountCents: 1_000,
          method: 'portal',
          receivedAt: new Date().toISOString(),
        });
        await h.waitFor((v) => v.balances.patientPaidCents === 1_000, 'first installment');
        // Second installment due day 40 (+10 days grace) is never paid.
        await h.env.sleep(46 * DAY);
        const broken = await h.waitFor((v) => v.status === 'PATIENT_BALANCE', 'plan broken');
        expect(broken.patientBalance?.status).toBe('DUNNING');
        await h.env.sleep(40 * DAY);
        await h.waitFor((v) => (v.patientBalance?.statementsSent ?? 0) >= 2, 'dunning resumed');
        const days = statementDays(h, start);
        expect(days[0]).toEqual({ kind: 'STATEMENT', day: 0 });
        // While the plan stood (day 0-50) the dunning clock stopped: the next statement follows the break.
        expect(days[1]!.day).toBeGreaterThan(50);
        expect(days[1]!.kind).toBe('REMINDER');
        expect(h.world.events.map((e) => e.toStatus)).toContain('PAYMENT_PLAN');
      },
      { recordAs: 'i-payment-plan-missed' },
    );
  });

  it('(j) a financial-assistance hold pauses every dunning timer; release resumes; collections never before day 120', async () => {
    await runClaim(
      {},
      async (h) => {
        const start = await toPatientBalance(h);
        await h.env.sleep(20 * DAY);
        await h.handle.executeUpdate(m.placeHoldUpdate, {
          args: [{ ...biller, reason: 'FINANCIAL_ASSISTANCE', note: 'application received' }],
        });
        await h.env.sleep(60 * DAY);
        expect(h.world.statements).toHaveLength(1);
        expect((await h.view()).patientBalance?.holds).toEqual(['FINANCIAL_ASSISTANCE']);
        await h.handle.executeUpdate(m.releaseHoldUpdate, {
          args: [{ ...biller, reason: 'FINANCIAL_ASSISTANCE' }],
        });
        await h.env.sleep(110 * DAY);
        await h.waitFor((v) => v.status === 'COLLECTIONS', 'collections');
        const days = statementDays(h, start);
        // 20 dunning days before the hold, 60 paused: the day-30 statement lands on day 90, and so on.
        expect(days).toEqual([
          { kind: 'STATEMENT', day: 0 },
          { kind: 'REMINDER', day: 90 },
          { kind: 'REMINDER', day: 120 },
          { kind: 'FINAL_NOTICE', day: 150 },
          { kind: 'COLLECTIONS', day: 180 },
        ]);
        const collections = days.find((d) => d.kind === 'COLLECTIONS')!;
        expect(collections.day).toBeGreaterThanOrEqual(120);
        expect(collections.day - days.find((d) => d.kind === 'FINAL_NOTICE')!.day).toBeGreaterThanOrEqual(30);
      },
      { recordAs: 'j-hold-collections' },
    );
  });
});
