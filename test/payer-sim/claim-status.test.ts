import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimPaymentsOf, ManualClock, makeClaim, type RunningSim, startSim } from './support.js';

const DELAY = 3000;

interface Status {
  category: string;
  statusCode?: string;
  message: string;
  payerClaimNumber?: string;
  effectiveDate: string;
  paidCents?: number;
}

describe('payer-sim claim status (276/277 categories)', () => {
  let sim: RunningSim;
  const clock = new ManualClock();
  beforeAll(async () => {
    sim = await startSim({ now: clock.now, controls: { adjudicationDelayMs: DELAY } });
  });
  afterAll(async () => {
    await sim.close();
  });

  const status = async (pcn: string, payerId = 'ACME') =>
    (await sim.v1<Status>('GET', `/claims/${pcn}/status?payerId=${payerId}`)).body;

  it('a claim the payer never received is A4 (not found)', async () => {
    expect(await status('NEVER-SEEN')).toMatchObject({ category: 'A4', statusCode: '35' });
  });

  it('an accepted claim is P1 until the adjudication delay passes, then F1 with the amount paid', async () => {
    const claim = makeClaim({ memberId: 'PAID-10' });
    await sim.submit(claim, `st-${claim.patientControlNumber}`);
    expect(await status(claim.patientControlNumber)).toMatchObject({ category: 'P1', statusCode: '20' });
    clock.advance(DELAY - 1);
    expect((await status(claim.patientControlNumber)).category).toBe('P1');
    clock.advance(1);
    const paid = await status(claim.patientControlNumber);
    expect(paid).toMatchObject({ category: 'F1', statusCode: '65' });
    const [clp] = claimPaymentsOf(await sim.remittances(), claim.patientControlNumber);
    expect(paid.paidCents).toBe(clp?.paidCents);
    expect(paid.payerClaimNumber).toBe(clp?.payerClaimNumber);
  });

  it('a claim under another payer id is A4: the status inquiry goes to the wrong payer', async () => {
    const claim = makeClaim();
    await sim.submit(claim, `st-${claim.patientControlNumber}`);
    expect((await status(claim.patientControlNumber, 'OTHERPAYER')).category).toBe('A4');
  });

  it('a denied claim is F2 and names the denial', async () => {
    const claim = makeClaim({ memberId: 'DENY50-1' });
    await sim.submit(claim, `st-${claim.patientControlNumber}`);
    clock.advance(DELAY);
    const denied = await status(claim.patientControlNumber);
    expect(denied).toMatchObject({ category: 'F2', paidCents: 0 });
    expect(denied.message).toContain('CO-50');
  });

  it('a claim whose allowed amount went to the deductible is F4 (no payment forthcoming), not a denial', async () => {
    const claim = makeClaim({ memberId: 'DEDUCT-1' });
    await sim.submit(claim, `st-${claim.patientControlNumber}`);
    clock.advance(DELAY);
    expect(await status(claim.patientControlNumber)).toMatchObject({
      category: 'F4',
      statusCode: '98',
      paidCents: 0,
    });
  });

  it('a claim the payer requests records for is R4 while pending, then denied CO-252 for missing documentation', async () => {
    const claim = makeClaim({ memberId: 'RECORDS-1' });
    await sim.submit(claim, `st-${claim.patientControlNumber}`);
    expect((await status(claim.patientControlNumber)).category).toBe('R4');
    clock.advance(DELAY);
    expect((await status(claim.patientControlNumber)).category).toBe('R4');
    clock.advance(2 * DELAY);
    expect((await status(claim.patientControlNumber)).category).toBe('F2');
    const [clp] = claimPaymentsOf(await sim.remittances(), claim.patientControlNumber);
    expect(clp?.serviceLines.every((l) => l.adjustments[0]?.reason === '252')).toBe(true);
    expect(clp?.serviceLines[0]?.remarkCodes).toEqual(['M127']);
  });

  it('a slow payer (SLOWPAY) stays P1 four times longer', async () => {
    const claim = makeClaim({ payerId: 'SLOWPAY' });
    await sim.submit(claim, `st-${claim.patientControlNumber}`);
    clock.advance(3 * DELAY);
    expect((await status(claim.patientControlNumber, 'SLOWPAY')).category).toBe('P1');
    clock.advance(DELAY);
    expect((await status(claim.patientControlNumber, 'SLOWPAY')).category).toMatch(/^F[124]$/);
  });

  it('a claim the payer lost is A4 until it is submitted again, then adjudicated normally', async () => {
    const claim = makeClaim({ memberId: 'LOST-1' });
    expect((await sim.submit(claim, `lost-a-${claim.patientControlNumber}`)).body).toMatchObject({
      status: 'accepted',
    });
    clock.advance(10 * DELAY);
    expect((await status(claim.patientControlNumber)).category).toBe('A4');
    await sim.submit(claim, `lost-b-${claim.patientControlNumber}`);
    expect((await status(claim.patientControlNumber)).category).toBe('P1');
    clock.advance(DELAY);
    expect((await status(claim.patientControlNumber)).category).toMatch(/^F[124]$/);
    const view = await sim.control('GET', `/claims/${claim.patientControlNumber}`);
    expect(view.body).toMatchObject({ submissions: 2, duplicateSubmissions: 0, state: 'adjudicated' });
  });
});
