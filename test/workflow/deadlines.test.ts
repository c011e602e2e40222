import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { addCalendarDays } from '../../domain/calendar.js';
import { DEFAULT_RULES, type PayerRules } from '../../domain/payer-rules.js';
import { endOfDayIn } from '../../domain/time-zones.js';
import * as m from '../../workflows/messages.js';
import { isoDay, remittance, runClaim } from '../support/time-skipping.js';

const NY = 'America/New_York';
const HOUR = 3_600_000;
const biller = { actor: 'biller-7' };
// The activity delivers the practice's time zone with the rules in force.
const rules = { ...DEFAULT_RULES.COMMERCIAL, practiceTimeZone: NY } as PayerRules;

/** Denies the claim CO-50 on today's remittance; returns the appeal deadline date the claim shows. */
async function deny(
  h: Parameters<Parameters<typeof runClaim>[1]>[0],
): Promise<{ date: string; denialDay: string }> {
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
  const appeal = review.deadlines.find((d) => d.kind === 'APPEAL')!;
  // A commercial window counts 180 days from the remittance date, with no receipt presumption, and
  // ends at 23:59:59.999 New York time on its last day.
  const date = addCalendarDays(denialDay, 180);
  expect(appeal).toMatchObject({
    date,
    timeZone: NY,
    countedFrom: `counted from the remittance date ${denialDay}`,
    at: new Date(endOfDayIn(date, NY)).toISOString(),
  });
  return { date, denialDay };
}

describe('appeal deadlines end at the end of their date in the practice time zone', () => {
  it('an appeal filed at 23:00 local on the deadline date is accepted', async () => {
    await runClaim({ rules }, async (h) => {
      const { date } = await deny(h);
      const at = endOfDayIn(date, NY) + 1 - HOUR; // 23:00 local on the deadline date
      await h.env.sleep(at - (await h.now()));
      expect(new Date(await h.now()).toLocaleString('en-US', { timeZone: NY, hour12: false })).toMatch(
        / 23:0/,
      );
      const filed = await h.handle.executeUpdate(m.fileAppealUpdate, {
        args: [{ ...biller, grounds: 'records attached', attachments: ['doc-1'] }],
      });
      expect(filed.status).toBe('APPEALING');
    });
  });

  it('an appeal filed at 00:01 local the day after is refused with the deadline in the reason', async () => {
    await runClaim({ rules }, async (h) => {
      const { date } = await deny(h);
      const at = endOfDayIn(date, NY) + 1 + 60_000; // 00:01 local the next day
      await h.env.sleep(at - (await h.now()));
      const refusal = await h.handle
        .executeUpdate(m.fileAppealUpdate, {
          args: [{ ...biller, grounds: 'records attached', attachments: ['doc-1'] }],
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((refusal as WorkflowUpdateFailedError).cause?.message).toBe(
        `the level 1 appeal deadline ended on ${date} (end of day, ${NY})`,
      );
    });
  });

  it('a Medicare correction after the one-year reopening window is refused with the deadline', async () => {
    const medicare = { ...DEFAULT_RULES.MEDICARE, practiceTimeZone: NY } as PayerRules;
    await runClaim({ rules: medicare }, async (h) => {
      await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
      const denialDay = isoDay(await h.now());
      await h.remit({
        paidCents: 0,
        adjustments: [{ group: 'CO', reason: '16', amountCents: 20_000 }],
        remarkCodes: ['M51'],
      });
      await h.waitFor((v) => v.status === 'NEEDS_REVIEW', 'review');
      const reopeningEnds = endOfDayIn(addCalendarDays(denialDay, 366), NY);
      await h.env.sleep(
        Math.max(reopeningEnds, endOfDayIn(addCalendarDays(denialDay, 365), NY)) - (await h.now()) + 60_000,
      );
      const refusal = await h.handle
        .executeUpdate(m.resubmitCorrectedUpdate, {
          args: [{ ...biller, reason: 'clerical error', changes: { 'lines.1.procedureCode': '99214' } }],
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((refusal as WorkflowUpdateFailedError).cause?.message).toMatch(
        /^the reopening deadline \(one year from the initial determination\) ended on \d{4}-\d{2}-\d{2} \(end of day, America\/New_York\)$/,
      );
    });
  });
});
