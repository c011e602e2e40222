import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimPaymentsOf, makeClaim, type RunningSim, startSim } from './support.js';

interface View {
  submissions: number;
  rejectedSubmissions: number;
  duplicateSubmissions: number;
  state: string;
}

describe('payer-sim idempotent submission', () => {
  let sim: RunningSim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(async () => {
    await sim.close();
  });

  const view = async (pcn: string) => (await sim.control<View>('GET', `/claims/${pcn}`)).body;

  it('the same Idempotency-Key twice returns the stored answer and files one claim', async () => {
    const claim = makeClaim({ memberId: 'PAID-1' });
    const first = await sim.submit(claim, 'idem-1');
    const second = await sim.submit(claim, 'idem-1');
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await view(claim.patientControlNumber)).toMatchObject({ submissions: 1, duplicateSubmissions: 0 });
    await sim.adjudicate();
    expect(claimPaymentsOf(await sim.remittances(), claim.patientControlNumber)).toHaveLength(1);
  });

  it('concurrent retries with one Idempotency-Key still file one claim', async () => {
    const claim = makeClaim();
    const answers = await Promise.all(Array.from({ length: 10 }, () => sim.submit(claim, 'idem-concurrent')));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(await view(claim.patientControlNumber)).toMatchObject({ submissions: 1 });
  });

  it('the same Idempotency-Key with a different body is 422 and changes nothing', async () => {
    const claim = makeClaim();
    await sim.submit(claim, 'idem-2');
    const other = await sim.submit(
      { ...claim, totalChargeCents: 1, lines: [{ ...claim.lines[0]!, chargeCents: 1 }] },
      'idem-2',
    );
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ field: 'Idempotency-Key' });
    expect(await view(claim.patientControlNumber)).toMatchObject({ submissions: 1 });
  });

  it('an Idempotency-Key used for a claim cannot be reused for an appeal', async () => {
    const claim = makeClaim();
    await sim.submit(claim, 'idem-3');
    const appeal = await sim.v1('POST', '/appeals', {
      body: {
        patientControlNumber: claim.patientControlNumber,
        payerClaimNumber: 'X',
        level: 1,
        grounds: '',
        attachments: [],
      },
      headers: { 'idempotency-key': 'idem-3' },
    });
    expect(appeal.status).toBe(422);
  });

  it('a rejected submission is replayed for its key and counted once', async () => {
    const claim = makeClaim({ billingProviderNpi: '1234567890' });
    const first = await sim.submit(claim, 'idem-4');
    const again = await sim.submit(claim, 'idem-4');
    expect(first.body).toMatchObject({ status: 'rejected', category: 'A7' });
    expect(again.body).toEqual(first.body);
    expect(await view(claim.patientControlNumber)).toMatchObject({ submissions: 1, rejectedSubmissions: 1 });
  });

  it('a second original under a new key is a second submission, denied OA-18 as a duplicate', async () => {
    const claim = makeClaim({ memberId: 'PAID-2' });
    await sim.submit(claim, 'idem-5a');
    await sim.submit(claim, 'idem-5b');
    expect(await view(claim.patientControlNumber)).toMatchObject({ submissions: 2, duplicateSubmissions: 1 });
    await sim.adjudicate();
    const clps = claimPaymentsOf(await sim.remittances(), claim.patientControlNumber);
    expect(clps).toHaveLength(2);
    const duplicate = clps.find((c) => c.statusCode === '4');
    expect(duplicate?.adjustments).toEqual([
      { group: 'OA', reason: '18', amountCents: claim.totalChargeCents },
    ]);
    expect(clps.find((c) => c.statusCode === '1')?.paidCents).toBeGreaterThan(0);
    expect(duplicate?.payerClaimNumber).not.toBe(clps.find((c) => c.statusCode === '1')?.payerClaimNumber);
  });
});
