import { describe, expect, it } from 'vitest';
import { build837P, type Claim837Input, X12BuildError } from '../../../domain/x12/index.js';

const claim: Claim837Input = {
  patientControlNumber: 'PCN4001',
  payerId: 'ACME01',
  payerName: 'ACME HEALTH PLAN',
  frequencyCode: '1',
  billingProviderNpi: '1234567893',
  billingProviderName: 'MAIN STREET CLINIC',
  patient: { memberId: 'W123456789', firstName: 'JANE', lastName: 'DOE', birthDate: '1980-02-29' },
  dateOfService: '2025-03-01',
  totalChargeCents: 25050,
  diagnosisCodes: ['J06.9', 'R05.1', 'Z00.00'],
  lines: [
    {
      lineNumber: 1,
      procedureCode: '99214',
      modifiers: ['25'],
      units: 1,
      chargeCents: 15050,
      serviceDate: '2025-03-01',
    },
    {
      lineNumber: 2,
      procedureCode: '87880',
      modifiers: ['QW', '59'],
      units: 2,
      chargeCents: 10000,
      serviceDate: '2025-03-01',
    },
  ],
};

/** Splits default-delimited X12 into segments of elements. */
function segments(text: string): string[][] {
  return text
    .split('~')
    .filter((s) => s !== '')
    .map((s) => s.split('*'));
}

function find(text: string, id: string, first?: string): string[][] {
  return segments(text).filter((s) => s[0] === id && (first === undefined || s[1] === first));
}

describe('build837P', () => {
  it('writes the 837P segments in guide order for one claim with two lines', () => {
    expect(segments(build837P(claim)).map((s) => s[0])).toEqual([
      'ISA',
      'GS',
      'ST',
      'BHT',
      'NM1',
      'PER',
      'NM1',
      'HL',
      'NM1',
      'HL',
      'SBR',
      'NM1',
      'DMG',
      'NM1',
      'CLM',
      'HI',
      'LX',
      'SV1',
      'DTP',
      'REF',
      'LX',
      'SV1',
      'DTP',
      'REF',
      'SE',
      'GE',
      'IEA',
    ]);
  });

  it('counts ST..SE in SE01 and matches the envelope control numbers (SE02, GE, IEA)', () => {
    const segs = segments(build837P(claim, { interchangeControlNumber: '77', groupControlNumber: '12' }));
    const st = segs.findIndex((s) => s[0] === 'ST');
    const se = segs.findIndex((s) => s[0] === 'SE');
    expect(segs[se]).toEqual(['SE', String(se - st + 1), segs[st]?.[2]]);
    expect(segs[st]).toEqual(['ST', '837', '0001', '005010X222A1']);
    expect(segs.find((s) => s[0] === 'GS')?.slice(1)).toEqual([
      'HC',
      '1234567893',
      'ACME01',
      '20250301',
      '0000',
      '12',
      'X',
      '005010X222A1',
    ]);
    expect(segs.find((s) => s[0] === 'GE')).toEqual(['GE', '1', '12']);
    expect(segs.find((s) => s[0] === 'IEA')).toEqual(['IEA', '1', '000000077']);
  });

  it('pads the ISA to its fixed width with the component separator at ISA16', () => {
    const text = build837P(claim, { delimiters: { component: '>' } });
    const isa = text.slice(0, text.indexOf('~') + 1);
    expect(isa).toHaveLength(106);
    expect(isa[104]).toBe('>');
    expect(segments(text)[0]?.[6]).toBe('1234567893     ');
  });

  it('writes CLM02 as the total and CLM05 as the facility:B:frequency composite', () => {
    expect(find(build837P(claim), 'CLM')).toEqual([
      ['CLM', 'PCN4001', '250.5', '', '', '11:B:1', 'Y', 'A', 'Y', 'Y'],
    ]);
    expect(
      find(build837P({ ...claim, frequencyCode: '8', originalPayerClaimNumber: 'ICN9' }), 'CLM')[0]?.[5],
    ).toBe('11:B:8');
  });

  it('writes REF*F8 with the payer claim number for a replacement (frequency 7) and a void (8), not for an original', () => {
    const replacement = build837P({ ...claim, frequencyCode: '7', originalPayerClaimNumber: 'ICN0001' });
    expect(find(replacement, 'REF', 'F8')).toEqual([['REF', 'F8', 'ICN0001']]);
    const order = segments(replacement).map((s) => s[0]);
    expect(order.indexOf('REF')).toBe(order.indexOf('CLM') + 1);
    expect(
      find(build837P({ ...claim, frequencyCode: '8', originalPayerClaimNumber: 'ICN0001' }), 'REF', 'F8'),
    ).toHaveLength(1);
    expect(find(build837P(claim), 'REF', 'F8')).toEqual([]);
  });

  it('refuses a replacement or void without the original payer claim number', () => {
    expect(() => build837P({ ...claim, frequencyCode: '7' })).toThrow(X12BuildError);
    expect(() => build837P({ ...claim, frequencyCode: '8' })).toThrow(/REF\*F8/);
  });

  it('writes line amounts, units, service dates and REF*6R line control numbers', () => {
    const text = build837P(claim);
    expect(find(text, 'SV1')).toEqual([
      ['SV1', 'HC:99214:25', '150.5', 'UN', '1', '', '', '1:2:3'],
      ['SV1', 'HC:87880:QW:59', '100', 'UN', '2', '', '', '1:2:3'],
    ]);
    expect(find(text, 'DTP')).toEqual([
      ['DTP', '472', 'D8', '20250301'],
      ['DTP', '472', 'D8', '20250301'],
    ]);
    expect(find(text, 'REF', '6R')).toEqual([
      ['REF', '6R', '1'],
      ['REF', '6R', '2'],
    ]);
  });

  it('refuses a total charge that differs from the sum of the line charges', () => {
    expect(() => build837P({ ...claim, totalChargeCents: 25051 })).toThrow(/line total 25050/);
  });

  it('writes ICD-10 codes without the decimal point, principal ABK then ABF', () => {
    expect(find(build837P(claim), 'HI')).toEqual([['HI', 'ABK:J069', 'ABF:R051', 'ABF:Z0000']]);
  });

  it('identifies billing provider, subscriber and payer by NPI, member id and payer id', () => {
    const text = build837P(claim);
    expect(find(text, 'NM1', '85')[0]?.slice(8)).toEqual(['XX', '1234567893']);
    expect(find(text, 'NM1', 'IL')).toEqual([
      ['NM1', 'IL', '1', 'DOE', 'JANE', '', '', '', 'MI', 'W123456789'],
    ]);
    expect(find(text, 'DMG')).toEqual([['DMG', 'D8', '19800229', 'U']]);
    expect(find(text, 'NM1', 'PR')[0]?.slice(8)).toEqual(['PI', 'ACME01']);
    expect(find(text, 'HL')).toEqual([
      ['HL', '1', '', '20', '1'],
      ['HL', '2', '1', '22', '0'],
    ]);
  });

  it('refuses data containing a delimiter rather than writing a corrupt file', () => {
    expect(() => build837P({ ...claim, patientControlNumber: 'PCN*1' })).toThrow(X12BuildError);
    expect(() =>
      build837P({ ...claim, patientControlNumber: 'PCN|1' }, { delimiters: { element: '|' } }),
    ).toThrow(X12BuildError);
  });

  it('uses the requested delimiters throughout', () => {
    const text = build837P(claim, { delimiters: { element: '|', component: '>', segment: '!' } });
    expect(text).toContain('CLM|PCN4001|250.5|||11>B>1|Y|A|Y|Y!');
    expect(text.endsWith('IEA|1|000000001!')).toBe(true);
  });
});
