import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  balanceViolations,
  claimPaymentsOf,
  daysAgo,
  makeClaim,
  type RunningSim,
  startSim,
} from './support.js';

interface Status {
  category: string;
  payerClaimNumber?: string;
  paidCents?: number;
}

describe('payer-sim reprocessing: reversal + repost, corrected claims, voids', () => {
  let sim: RunningSim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(async () => {
    await sim.close();
  });

  const status = async (pcn: string) =>
    (await sim.v1<Status>('GET', `/claims/${pcn}/status?payerId=ACME`)).body;

  it('a reprocessed claim is reversed (CLP02=22, every amount negated) and reposted in a later 835', async () => {
    const claim = makeClaim({ memberId: 'REVERSE-1' });
    await sim.submit(claim, `rev-${claim.patientControlNumber}`);
    const first = await sim.adjudicate();
    const second = await sim.adjudicate();
    expect(second.remittanceIds).toHaveLength(1);
    expect(second.remittanceIds[0]).not.toBe(first.remittanceIds[0]);
    const files = await sim.remittances();
    for (const r of files.flatMap((f) => f.parsed)) expect(balanceViolations(r)).toEqual([]);
    const [original, reversal, repost] = claimPaymentsOf(files, claim.patientControlNumber);
    expect(original?.statusCode).toBe('1');
    expect(reversal?.statusCode).toBe('22');
    expect(reversal?.payerClaimNumber).toBe(original?.payerClaimNumber);
    expect(reversal?.chargeCents).toBe(-original!.chargeCents);
    expect(reversal?.paidCents).toBe(-original!.paidCents);
    expect(reversal?.serviceLines.map((l) => l.adjustments)).toEqual(
      original?.serviceLines.map((l) => l.adjustments.map((a) => ({ ...a, amountCents: -a.amountCents }))),
    );
    expect(repost?.statusCode).toBe('1');
    expect(repost?.payerClaimNumber).not.toBe(original?.payerClaimNumber);
    expect(repost?.refs.F8).toBe(original?.payerClaimNumber);
    // 70% allowed first, 85% on the repost.
    expect(original?.paidCents).toBe(
      Math.round(claim.lines[0]!.chargeCents * 0.7) + Math.round(claim.lines[1]!.chargeCents * 0.7),
    );
    expect(repost?.paidCents).toBe(
      Math.round(claim.lines[0]!.chargeCents * 0.85) + Math.round(claim.lines[1]!.chargeCents * 0.85),
    );
    const fileOf = (id: string | undefined) =>
      files.find((f) => f.id === id)!.parsed.flatMap((r) => r.claims);
    expect(fileOf(first.remittanceIds[0])).toContain(original);
    expect(fileOf(second.remittanceIds[0])).toEqual(expect.arrayContaining([reversal, repost]));
    expect(await status(claim.patientControlNumber)).toMatchObject({
      category: 'F1',
      payerClaimNumber: repost?.payerClaimNumber,
      paidCents: repost?.paidCents,
    });
  });

  it('a corrected claim (frequency 7) replaces the earlier adjudication: reversal of what was paid, then the new decision', async () => {
    const dos = daysAgo(3);
    const original = makeClaim({
      memberId: 'M5550001',
      lines: [
        {
          lineNumber: 1,
          procedureCode: '98941',
          modifiers: [],
          units: 1,
          chargeCents: 9000,
          serviceDate: dos,
        },
        {
          lineNumber: 2,
          procedureCode: '97140',
          modifiers: [],
          units: 1,
          chargeCents: 5000,
          serviceDate: dos,
        },
      ],
    });
    await sim.submit(original, `fix-a-${original.patientControlNumber}`);
    await sim.adjudicate();
    const partlyDenied = await status(original.patientControlNumber);
    expect(partlyDenied.category).toBe('F1');
    const corrected = {
      ...original,
      frequencyCode: '7' as const,
      originalPayerClaimNumber: partlyDenied.payerClaimNumber!,
      lines: original.lines.map((l) => (l.procedureCode === '97140' ? { ...l, modifiers: ['59'] } : l)),
    };
    const answer = await sim.submit(corrected, `fix-b-${original.patientControlNumber}`);
    expect(answer.body).toMatchObject({ status: 'accepted' });
    await sim.adjudicate();
    const [first, reversal, replacement] = claimPaymentsOf(
      await sim.remittances(),
      original.patientControlNumber,
    );
    expect(first?.serviceLines[1]?.adjustments[0]).toMatchObject({ group: 'CO', reason: '97' });
    expect(reversal).toMatchObject({
      statusCode: '22',
      payerClaimNumber: first?.payerClaimNumber,
      paidCents: -first!.paidCents,
    });
    expect(replacement?.statusCode).toBe('1');
    expect(replacement?.frequencyCode).toBe('7');
    expect(replacement?.refs.F8).toBe(first?.payerClaimNumber);
    expect(replacement?.serviceLines.flatMap((l) => l.adjustments).some((a) => a.reason === '97')).toBe(
      false,
    );
    const now = await status(original.patientControlNumber);
    expect(now.payerClaimNumber).toBe(replacement?.payerClaimNumber);

    // The first payer claim number was replaced: a further correction must name the new one.
    const stale = await sim.submit(corrected, `fix-c-${original.patientControlNumber}`);
    expect(stale.body).toMatchObject({ status: 'rejected', category: 'A8', statusCode: '495' });
  });

  it('a void (frequency 8) reverses the payment and the claim then reads F4', async () => {
    const claim = makeClaim({ memberId: 'PAID-77' });
    await sim.submit(claim, `void-a-${claim.patientControlNumber}`);
    await sim.adjudicate();
    const paid = await status(claim.patientControlNumber);
    const voided = {
      ...claim,
      frequencyCode: '8' as const,
      originalPayerClaimNumber: paid.payerClaimNumber!,
    };
    await sim.submit(voided, `void-b-${claim.patientControlNumber}`);
    await sim.adjudicate();
    const clps = claimPaymentsOf(await sim.remittances(), claim.patientControlNumber);
    expect(clps.map((c) => c.statusCode)).toEqual(['1', '22']);
    expect(clps[1]?.paidCents).toBe(-paid.paidCents!);
    expect((await status(claim.patientControlNumber)).category).toBe('F4');
  });
});
