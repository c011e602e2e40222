import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  balanceViolations,
  claimPaymentsOf,
  ManualClock,
  makeClaim,
  type RunningSim,
  startSim,
} from './support.js';

const DECISION_DELAY = 60_000;

interface AppealStatus {
  appealId: string;
  status: string;
  decidedAt?: string;
  reason?: string;
}

describe('payer-sim appeals', () => {
  let sim: RunningSim;
  const clock = new ManualClock();
  beforeAll(async () => {
    sim = await startSim({ now: clock.now, controls: { appealDecisionDelayMs: DECISION_DELAY } });
  });
  afterAll(async () => {
    await sim.close();
  });

  /** Submits and adjudicates a claim; returns it with the payer claim number in effect. */
  async function deniedClaim(memberId: string) {
    const claim = makeClaim({ memberId });
    await sim.submit(claim, `appeal-claim-${claim.patientControlNumber}`);
    await sim.adjudicate();
    const status = await sim.v1<{ payerClaimNumber: string }>(
      'GET',
      `/claims/${claim.patientControlNumber}/status?payerId=ACME`,
    );
    return { claim, payerClaimNumber: status.body.payerClaimNumber };
  }

  function appeal(pcn: string, payerClaimNumber: string, key: string, attachments = ['records.pdf']) {
    return sim.v1<{ appealId: string; receivedAt: string; message?: string }>('POST', '/appeals', {
      body: {
        patientControlNumber: pcn,
        payerClaimNumber,
        level: 1,
        grounds: 'Medically necessary',
        attachments,
      },
      headers: { 'idempotency-key': key },
    });
  }

  const appealStatus = async (id: string) => (await sim.v1<AppealStatus>('GET', `/appeals/${id}`)).body;

  it('an appeal stays pending until appealDecisionDelayMs has passed; overturned, a new 835 pays the claim', async () => {
    const { claim, payerClaimNumber } = await deniedClaim('DENY50-9');
    const filed = await appeal(
      claim.patientControlNumber,
      payerClaimNumber,
      `ap-${claim.patientControlNumber}`,
    );
    expect(filed.status).toBe(200);
    expect(filed.body).toEqual({ appealId: expect.any(String), receivedAt: expect.any(String) });
    const before = await sim.remittances();

    clock.advance(DECISION_DELAY - 1);
    expect(await appealStatus(filed.body.appealId)).toEqual({
      appealId: filed.body.appealId,
      status: 'pending',
    });
    clock.advance(1);
    const decided = await appealStatus(filed.body.appealId);
    expect(decided).toMatchObject({ status: 'overturned', decidedAt: new Date(clock.ms).toISOString() });

    const newFiles = (await sim.remittances()).filter((f) => !before.some((b) => b.id === f.id));
    for (const r of newFiles.flatMap((f) => f.parsed)) expect(balanceViolations(r)).toEqual([]);
    const [repost, ...more] = claimPaymentsOf(newFiles, claim.patientControlNumber);
    expect(more).toEqual([]);
    expect(repost).toMatchObject({ statusCode: '1', refs: { F8: payerClaimNumber } });
    expect(repost?.paidCents).toBeGreaterThan(0);
    expect(decided.reason).toContain(repost!.payerClaimNumber);
    const status = await sim.v1('GET', `/claims/${claim.patientControlNumber}/status?payerId=ACME`);
    expect(status.body).toMatchObject({ category: 'F1', payerClaimNumber: repost?.payerClaimNumber });
  });

  it('an upheld appeal says why and pays nothing', async () => {
    const { claim, payerClaimNumber } = await deniedClaim('DENY50UP-9');
    const filed = await appeal(
      claim.patientControlNumber,
      payerClaimNumber,
      `ap-${claim.patientControlNumber}`,
    );
    const before = await sim.remittances();
    clock.advance(DECISION_DELAY);
    const decided = await appealStatus(filed.body.appealId);
    expect(decided.status).toBe('upheld');
    expect(decided.reason).toMatch(/medical necessity/);
    const newFiles = (await sim.remittances()).filter((f) => !before.some((b) => b.id === f.id));
    expect(claimPaymentsOf(newFiles, claim.patientControlNumber)).toEqual([]);
  });

  it('a timely-filing appeal without proof of timely filing is upheld', async () => {
    const { claim, payerClaimNumber } = await deniedClaim('LATE29-9');
    const filed = await appeal(
      claim.patientControlNumber,
      payerClaimNumber,
      `ap-${claim.patientControlNumber}`,
      [],
    );
    clock.advance(DECISION_DELAY);
    expect(await appealStatus(filed.body.appealId)).toMatchObject({
      status: 'upheld',
      reason: expect.stringMatching(/timely filing/),
    });
  });

  it('filing the same appeal twice with one Idempotency-Key returns the same appeal', async () => {
    const { claim, payerClaimNumber } = await deniedClaim('AUTH197-9');
    const key = `ap-${claim.patientControlNumber}`;
    const first = await appeal(claim.patientControlNumber, payerClaimNumber, key);
    const second = await appeal(claim.patientControlNumber, payerClaimNumber, key);
    expect(second.body).toEqual(first.body);
    const third = await appeal(claim.patientControlNumber, payerClaimNumber, `${key}-other`);
    expect(third.status).toBe(422);
    expect(third.body.message).toContain(first.body.appealId);
  });

  it('an appeal must name an adjudicated claim by its current payer claim number', async () => {
    const unknown = await appeal('NO-SUCH-CLAIM', 'X1', 'ap-unknown');
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ field: 'payerClaimNumber' });
    const pending = makeClaim();
    await sim.submit(pending, `ap-pending-${pending.patientControlNumber}`);
    expect((await appeal(pending.patientControlNumber, 'X1', 'ap-pending')).status).toBe(422);
  });

  it('the status of an unknown appeal is 404', async () => {
    expect((await sim.v1('GET', '/appeals/APL-none')).status).toBe(404);
  });
});
