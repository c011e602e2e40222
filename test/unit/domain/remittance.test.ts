import { describe, expect, it } from 'vitest';
import { categoryOf, countsTowardDenialRate, isExpectedAdjustment, ruleFor } from '../../../domain/carc.js';
import { denialPriority } from '../../../domain/priority.js';
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

describe('denial categories (DOMAIN.md table)', () => {
  it.each([
    ['27', 'ELIGIBILITY'],
    ['22', 'COORDINATION_OF_BENEFITS'],
    ['197', 'AUTHORIZATION'],
    ['11', 'CODING'],
    ['97', 'BUNDLING'],
    ['50', 'MEDICAL_NECESSITY'],
    ['16', 'MISSING_INFORMATION'],
    ['29', 'TIMELY_FILING'],
    ['18', 'DUPLICATE'],
    ['96', 'NON_COVERED'],
    ['B7', 'CREDENTIALING'],
    ['ZZ9', 'OTHER'],
  ])('CARC %s is %s', (carc, category) => {
    expect(categoryOf(carc)).toBe(category);
  });

  it('duplicates are never appealable and are excluded from denial-rate KPIs', () => {
    expect(ruleFor('DUPLICATE').appealable).toBe(false);
    expect(countsTowardDenialRate('DUPLICATE')).toBe(false);
    expect(countsTowardDenialRate('CODING')).toBe(true);
  });

  it('CO-45, CO-253, PR-1/2/3 and OA-23 are not denials', () => {
    for (const [g, c] of [
      ['CO', '45'],
      ['CO', '253'],
      ['PR', '1'],
      ['PR', '2'],
      ['PR', '3'],
      ['OA', '23'],
    ] as const) {
      expect(isExpectedAdjustment(g, c)).toBe(true);
    }
    expect(isExpectedAdjustment('CO', '50')).toBe(false);
  });
});

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

describe('work-queue priority', () => {
  it('more money, more recoverable and closer to the deadline rank higher', () => {
    const base = { amountCents: 100_000, category: 'CODING' as const, daysToDeadline: 30 };
    expect(denialPriority({ ...base, amountCents: 200_000 })).toBeGreaterThan(denialPriority(base));
    expect(denialPriority({ ...base, daysToDeadline: 3 })).toBeGreaterThan(denialPriority(base));
    expect(denialPriority({ ...base, category: 'DUPLICATE' })).toBeLessThan(denialPriority(base));
    expect(denialPriority({ ...base, daysToDeadline: -5 })).toBe(
      denialPriority({ ...base, daysToDeadline: 1 }),
    );
  });
});
