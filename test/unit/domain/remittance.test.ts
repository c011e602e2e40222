import { describe, expect, it } from 'vitest';
import { assessRemittance, type RemittanceSummary } from '../../../domain/remittance.js';

const base: RemittanceSummary = {
  postingKey: 'P|T|C|I|P',
  payerId: 'P',
  traceNumber: 'T',
  paymentDate: '2026-11-01',
  patientControlNumber: 'C',
  payerClaimNumber: 'I',
  statusCode: '1',
  chargeCents: 20_000,
  paidCents: 0,
  patientResponsibilityCents: 0,
  adjustments: [],
  remarkCodes: [],
};

describe('assessRemittance', () => {
  it('a clean payment with CO-45 is paid with a contractual adjustment and no denial', () => {
    const o = assessRemittance({
      ...base,
      paidCents: 15_000,
      adjustments: [{ group: 'CO', reason: '45', amountCents: 5_000 }],
    });
    expect(o).toEqual({
      kind: 'ADJUDICATED',
      paidCents: 15_000,
      contractualCents: 5_000,
      patientResponsibilityCents: 0,
      denial: undefined,
    });
  });

  it('a denial with CLP02=1 and zero paid is detected from the CAS, not from CLP02', () => {
    const o = assessRemittance({
      ...base,
      adjustments: [{ group: 'CO', reason: '16', amountCents: 20_000, lineNumber: 1 }],
      remarkCodes: ['M51'],
    });
    expect(o.kind).toBe('ADJUDICATED');
    if (o.kind !== 'ADJUDICATED') return;
    expect(o.denial).toMatchObject({
      category: 'MISSING_INFORMATION',
      carcs: ['16'],
      rarcs: ['M51'],
      deniedCents: 20_000,
      group: 'CO',
    });
  });

  it('the largest denied amount decides the category; every CARC is listed', () => {
    const o = assessRemittance({
      ...base,
      paidCents: 2_000,
      adjustments: [
        { group: 'CO', reason: '97', amountCents: 3_000 },
        { group: 'CO', reason: '50', amountCents: 15_000 },
      ],
    });
    if (o.kind !== 'ADJUDICATED') throw new Error('expected adjudication');
    expect(o.denial).toMatchObject({
      category: 'MEDICAL_NECESSITY',
      carcs: ['50', '97'],
      deniedCents: 18_000,
    });
  });

  it('patient responsibility comes from CLP05 when the payer sends it', () => {
    const o = assessRemittance({
      ...base,
      paidCents: 12_000,
      patientResponsibilityCents: 3_000,
      adjustments: [
        { group: 'CO', reason: '45', amountCents: 5_000 },
        { group: 'PR', reason: '2', amountCents: 3_000 },
      ],
    });
    expect(o).toMatchObject({
      kind: 'ADJUDICATED',
      patientResponsibilityCents: 3_000,
      contractualCents: 5_000,
      denial: undefined,
    });
  });

  it('a reversal undoes only the contractual part of the original, never its denied part', () => {
    const o = assessRemittance({
      ...base,
      statusCode: '22',
      paidCents: -4_000,
      adjustments: [
        { group: 'CO', reason: '45', amountCents: -1_000 },
        { group: 'CO', reason: '16', amountCents: -15_000 },
      ],
    });
    expect(o).toEqual({
      kind: 'REVERSAL',
      paidCents: -4_000,
      contractualCents: -1_000,
      patientResponsibilityCents: 0,
    });
  });

  it('CLP02=23 and 25 change nothing', () => {
    expect(assessRemittance({ ...base, statusCode: '23' }).kind).toBe('INFORMATIONAL');
    expect(assessRemittance({ ...base, statusCode: '25' }).kind).toBe('INFORMATIONAL');
  });
});
