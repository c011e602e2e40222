import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimPayment } from '../../domain/x12/index.js';
import { DEFAULT_ALLOWED_PERCENT, denialAdjustments } from '../../payer-sim/adjudicate.js';
import { correctedScenario, expectedCorrection } from '../../payer-sim/corrections.js';
import type { ClaimBody } from '../../payer-sim/schemas.js';
import { claimPaymentsOf, makeClaim, type RunningSim, startSim } from './support.js';

interface Status {
  category: string;
  payerClaimNumber?: string;
  paidCents?: number;
}

describe('payer-sim corrects like a payer: a replacement that fixes the denial is paid, one that does not is denied again', () => {
  let sim: RunningSim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(async () => {
    await sim.close();
  });

  let keys = 0;
  const status = async (pcn: string) =>
    (await sim.v1<Status>('GET', `/claims/${pcn}/status?payerId=ACME`)).body;

  /** The newest CLP loop the payer sent for a claim. */
  async function latestPayment(pcn: string): Promise<ClaimPayment> {
    const payments = claimPaymentsOf(await sim.remittances(), pcn).filter((p) => p.statusCode !== '22');
    return payments[payments.length - 1]!;
  }

  async function adjudicated(claim: ClaimBody): Promise<ClaimPayment> {
    keys++;
    const answer = await sim.submit(claim, `corr-${keys}-${claim.patientControlNumber}`);
    expect(answer.body).toMatchObject({ status: 'accepted' });
    await sim.adjudicate();
    return latestPayment(claim.patientControlNumber);
  }

  /** Sends `change(original)` as a frequency-7 replacement of the adjudication in effect. */
  async function correct(original: ClaimBody, change: (c: ClaimBody) => ClaimBody): Promise<ClaimPayment> {
    const { payerClaimNumber } = await status(original.patientControlNumber);
    return adjudicated({
      ...change(original),
      frequencyCode: '7',
      originalPayerClaimNumber: payerClaimNumber!,
    });
  }

  const reasons = (p: ClaimPayment) => denialAdjustments(p).map((a) => `${a.group}-${a.reason}`);
  const withLine = (c: ClaimBody, n: number, patch: Partial<ClaimBody['lines'][number]>) => ({
    ...c,
    lines: c.lines.map((l) => (l.lineNumber === n ? { ...l, ...patch } : l)),
  });

  it('CARC 4: unchanged it is denied again; with the modifier on the denied line it is paid', async () => {
    const claim = makeClaim({ memberId: 'CODE4-7001' });
    expect(reasons(await adjudicated(claim))).toEqual(['CO-4']);
    const unchanged = await correct(claim, (c) => c);
    expect(reasons(unchanged)).toEqual(['CO-4']);
    expect(unchanged.frequencyCode).toBe('7');
    // A modifier on the line that was not denied does not fix the denied one.
    expect(reasons(await correct(claim, (c) => withLine(c, 2, { modifiers: ['RT'] })))).toEqual(['CO-4']);
    const fixed = await correct(claim, (c) => withLine(c, 1, { modifiers: ['RT'] }));
    expect(reasons(fixed)).toEqual([]);
    expect(fixed.paidCents).toBe(Math.round((claim.totalChargeCents * DEFAULT_ALLOWED_PERCENT) / 100));
    expect((await status(claim.patientControlNumber)).category).toBe('F1');
  });

  it('CARC 197: denied again without an authorization number, paid with one', async () => {
    const claim = makeClaim({ memberId: 'AUTH197-7002' });
    expect(reasons(await adjudicated(claim))).toEqual(['CO-197', 'CO-197']);
    expect(reasons(await correct(claim, (c) => withLine(c, 1, { modifiers: ['25'] })))).toEqual([
      'CO-197',
      'CO-197',
    ]);
    expect(reasons(await correct(claim, (c) => ({ ...c, priorAuthorizationNumber: 'PA99887766' })))).toEqual(
      [],
    );
  });

  it('CARC 11: paid once every denied line points to a different diagnosis', async () => {
    const claim = makeClaim({ memberId: 'CODE11-7003' });
    expect(reasons(await adjudicated(claim))).toEqual(['CO-11', 'CO-11']);
    // One of the two denied lines corrected: that line is paid, the other is denied again.
    const half = await correct(claim, (c) => withLine(c, 1, { diagnosisPointers: [2] }));
    expect(half.serviceLines.map((l) => l.adjustments.filter((a) => a.reason === '11').length)).toEqual([
      0, 1,
    ]);
    expect(half.paidCents).toBeGreaterThan(0);
    const halfFixed = withLine(claim, 1, { diagnosisPointers: [2] });
    const fixed = await correct(halfFixed, (c) => withLine(c, 2, { diagnosisPointers: [2] }));
    expect(reasons(fixed)).toEqual([]);
  });

  it('CARC 16 with M51 needs a corrected procedure code; with N290 the rendering provider', async () => {
    const info = makeClaim({ memberId: 'INFO16-7004' });
    expect(reasons(await adjudicated(info))).toEqual(['CO-16']);
    expect(reasons(await correct(info, (c) => withLine(c, 1, { modifiers: ['25'] })))).toEqual(['CO-16']);
    expect(reasons(await correct(info, (c) => withLine(c, 1, { procedureCode: '99214' })))).toEqual([]);

    const npi = makeClaim({ memberId: 'NPI16-7005' });
    expect(reasons(await adjudicated(npi))).toEqual(['CO-16', 'CO-16']);
    expect(reasons(await correct(npi, (c) => ({ ...c, renderingProviderNpi: '1245319599' })))).toEqual([]);
  });

  it('CARC 97: paid once the bundled line carries modifier 59', async () => {
    const claim = makeClaim({ memberId: 'BUNDLE97-7006' });
    expect(reasons(await adjudicated(claim))).toEqual(['CO-97']);
    expect(reasons(await correct(claim, (c) => withLine(c, 2, { modifiers: ['25'] })))).toEqual(['CO-97']);
    expect(reasons(await correct(claim, (c) => withLine(c, 2, { modifiers: ['59'] })))).toEqual([]);
  });

  it('a medical-necessity denial (CARC 50) is not lifted by a correction: it needs an appeal', async () => {
    const claim = makeClaim({ memberId: 'DENY50-7007' });
    expect(reasons(await adjudicated(claim))).toEqual(['CO-50', 'CO-50']);
    expect(reasons(await correct(claim, (c) => withLine(c, 1, { procedureCode: '99214' })))).toEqual([
      'CO-50',
      'CO-50',
    ]);
  });
});

describe('correctedScenario (pure)', () => {
  const claim = makeClaim({ memberId: 'M1' });
  const denied = (reason: string, remarkCodes: string[] = []): ClaimPayment => ({
    patientControlNumber: claim.patientControlNumber,
    statusCode: '1',
    chargeCents: 19_550,
    paidCents: 0,
    patientResponsibilityCents: 0,
    payerClaimNumber: 'ICN1',
    adjustments: [],
    remarkCodes: [],
    refs: {},
    dates: {},
    amounts: {},
    quantities: {},
    serviceLines: claim.lines.map((l) => ({
      procedure: { qualifier: 'HC', code: l.procedureCode, modifiers: l.modifiers },
      chargeCents: l.chargeCents,
      paidCents: 0,
      adjustments: [{ group: 'CO', reason, amountCents: l.chargeCents }],
      refs: { '6R': String(l.lineNumber) },
      amounts: {},
      remarkCodes,
    })),
  });
  const mixDenial = {
    name: 'default:coding-4',
    outcome: { kind: 'denied' as const, group: 'CO' as const, reason: '4', scope: 'first_line' as const },
    allowedPercent: 80,
    delayFactor: 1,
  };

  it('the default mix draws the same denial for the replacement; a fix lifts it, no fix keeps it', () => {
    const fixed = { ...claim, lines: claim.lines.map((l) => ({ ...l, modifiers: ['LT'] })) };
    expect(correctedScenario(mixDenial, { claim, payment: denied('4') }, fixed).outcome).toEqual({
      kind: 'paid',
    });
    expect(correctedScenario(mixDenial, { claim, payment: denied('4') }, claim).outcome.kind).toBe('denied');
  });

  it('a default-mix denial the payer never gave is not applied to a correction', () => {
    expect(correctedScenario(mixDenial, { claim, payment: denied('97') }, claim)).toMatchObject({
      name: 'default:corrected-paid',
      outcome: { kind: 'paid' },
    });
  });

  it('documents what each denial expects', () => {
    expect(expectedCorrection('4')).toMatch(/modifier/);
    expect(expectedCorrection('197')).toMatch(/authorization/);
    expect(expectedCorrection('11')).toMatch(/diagnosis/);
    expect(expectedCorrection('16', ['N290'])).toMatch(/rendering provider/);
    expect(expectedCorrection('50')).toBeUndefined();
  });
});
