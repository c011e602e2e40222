/**
 * A claim the payer paid below its contracted rate does not close PAID: the shortfall is owed by the
 * payer, it stays open in review as an UNDERPAYMENT, and the payer's reversal and repost at the
 * contracted rate close it (docs/fee-schedules.md).
 */
import { describe, expect, it } from 'vitest';
import { remittanceReceivedSignal } from '../../workflows/messages.js';
import { isoDay, remittance, runClaim } from '../support/time-skipping.js';

describe('underpayment against the contract', () => {
  it('holds an underpaid claim in review with the shortfall open, and the reprocessed payment closes it PAID', async () => {
    const world = await runClaim(
      {},
      async (h) => {
        await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
        const today = isoDay(await h.now());
        // Charge 200.00; contracted 160.00; the payer allowed 147.60 and booked the rest as CO-45.
        await h.handle.signal(remittanceReceivedSignal, {
          ...remittance(h.ref, {
            paymentDate: today,
            paidCents: 14_760,
            adjustments: [{ group: 'CO', reason: '45', amountCents: 5_240 }],
          }),
          contract: {
            kind: 'UNDERPAYMENT',
            expectedCents: 16_000,
            payerAllowedCents: 14_760,
            varianceCents: 1_240,
          },
        });
        const review = await h.waitFor((v) => v.status === 'NEEDS_REVIEW', 'review');
        expect(review.denial).toMatchObject({
          category: 'UNDERPAYMENT',
          action: 'REQUEST_REPROCESSING',
          appealable: true,
          deniedCents: 1_240,
        });
        expect(review.balances).toMatchObject({
          paidCents: 14_760,
          contractualCents: 4_000,
          openBalanceCents: 1_240,
        });
        expect(review.nextDeadline).toBeDefined();

        // The payer reprocesses: a reversal of the first payment, then a repost at the contracted rate.
        const reversal = remittance(h.ref, {
          paymentDate: today,
          statusCode: '22',
          paidCents: -14_760,
          adjustments: [{ group: 'CO', reason: '45', amountCents: -5_240 }],
        });
        await h.handle.signal(remittanceReceivedSignal, {
          ...reversal,
          contract: { kind: 'NOT_CHECKED', expectedCents: 0, payerAllowedCents: 0, varianceCents: 0 },
        });
        const awaiting = await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'reversal');
        expect(awaiting.balances).toMatchObject({
          paidCents: 0,
          contractualCents: 0,
          openBalanceCents: 20_000,
        });
        await h.handle.signal(remittanceReceivedSignal, {
          ...remittance(h.ref, {
            paymentDate: today,
            paidCents: 16_000,
            adjustments: [{ group: 'CO', reason: '45', amountCents: 4_000 }],
          }),
          contract: {
            kind: 'WITHIN_TOLERANCE',
            expectedCents: 16_000,
            payerAllowedCents: 16_000,
            varianceCents: 0,
          },
        });
        await h.waitFor((v) => v.status === 'PAID', 'repost');
        const result = await h.handle.result();
        expect(result.balances).toMatchObject({
          paidCents: 16_000,
          contractualCents: 4_000,
          openBalanceCents: 0,
        });
      },
      { recordAs: 'q-underpayment-reprocessed' },
    );
    expect(world.statuses()).toEqual([
      'AWAITING_ADJUDICATION',
      'PARTIAL',
      'NEEDS_REVIEW',
      'AWAITING_ADJUDICATION',
      'PAID',
    ]);
    expect(world.events.map((e) => e.kind)).toContain('UNDERPAYMENT_OPENED');
  });

  it('closes PAID when the payment is within the tolerance, as before fee schedules', async () => {
    const world = await runClaim({}, async (h) => {
      await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
      await h.handle.signal(remittanceReceivedSignal, {
        ...remittance(h.ref, {
          paymentDate: isoDay(await h.now()),
          paidCents: 15_900,
          adjustments: [{ group: 'CO', reason: '45', amountCents: 4_100 }],
        }),
        contract: {
          kind: 'WITHIN_TOLERANCE',
          expectedCents: 16_000,
          payerAllowedCents: 15_900,
          varianceCents: 100,
        },
      });
      await h.waitFor((v) => v.status === 'PAID', 'payment');
    });
    expect(world.statuses()).toEqual(['AWAITING_ADJUDICATION', 'PAID']);
  });
});
