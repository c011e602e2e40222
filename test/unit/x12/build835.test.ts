import { describe, expect, it } from 'vitest';
import {
  type Adjustment,
  build835,
  type ClaimPayment,
  type ProviderAdjustment,
  parse835,
  type Remittance835,
  X12BuildError,
} from '../../../domain/x12/index.js';

const adjustments: Adjustment[] = Array.from({ length: 8 }, (_, i) => ({
  group: 'CO',
  reason: String(40 + i),
  amountCents: 100,
}));

const claim: ClaimPayment = {
  patientControlNumber: 'PCN1',
  statusCode: '1',
  chargeCents: 10800,
  paidCents: 10000,
  patientResponsibilityCents: 0,
  payerClaimNumber: 'ICN1',
  adjustments,
  remarkCodes: [],
  refs: {},
  dates: {},
  amounts: {},
  quantities: {},
  serviceLines: [],
};

const plb: ProviderAdjustment[] = Array.from({ length: 7 }, (_, i) => ({
  providerId: '1234567893',
  fiscalPeriodDate: '2025-12-31',
  reason: 'L6',
  amountCents: -(i + 1),
}));

const remittance: Remittance835 = {
  interchangeControlNumber: '000000007',
  groupControlNumber: '7',
  transactionControlNumber: '0007',
  senderId: 'ACMEHP',
  receiverId: 'MAINCLINIC',
  handlingCode: 'C',
  paymentCents: 10028,
  creditDebit: 'C',
  paymentMethod: 'CHK',
  paymentDate: '2025-05-01',
  traceNumber: 'CHK7',
  traceOriginator: '1512345678',
  payer: { entity: 'PR', name: 'ACME HEALTH PLAN' },
  payee: { entity: 'PE', name: 'MAIN STREET CLINIC', idQualifier: 'XX', id: '1234567893' },
  claims: [claim],
  providerAdjustments: plb,
};

function segments(text: string): string[][] {
  return text
    .split('~')
    .filter((s) => s !== '')
    .map((s) => s.split('*'));
}

describe('build835', () => {
  it('splits a CAS group into segments of at most six triplets', () => {
    const cas = segments(build835([remittance])).filter((s) => s[0] === 'CAS');
    // Trailing empty quantities are not transmitted, so a segment of n triplets has 3n - 1 or 3n elements.
    expect(cas.map((s) => Math.ceil((s.length - 2) / 3))).toEqual([6, 2]);
    expect(cas.every((s) => s[1] === 'CO')).toBe(true);
  });

  it('splits provider adjustments into PLB segments of at most six pairs', () => {
    const plbs = segments(build835([remittance])).filter((s) => s[0] === 'PLB');
    expect(plbs.map((s) => (s.length - 3) / 2)).toEqual([6, 1]);
    expect(plbs[0]?.slice(1, 5)).toEqual(['1234567893', '20251231', 'L6', '-0.01']);
  });

  it('writes one ST per remittance in one GS and counts them in GE01', () => {
    const text = build835([remittance, { ...remittance, transactionControlNumber: '0008' }]);
    const segs = segments(text);
    expect(segs.filter((s) => s[0] === 'GS')).toHaveLength(1);
    expect(segs.filter((s) => s[0] === 'ST').map((s) => s[2])).toEqual(['0007', '0008']);
    expect(segs.find((s) => s[0] === 'GE')).toEqual(['GE', '2', '7']);
    expect(parse835(text)).toHaveLength(2);
  });

  it('takes envelope values from the options over the remittance', () => {
    const text = build835([remittance], {
      senderId: 'SIM',
      receiverId: 'DESK',
      interchangeControlNumber: '42',
      date: '2025-06-30',
    });
    const [isa, gs] = segments(text);
    expect(isa?.slice(6, 10)).toEqual(['SIM            ', 'ZZ', 'DESK           ', '250630']);
    expect(isa?.[13]).toBe('000000042');
    expect(gs?.slice(2, 5)).toEqual(['SIM', 'DESK', '20250630']);
  });

  it('refuses data containing a delimiter, an invalid date and duplicate ST control numbers', () => {
    expect(() => build835([{ ...remittance, traceNumber: 'CHK~7' }])).toThrow(X12BuildError);
    expect(() => build835([{ ...remittance, paymentDate: '2025-02-30' }], { date: '2025-05-01' })).toThrow(
      /BPR16/,
    );
    expect(() => build835([remittance, remittance])).toThrow(/used twice/);
  });

  it('refuses more than five claim remark codes (MOA03..MOA07) and fractional cents', () => {
    const remarks = { ...claim, remarkCodes: ['M1', 'M2', 'M3', 'M4', 'M5', 'M6'] };
    expect(() => build835([{ ...remittance, claims: [remarks] }])).toThrow(/MOA/);
    expect(() => build835([{ ...remittance, paymentCents: 100.5 }])).toThrow(/integer number of cents/);
  });

  it('refuses delimiters that repeat or are alphanumeric', () => {
    expect(() => build835([remittance], { delimiters: { element: ':' } })).toThrow(/differ/);
    expect(() => build835([remittance], { delimiters: { segment: 'X' } })).toThrow(/non-alphanumeric/);
  });
});
