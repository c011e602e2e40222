import { describe, expect, it } from 'vitest';
import { remittanceReceivedSignal } from '../../workflows/messages.js';
import { ClaimStatusKey, EscalatedKey, OpenBalanceCentsKey } from '../../workflows/search-attributes.js';
import { DAY, isoDay, remittance, runClaim } from '../support/time-skipping.js';

describe('claim payment paths', () => {
  it('(a) a clean claim is submitted, paid in full with a contractual adjustment, and closes PAID', async () => {
    const world = await runClaim({}, async (h) => {
      await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
      const today = isoDay(await h.now());
      await h.handle.signal(
        remittanceReceivedSignal,
        remittance(h.ref, {
          paymentDate: today,
          paidCents: 15_000,
          adjustments: [{ group: 'CO', reason: '45', amountCents: 5_000 }],
        }),
      );
      await h.waitFor((v) => v.status === 'PAID', 'payment');
      const result = await h.handle.result();
      expect(result.status).toBe('PAID');
      expect(result.balances).toMatchObject({
        paidCents: 15_000,
        contractualCents: 5_000,
        openBalanceCents: 0,
      });
      const desc = await h.handle.describe();
      expect(desc.typedSearchAttributes.get(ClaimStatusKey)).toBe('PAID');
      expect(desc.typedSearchAttributes.get(OpenBalanceCentsKey)).toBe(0);
      expect(desc.typedSearchAttributes.get(EscalatedKey)).toBe(false);
    });
    expect(world.statuses()).toEqual(['AWAITING_ADJUDICATION', 'PAID']);
    expect(world.count('submitClaim')).toBe(1);
    expect(world.count('claimStatusInquiry')).toBe(0);
    expect(world.notifications).toEqual([]);
    const submit = world.calls.find((c) => c.name === 'submitClaim')!.input as {
      idempotencyKey: string;
      frequencyCode: string;
    };
    expect(submit.frequencyCode).toBe('1');
    expect(submit.idempotencyKey).toMatch(/:submission:1$/);
  });

  it('(b) no remittance for 30 days triggers a status inquiry; pending keeps waiting; the second follow-up then the ERA pays', async () => {
    const world = await runClaim({ statuses: [{ category: 'P1', message: 'in process' }] }, async (h) => {
      const accepted = await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
      const start = await h.now();
      expect(accepted.nextTimer?.kind).toBe('FOLLOW_UP');
      expect(Date.parse(accepted.nextTimer!.at) - start).toBeGreaterThan(29 * DAY);
      await h.env.sleep(30 * DAY + 60_000);
      const afterFirst = await h.waitFor((v) => v.followUps === 1, 'first follow-up');
      expect(afterFirst.status).toBe('AWAITING_ADJUDICATION');
      await h.env.sleep(30 * DAY);
      await h.waitFor((v) => v.followUps === 2, 'second follow-up');
      await h.handle.signal(
        remittanceReceivedSignal,
        remittance(h.ref, { paymentDate: isoDay(await h.now()), paidCents: 20_000, adjustments: [] }),
      );
      await h.waitFor((v) => v.status === 'PAID', 'payment');
      expect((await h.handle.result()).status).toBe('PAID');
    });
    const inquiries = world.calls.filter((c) => c.name === 'claimStatusInquiry');
    expect(inquiries).toHaveLength(2);
    const submittedAt = world.calls.find((c) => c.name === 'submitClaim')!.at;
    expect(inquiries[0]!.at - submittedAt).toBeGreaterThanOrEqual(30 * DAY);
    expect(inquiries[1]!.at - inquiries[0]!.at).toBeGreaterThanOrEqual(30 * DAY);
    expect(world.events.filter((e) => e.kind === 'STATUS_INQUIRY').map((e) => e.reason)).toEqual([
      'follow-up 1: P1 in process',
      'follow-up 2: P1 in process',
    ]);
  });
});
