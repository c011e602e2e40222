import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimLedger } from '../../payer-sim/simulator.js';
import { makeClaim, type RunningSim, startSim } from './support.js';

type Ledger = SimLedger & { requestsByIdempotencyKey: Record<string, number> };

describe('payer-sim ledger', () => {
  let sim: RunningSim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(async () => {
    await sim.close();
  });

  const ledger = async () => (await sim.control<Ledger>('GET', '/ledger')).body;

  it('counts every request per Idempotency-Key but files and stores the key once', async () => {
    const claim = makeClaim({ memberId: 'PAID-L1' });
    for (let i = 0; i < 3; i++) await sim.submit(claim, 'ledger-1');
    const l = await ledger();
    expect(l.requestsByIdempotencyKey['ledger-1']).toBe(3);
    expect(l.idempotencyKeys.filter((k) => k.key === 'ledger-1')).toEqual([
      expect.objectContaining({ operation: 'submitClaim', statusCode: 200 }),
    ]);
    expect(l.claims.find((c) => c.patientControlNumber === claim.patientControlNumber)).toMatchObject({
      submissions: 1,
      duplicateSubmissions: 0,
    });
  });

  it('lists each 835 file with the patient control numbers it pays, and no patient data', async () => {
    const claim = makeClaim({ memberId: 'PAID-L2' });
    await sim.submit(claim, 'ledger-2');
    const { remittanceIds } = await sim.adjudicate();
    const l = await ledger();
    const file = l.remittances.find((f) => remittanceIds.includes(f.id));
    expect(file?.patientControlNumbers).toContain(claim.patientControlNumber);
    expect(file?.traceNumbers.length).toBeGreaterThan(0);
    const text = JSON.stringify(l);
    expect(text).not.toContain('PAID-L2');
    expect(text).not.toContain(claim.patient.lastName);
  });

  it('forgets the request counts on reset', async () => {
    await sim.control('POST', '/reset');
    const l = await ledger();
    expect(l.requestsByIdempotencyKey).toEqual({});
    expect(l.claims).toEqual([]);
  });
});
