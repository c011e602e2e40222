/**
 * A patient balance's dunning cycle on the time-skipping server with the real statement activities:
 * each cycle's statement is rendered from the claim's rows in Postgres and stored, so the PDFs are read
 * back (pdftotext) for their amounts and dates. A financial-assistance hold pauses them. Only the payer
 * side stays faked (the cycle starts from a signalled remittance that the seeded posting mirrors).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityDeps } from '../../activities/deps.js';
import { createPatientBalanceActivities } from '../../activities/patient-balance.js';
import { putGuarantor } from '../../db/document-settings.js';
import { listDocuments } from '../../db/documents.js';
import type { StatementRequest } from '../../db/records.js';
import { LocalAttachmentStore } from '../../documents/attachments/local-store.js';
import { readAll } from '../../documents/attachments/store.js';
import * as m from '../../workflows/messages.js';
import { seedClaim, seedPosting, seedRemittance } from '../api/support.js';
import { pdfText } from '../documents/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { DAY, runClaim, toPatientBalance } from '../support/time-skipping.js';

const biller = { actor: 'biller-3' };

function longDate(iso: string): string {
  return new Date(`${iso.slice(0, 10)}T00:00:00Z`).toLocaleDateString('en-US', {
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

describe('patient statement PDFs over a dunning cycle', () => {
  let t: TestDatabase;
  const root = mkdtempSync(join(tmpdir(), 'statement-pdfs-'));
  const store = new LocalAttachmentStore(root);

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it('renders a statement, two reminders and a final notice with the amount then due and their dates; a hold pauses them', {
    timeout: 180_000,
  }, async () => {
    const claimId = 'STMTPDF1';
    // The claim as adjudicated: $200 charged, $120 paid, $50 contractual (CO-45), $30 the patient's (PR-2).
    const claimUuid = await seedClaim(t.db, {
      claimId,
      status: 'AWAITING_ADJUDICATION',
      totalChargeCents: 20_000,
      paidCents: 12_000,
      adjustmentCents: 5_000,
      openBalanceCents: 3_000,
    });
    await seedPosting(t.db, {
      claimUuid,
      remittanceId: await seedRemittance(t.db),
      postedAt: '2026-02-01T10:00:00Z',
      chargeCents: 20_000,
      paidCents: 12_000,
      adjustments: [
        ['CO', '45', 5_000],
        ['PR', '2', 3_000],
      ],
    });
    const { patient_id } = await t.db
      .selectFrom('claims')
      .select('patient_id')
      .where('id', '=', claimUuid)
      .executeTakeFirstOrThrow();
    await putGuarantor(t.db, 'sunrise-fp', patient_id, {
      name: 'Grace Hopper',
      address: { lines: ['1 Navy Way'], city: 'Austin', state: 'TX', postalCode: '78701' },
    });

    const real = createPatientBalanceActivities({
      db: t.db,
      store,
      log: pino({ level: 'silent' }),
    } as unknown as ActivityDeps);
    const requests: StatementRequest[] = [];
    const documentsNow = async () =>
      (await listDocuments(t.db, claimUuid)).filter((d) => d.kind === 'PATIENT_STATEMENT');

    let start = 0;
    await runClaim(
      {},
      async (h) => {
        start = await toPatientBalance(h);
        expect(await documentsNow()).toHaveLength(1);

        // Day 10: the patient pays $10 by card; the next statements ask for the $20 left.
        await h.env.sleep(10 * DAY);
        await h.handle.signal(m.patientPaymentReceivedSignal, {
          reference: 'card-10',
          amountCents: 1_000,
          method: 'card',
          receivedAt: new Date(await h.now()).toISOString(),
        });
        await h.waitFor((v) => v.balances.openBalanceCents === 2_000, 'partial payment posted');

        // Day 20 to day 80: a financial-assistance application holds every dunning step.
        await h.env.sleep(10 * DAY);
        await h.handle.executeUpdate(m.placeHoldUpdate, {
          args: [{ ...biller, reason: 'FINANCIAL_ASSISTANCE', note: 'application received' }],
        });
        await h.env.sleep(60 * DAY);
        expect(await documentsNow()).toHaveLength(1);
        await h.handle.executeUpdate(m.releaseHoldUpdate, {
          args: [{ ...biller, reason: 'FINANCIAL_ASSISTANCE' }],
        });
        await h.env.sleep(110 * DAY);
        await h.waitFor((v) => v.status === 'COLLECTIONS', 'collections');
      },
      {
        claim: { claimUuid, claimId },
        recordAs: 'p-statement-cycle-payment-hold',
        activities: {
          postPatientPayment: real.postPatientPayment,
          async sendPatientStatement(input) {
            requests.push(input);
            await real.sendPatientStatement(input);
          },
        },
      },
    );

    const day = (iso: string) => Math.round((Date.parse(iso) - start) / DAY) || 0;
    const mailed = requests.filter((r) => r.kind !== 'COLLECTIONS');
    // 20 dunning days ran before the hold and 60 were paused: the day-30 reminder lands on day 90.
    expect(mailed.map((r) => [r.kind, day(r.at)])).toEqual([
      ['STATEMENT', 0],
      ['REMINDER', 90],
      ['REMINDER', 120],
      ['FINAL_NOTICE', 150],
    ]);
    expect(mailed.map((r) => r.amountDueCents)).toEqual([3_000, 2_000, 2_000, 2_000]);

    const docs = await documentsNow();
    expect(docs).toHaveLength(4);
    const texts = new Map<string, string>();
    for (const d of docs)
      texts.set(
        d.documentKey,
        // One space for every run of whitespace: pdftotext breaks lines where the layout wraps.
        pdfText(await readAll(await store.open(d.sha256))).replace(/\s+/g, ' '),
      );
    const byRequest = mailed.map((r) => {
      const text = [...texts.entries()].find(([key]) => key.endsWith(r.statementKey))?.[1];
      expect(text, `the PDF of ${r.statementKey}`).toBeDefined();
      return { r, text: text! };
    });
    const titles = {
      STATEMENT: 'Patient statement',
      REMINDER: 'Payment reminder',
      FINAL_NOTICE: 'FINAL NOTICE',
    };
    for (const { r, text } of byRequest) {
      const due = r.dueDate ?? new Date(Date.parse(r.at) + 30 * DAY).toISOString();
      expect(text).toContain(titles[r.kind as keyof typeof titles]);
      expect(text).toContain(`Amount due: $${(r.amountDueCents / 100).toFixed(2)}`);
      expect(text).toContain(`Statement date: ${longDate(r.at)}`);
      expect(text).toContain(`Due by: ${longDate(due)}`);
      expect(text).toContain('Acme Health Commercial paid $120.00');
      expect(text).toContain('1 Navy Way');
      expect(text).toContain('Financial assistance');
    }
    // The $50 contractual adjustment stays $50 on every statement; the patient's $10 shows as theirs.
    for (const { text } of byRequest) expect(text).toContain('$50.00 was taken off under our agreement');
    expect(byRequest[0]!.text).not.toContain('You paid $10.00');
    for (const { text } of byRequest.slice(1)) expect(text).toContain('You paid $10.00. You owe $20.00.');
    // The final notice names the collections date: 30 days after it (day 180), past the 501(r) floor of
    // 120 days after the first statement, which is when the workflow referred the balance.
    const finalNotice = byRequest[3]!.text;
    const referral = requests.find((r) => r.kind === 'COLLECTIONS')!;
    expect(day(referral.at)).toBe(180);
    expect(finalNotice).toContain(
      `application by ${longDate(referral.at)}, the balance may be referred to a collection agency`,
    );
    for (const { text } of byRequest.slice(0, 3)) expect(text).not.toContain('Final notice');
  });
});
