import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioRule } from '../../payer-sim/scenarios.js';
import { BUILT_IN_RULES } from '../../payer-sim/scenarios.js';
import { balanceViolations, claimPaymentsOf, makeClaim, type RunningSim, startSim } from './support.js';

/** A payer that pays 90% and, one cycle later, reprocesses the claim down to 50%: an overpayment. */
const OVERPAID: ScenarioRule = {
  name: 'overpaid-then-corrected',
  description: 'test: paid 90%, reprocessed at 50%',
  when: { memberIdPrefix: 'OVERPAID-' },
  outcome: { kind: 'paid' },
  allowedPercent: 90,
  repostAllowedPercent: 50,
};

describe('payer-sim provider-level adjustments (PLB)', () => {
  let sim: RunningSim;
  beforeAll(async () => {
    sim = await startSim({ scenarios: [OVERPAID, ...BUILT_IN_RULES] });
  });
  afterAll(async () => {
    await sim.close();
  });

  async function cycleFiles() {
    const before = new Set((await sim.remittances()).map((f) => f.id));
    const { remittanceIds } = await sim.adjudicate();
    const files = (await sim.remittances()).filter((f) => !before.has(f.id));
    expect(files.map((f) => f.id)).toEqual(remittanceIds);
    for (const r of files.flatMap((f) => f.parsed)) expect(balanceViolations(r)).toEqual([]);
    return files;
  }

  it('a late payment carries interest as a negative PLB L6 that references the claim and raises the payment', async () => {
    const claim = makeClaim({ memberId: 'INTEREST-1', payerId: 'PLB-INTEREST' });
    await sim.submit(claim, `plb-${claim.patientControlNumber}`);
    const [file] = await cycleFiles();
    const [remittance] = file!.parsed;
    const [clp] = remittance!.claims;
    const interest = Math.max(1, Math.round(clp!.paidCents * 0.02));
    expect(remittance!.providerAdjustments).toEqual([
      expect.objectContaining({ reason: 'L6', reference: clp!.payerClaimNumber, amountCents: -interest }),
    ]);
    expect(remittance!.paymentCents).toBe(clp!.paidCents + interest);
  });

  it('a recoupment is taken as PLB WO from the next payment the payer makes to the same provider', async () => {
    const recouped = makeClaim({ memberId: 'RECOUP-1', payerId: 'PLB-WO' });
    await sim.submit(recouped, `plb-${recouped.patientControlNumber}`);
    const [first] = await cycleFiles();
    const paid = first!.parsed[0]!.claims[0]!;
    expect(first!.parsed[0]!.providerAdjustments).toEqual([]);

    const next = makeClaim({ memberId: 'PAID-9', payerId: 'PLB-WO' });
    await sim.submit(next, `plb-${next.patientControlNumber}`);
    const [second] = await cycleFiles();
    const remittance = second!.parsed[0]!;
    const recoup = Math.round(paid.paidCents * 0.25);
    expect(remittance.providerAdjustments).toEqual([
      expect.objectContaining({ reason: 'WO', reference: paid.payerClaimNumber, amountCents: recoup }),
    ]);
    expect(remittance.claims.map((c) => c.patientControlNumber)).toEqual([next.patientControlNumber]);
    expect(remittance.paymentCents).toBe(remittance.claims[0]!.paidCents - recoup);
  });

  it('a run that reversals make negative pays zero and forwards the balance (PLB FB), recovered from later payments', async () => {
    const claim = makeClaim({ memberId: 'OVERPAID-1', payerId: 'PLB-FB' });
    await sim.submit(claim, `plb-${claim.patientControlNumber}`);
    await cycleFiles();
    const [negative] = await cycleFiles();
    const r = negative!.parsed[0]!;
    const [reversal, repost] = claimPaymentsOf([negative!], claim.patientControlNumber);
    expect(reversal?.statusCode).toBe('22');
    const net = reversal!.paidCents + repost!.paidCents;
    expect(net).toBeLessThan(0);
    expect(r).toMatchObject({ paymentCents: 0, handlingCode: 'H', paymentMethod: 'NON' });
    expect(r.providerAdjustments).toEqual([
      expect.objectContaining({ reason: 'FB', reference: r.traceNumber, amountCents: net }),
    ]);

    const later = makeClaim({ memberId: 'PAID-10', payerId: 'PLB-FB' });
    await sim.submit(later, `plb-${later.patientControlNumber}`);
    const [recovery] = await cycleFiles();
    const r2 = recovery!.parsed[0]!;
    const owed = Math.min(-net, r2.claims[0]!.paidCents);
    expect(r2.providerAdjustments).toEqual([
      expect.objectContaining({ reason: 'FB', reference: r.traceNumber, amountCents: owed }),
    ]);
    expect(r2.paymentCents).toBe(r2.claims[0]!.paidCents - owed);
  });
});
