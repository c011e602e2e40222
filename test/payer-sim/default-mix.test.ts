import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denialAdjustments } from '../../payer-sim/adjudicate.js';
import { balanceViolations, makeClaim, type RunningSim, startSim } from './support.js';

const CLAIMS = 1000;

describe('payer-sim default mix (claims no scenario rule matches)', () => {
  let sim: RunningSim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(async () => {
    await sim.close();
  });

  it('denies 10-15% of 1000 claims initially, spread over the denial categories, with patient responsibility on many', async () => {
    const claims = Array.from({ length: CLAIMS }, (_, i) => makeClaim({ patientControlNumber: `MIX-${i}` }));
    // A few concurrent submitters, as a clearinghouse client would batch them.
    const queue = [...claims];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let claim = queue.shift(); claim; claim = queue.shift()) {
          const answer = await sim.submit(claim, `mix-${claim.patientControlNumber}`);
          expect(answer.body).toMatchObject({ status: 'accepted' });
        }
      }),
    );
    await sim.adjudicate();
    const files = await sim.remittances();
    const remittances = files.flatMap((f) => f.parsed);
    for (const r of remittances) expect(balanceViolations(r)).toEqual([]);
    const clps = remittances.flatMap((r) => r.claims);
    expect(clps).toHaveLength(CLAIMS);

    const denied = clps.filter((c) => denialAdjustments(c).length > 0);
    const denialRate = denied.length / CLAIMS;
    expect(denialRate).toBeGreaterThanOrEqual(0.1);
    expect(denialRate).toBeLessThanOrEqual(0.15);
    const carcs = new Set(denied.flatMap((c) => denialAdjustments(c).map((a) => a.reason)));
    for (const reason of ['27', '31', '22', '197', '4', '16', '97', '50']) expect(carcs).toContain(reason);

    const withPatientShare = clps.filter(
      (c) => c.patientResponsibilityCents > 0 && denialAdjustments(c).length === 0,
    );
    expect(withPatientShare.length / CLAIMS).toBeGreaterThan(0.25);
    const paidInFull = clps.filter((c) => c.paidCents > 0 && c.patientResponsibilityCents === 0);
    expect(paidInFull.length / CLAIMS).toBeGreaterThan(0.45);
  });

  it('gives a claim the same decision every time: after a reset the same claim is adjudicated identically', async () => {
    const claim = makeClaim({ patientControlNumber: 'STABLE-42' });
    const decide = async () => {
      await sim.submit(claim, 'stable-42');
      await sim.adjudicate();
      const view = await sim.control<Record<string, unknown>>('GET', '/claims/STABLE-42');
      const { scenario, paidCents, adjustments, patientResponsibilityCents } = view.body;
      return { scenario, paidCents, adjustments, patientResponsibilityCents };
    };
    const first = await decide();
    await sim.control('POST', '/reset');
    expect(await decide()).toEqual(first);
  });
});
