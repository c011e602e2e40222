/**
 * Two billers decide the same denial at once: the one who names the status they saw is refused once the
 * other's decision moved the claim on, instead of acting on a state nobody looked at. Found by the
 * concurrent-decisions drill: a write-off sent for a denial in review wrote off the patient balance the
 * concurrent transfer to the patient had just created.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import * as m from '../../workflows/messages.js';
import { runClaim } from '../support/time-skipping.js';

const denial = {
  paidCents: 0,
  adjustments: [{ group: 'CO', reason: '96', amountCents: 20_000 }],
  remarkCodes: [],
};

describe('conflicting decisions', () => {
  it('a decision expecting NEEDS_REVIEW is refused once another decision moved the claim on', async () => {
    await runClaim({}, async (h) => {
      await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
      await h.remit(denial);
      await h.waitFor((v) => v.status === 'NEEDS_REVIEW', 'review');
      const moved = await h.handle.executeUpdate(m.transferToPatientUpdate, {
        args: [
          {
            actor: 'biller-1',
            expectedStatus: 'NEEDS_REVIEW',
            reason: 'non-covered, waiver on file',
            waiverOnFile: true,
          },
        ],
      });
      expect(moved.status).toBe('PATIENT_BALANCE');
      const err = await h.handle
        .executeUpdate(m.writeOffUpdate, {
          args: [{ actor: 'biller-2', expectedStatus: 'NEEDS_REVIEW', reasonCode: 'ADMINISTRATIVE' }],
        })
        .catch((e) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(String(err.cause?.message)).toContain('the claim is PATIENT_BALANCE now, not NEEDS_REVIEW');
      const view = await h.waitFor((v) => v.status === 'PATIENT_BALANCE', 'unchanged');
      expect(view.balances.openBalanceCents).toBe(20_000);
      // Without an expectation the write-off is a decision on the state as it is: the patient balance.
      const written = await h.handle.executeUpdate(m.writeOffUpdate, {
        args: [{ actor: 'biller-2', reasonCode: 'ADMINISTRATIVE' }],
      });
      expect(written.status).toBe('WRITTEN_OFF');
    });
  });
});
