import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parse835,
  type Remittance835,
  type X12ErrorDetail,
  X12ParseError,
} from '../../../domain/x12/index.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/x12/${name}`, import.meta.url), 'utf8');
}

/** Parses text that must be refused and returns every reported violation. */
function refusal(text: string): X12ErrorDetail[] {
  try {
    parse835(text);
  } catch (e) {
    if (e instanceof X12ParseError) return e.errors;
    throw e;
  }
  throw new Error('expected the 835 to be refused');
}

/** The minimal fixture with one segment replaced (or removed with `''`), matched on a whole line. */
function minimalWith(line: string, replacement: string): string {
  const text = fixture('835-minimal.edi');
  const target = `${line}\n`;
  if (!text.includes(target)) throw new Error(`fixture has no line ${line}`);
  return text.replace(target, replacement === '' ? '' : `${replacement}\n`);
}

describe('parse835 on a complete remittance (default delimiters)', () => {
  const [remittance, ...others] = parse835(fixture('835-full.edi'));

  it('reads every header, party, claim, line and PLB segment into the model', () => {
    expect(others).toEqual([]);
    const expected: Remittance835 = {
      interchangeControlNumber: '000000101',
      groupControlNumber: '101',
      transactionControlNumber: '1001',
      senderId: 'ACMEHP',
      receiverId: 'MAINCLINIC',
      handlingCode: 'C',
      paymentCents: 11250,
      creditDebit: 'C',
      paymentMethod: 'ACH',
      paymentDate: '2025-04-11',
      traceNumber: 'EFT20250411001',
      traceOriginator: '1512345678',
      productionDate: '2025-04-10',
      refs: { EV: 'MAINCLINIC' },
      payer: {
        entity: 'PR',
        name: 'ACME HEALTH PLAN',
        idQualifier: 'XV',
        id: 'ACME01',
        address: {
          lines: ['PO BOX 1000', 'CLAIMS DEPT'],
          city: 'HARTFORD',
          state: 'CT',
          postalCode: '061011000',
        },
        refs: { '2U': 'ACME01' },
      },
      payee: {
        entity: 'PE',
        name: 'MAIN STREET CLINIC',
        idQualifier: 'XX',
        id: '1234567893',
        address: { lines: ['12 MAIN ST'], city: 'SPRINGFIELD', state: 'MA', postalCode: '01103' },
        refs: { TJ: '123456789' },
      },
      claims: [
        {
          patientControlNumber: 'PCN1001',
          statusCode: '1',
          chargeCents: 25000,
          paidCents: 15000,
          patientResponsibilityCents: 3000,
          filingIndicator: 'CI',
          payerClaimNumber: 'ICN0001',
          facilityCode: '11',
          frequencyCode: '1',
          adjustments: [],
          patient: {
            entity: 'QC',
            entityType: '1',
            name: 'DOE',
            firstName: 'JANE',
            middleName: 'Q',
            idQualifier: 'MI',
            id: 'W111111111',
          },
          insured: {
            entity: 'IL',
            entityType: '1',
            name: 'DOE',
            firstName: 'JOHN',
            idQualifier: 'MI',
            id: 'W111111100',
          },
          correctedPatient: { entity: '74', entityType: '1', name: 'DOE', firstName: 'JANET' },
          renderingProvider: {
            entity: '82',
            entityType: '1',
            name: 'SMITH',
            firstName: 'ALAN',
            idQualifier: 'XX',
            id: '1987654321',
          },
          remarkCodes: ['MA01'],
          refs: { EA: 'MRN5551', '1L': 'GRP7788' },
          dates: { '232': '2025-03-01', '233': '2025-03-01', '050': '2025-04-05' },
          amounts: { AU: 25000 },
          quantities: { CA: 1 },
          serviceLines: [
            {
              procedure: { qualifier: 'HC', code: '99214', modifiers: ['25'] },
              chargeCents: 15000,
              paidCents: 10000,
              unitsPaid: 1,
              serviceDate: '2025-03-01',
              adjustments: [
                { group: 'CO', reason: '45', amountCents: 2000 },
                { group: 'PR', reason: '2', amountCents: 3000 },
              ],
              refs: { '6R': '1' },
              amounts: { B6: 13000 },
              remarkCodes: ['N130'],
            },
            {
              procedure: { qualifier: 'HC', code: '81002', modifiers: [] },
              chargeCents: 10000,
              paidCents: 5000,
              serviceDate: '2025-03-01',
              adjustments: [{ group: 'CO', reason: '45', amountCents: 5000 }],
              refs: { '6R': '2' },
              amounts: { B6: 5000 },
              remarkCodes: [],
            },
          ],
        },
        {
          patientControlNumber: 'PCN1002',
          statusCode: '1',
          chargeCents: 12000,
          paidCents: 0,
          patientResponsibilityCents: 0,
          filingIndicator: 'CI',
          payerClaimNumber: 'ICN0002',
          facilityCode: '11',
          frequencyCode: '1',
          adjustments: [],
          patient: {
            entity: 'QC',
            entityType: '1',
            name: 'ROE',
            firstName: 'RICHARD',
            idQualifier: 'MI',
            id: 'W222222222',
          },
          remarkCodes: ['MA01', 'N20'],
          refs: {},
          dates: {},
          amounts: {},
          quantities: {},
          serviceLines: [
            {
              procedure: { qualifier: 'HC', code: '97110', modifiers: ['GP', '59'] },
              chargeCents: 12000,
              paidCents: 0,
              unitsPaid: 2,
              serviceDate: '2025-03-02',
              adjustments: [{ group: 'CO', reason: '197', amountCents: 12000, quantity: 2 }],
              refs: { '6R': '1' },
              amounts: {},
              remarkCodes: ['N54', 'M62'],
            },
          ],
        },
        {
          patientControlNumber: 'PCN1003',
          statusCode: '4',
          chargeCents: 8000,
          paidCents: 0,
          patientResponsibilityCents: 0,
          filingIndicator: 'CI',
          payerClaimNumber: 'ICN0003',
          facilityCode: '11',
          frequencyCode: '1',
          adjustments: [{ group: 'CO', reason: '29', amountCents: 8000 }],
          patient: {
            entity: 'QC',
            entityType: '1',
            name: 'POE',
            firstName: 'EDGAR',
            idQualifier: 'MI',
            id: 'W333333333',
          },
          remarkCodes: [],
          refs: {},
          dates: { '050': '2025-04-05' },
          amounts: {},
          quantities: {},
          serviceLines: [],
        },
      ],
      providerAdjustments: [
        { providerId: '1234567893', fiscalPeriodDate: '2025-12-31', reason: 'L6', amountCents: -250 },
        {
          providerId: '1234567893',
          fiscalPeriodDate: '2025-12-31',
          reason: 'WO',
          reference: 'ICN0099',
          amountCents: 4000,
        },
      ],
    };
    expect(remittance).toEqual(expected);
  });

  it('keeps a denial sent as CLP02=1 with zero paid, the denial being visible in the line CAS and RARCs', () => {
    const denied = remittance?.claims.find((c) => c.patientControlNumber === 'PCN1002');
    expect(denied?.statusCode).toBe('1');
    expect(denied?.paidCents).toBe(0);
    expect(denied?.serviceLines[0]?.adjustments).toEqual([
      { group: 'CO', reason: '197', amountCents: 12000, quantity: 2 },
    ]);
    expect(denied?.serviceLines[0]?.remarkCodes).toEqual(['N54', 'M62']);
  });

  it('reads PLB interest as a negative adjustment and a recoupment as positive with its reference ICN', () => {
    expect(remittance?.providerAdjustments.map((a) => [a.reason, a.amountCents, a.reference])).toEqual([
      ['L6', -250, undefined],
      ['WO', 4000, 'ICN0099'],
    ]);
  });
});

describe('parse835 envelopes and delimiters', () => {
  it('reads `|` elements, `>` components and newline-terminated segments from the ISA, with several GS and ST', () => {
    const remittances = parse835(fixture('835-pipe-newline.edi'));
    expect(
      remittances.map((r) => [r.groupControlNumber, r.transactionControlNumber, r.paymentCents]),
    ).toEqual([
      ['201', '2001', 1000],
      ['201', '2002', 90000],
      ['202', '2003', 0],
    ]);
    expect(remittances.every((r) => r.interchangeControlNumber === '000000202')).toBe(true);
    expect(remittances[0]?.claims[1]?.serviceLines[0]?.procedure).toEqual({
      qualifier: 'HC',
      code: '99204',
      modifiers: ['25'],
    });
  });

  it('keeps a reversal (CLP02=22, negative amounts) and its repost as two claims that each balance', () => {
    const [reversal, repost] = parse835(fixture('835-pipe-newline.edi'))[0]?.claims ?? [];
    expect(reversal).toMatchObject({
      patientControlNumber: 'PCN2001',
      statusCode: '22',
      chargeCents: -20000,
      paidCents: -12000,
      patientResponsibilityCents: -4000,
      payerClaimNumber: 'ICN5001',
    });
    expect(reversal?.serviceLines[0]?.adjustments).toEqual([
      { group: 'CO', reason: '45', amountCents: -4000 },
      { group: 'PR', reason: '1', amountCents: -4000 },
    ]);
    expect(repost).toMatchObject({
      patientControlNumber: 'PCN2001',
      statusCode: '1',
      paidCents: 13000,
      payerClaimNumber: 'ICN5002',
      frequencyCode: '7',
    });
    // The crossover carrier NM1*TT is a known optional segment: skipped, not an error.
    expect(repost?.patient?.name).toBe('LANE');
  });

  it('reads inpatient MIA remark codes and skips the TS3 provider summary', () => {
    const inpatient = parse835(fixture('835-pipe-newline.edi'))[1]?.claims[0];
    expect(inpatient?.remarkCodes).toEqual(['MA02']);
    expect(inpatient?.adjustments).toEqual([{ group: 'PR', reason: '1', amountCents: 10000 }]);
    expect(inpatient?.dates).toEqual({ '232': '2025-03-20', '233': '2025-03-22' });
  });

  it('reads MOA remark codes of a notification-only (BPR01=H, NON) denial', () => {
    const notice = parse835(fixture('835-pipe-newline.edi'))[2];
    expect(notice).toMatchObject({ handlingCode: 'H', paymentMethod: 'NON', paymentCents: 0 });
    expect(notice?.claims[0]?.remarkCodes).toEqual(['N290']);
  });

  it('reads `!`-terminated segments followed by CRLF, with `^` elements and `>` components', () => {
    const [r] = parse835(fixture('835-bang-crlf.edi'));
    expect(r?.paymentCents).toBe(29175);
    const [first, second] = r?.claims[0]?.serviceLines ?? [];
    expect(
      first?.adjustments.map((a) => `${a.group}-${a.reason}-${a.amountCents}-${a.quantity ?? ''}`),
    ).toEqual([
      'CO-45-1000-',
      'CO-253-200-',
      'CO-94-300-',
      'CO-A2-400-',
      'CO-B10-500-',
      'CO-59-600-',
      'CO-131-7000-',
      'PR-1-10000-1',
    ]);
    expect(second).toMatchObject({
      procedure: { qualifier: 'HC', code: '97140', modifiers: ['GP'] },
      unitsPaid: 2,
      originalProcedure: { qualifier: 'HC', code: '97112', modifiers: [] },
      originalUnits: 3,
      serviceDate: '2025-04-01',
      serviceDateEnd: '2025-04-05',
    });
  });

  it('splits PLB pairs across segments and composites into reason and reference', () => {
    const [r] = parse835(fixture('835-bang-crlf.edi'));
    expect(r?.providerAdjustments).toEqual([
      {
        providerId: '1234567893',
        fiscalPeriodDate: '2025-12-31',
        reason: 'FB',
        reference: 'ICN0007',
        amountCents: -1500,
      },
      {
        providerId: '1234567893',
        fiscalPeriodDate: '2025-12-31',
        reason: 'WO',
        reference: 'ICN0008',
        amountCents: 2500,
      },
      { providerId: '1234567893', fiscalPeriodDate: '2025-12-31', reason: 'L6', amountCents: -175 },
    ]);
  });

  it('tolerates a byte-order mark, CRLF line ends and a single-line file alike', () => {
    const text = fixture('835-minimal.edi');
    const expected = parse835(text);
    expect(parse835(`\uFEFF${text}`)).toEqual(expected);
    expect(parse835(text.replaceAll('\n', '\r\n'))).toEqual(expected);
    expect(parse835(text.replaceAll('\n', ''))).toEqual(expected);
  });

  it('reads two interchanges in one file, counting segment positions across both', () => {
    const text = fixture('835-minimal.edi');
    expect(parse835(text + text)).toHaveLength(2);
    const second = text.replace('SE*16*0001', 'SE*99*0001');
    expect(refusal(text + second)).toEqual([
      expect.objectContaining({ segmentPosition: 38, rule: 'envelope.se01_count' }),
    ]);
  });
});

describe('parse835 refuses malformed files with the segment position and rule', () => {
  it('refuses a file truncated inside a transaction set (no SE, GE, IEA)', () => {
    const errors = refusal(fixture('835-truncated.edi'));
    expect(errors[0]).toMatchObject({ segmentPosition: 17, segmentId: 'SE', rule: 'envelope.se_missing' });
    expect(errors.map((e) => e.rule)).toEqual([
      'envelope.se_missing',
      'envelope.ge_missing',
      'envelope.iea_missing',
    ]);
  });

  it('refuses an SE01 that does not count the segments from ST to SE', () => {
    expect(refusal(fixture('835-wrong-se01.edi'))).toEqual([
      expect.objectContaining({
        segmentPosition: 18,
        segmentId: 'SE',
        element: 1,
        rule: 'envelope.se01_count',
      }),
    ]);
  });

  it('refuses a GE01 that does not count the transaction sets', () => {
    expect(refusal(fixture('835-wrong-ge01.edi'))).toEqual([
      expect.objectContaining({
        segmentPosition: 19,
        segmentId: 'GE',
        element: 1,
        rule: 'envelope.ge01_count',
      }),
    ]);
  });

  it('refuses an IEA01 that does not count the functional groups', () => {
    expect(refusal(fixture('835-wrong-iea01.edi'))).toEqual([
      expect.objectContaining({
        segmentPosition: 20,
        segmentId: 'IEA',
        element: 1,
        rule: 'envelope.iea01_count',
      }),
    ]);
  });

  it('refuses an IEA02 that differs from the ISA13 control number', () => {
    expect(refusal(fixture('835-wrong-iea02.edi'))).toEqual([
      expect.objectContaining({
        segmentPosition: 20,
        segmentId: 'IEA',
        element: 2,
        rule: 'envelope.iea02_control_number',
      }),
    ]);
  });

  it('refuses a claim whose charge minus paid differs from its claim and line CAS', () => {
    expect(refusal(fixture('835-unbalanced-claim.edi'))).toEqual([
      expect.objectContaining({ segmentPosition: 12, segmentId: 'CLP', rule: 'balance.claim' }),
    ]);
  });

  it('refuses a BPR02 that differs from the sum of CLP04 minus the PLB amounts', () => {
    expect(refusal(fixture('835-unbalanced-bpr.edi'))).toEqual([
      expect.objectContaining({ segmentPosition: 4, segmentId: 'BPR', element: 2, rule: 'balance.payment' }),
    ]);
  });

  it('refuses a date that is not a calendar day (20250230)', () => {
    expect(refusal(fixture('835-bad-date.edi'))).toEqual([
      expect.objectContaining({ segmentPosition: 15, segmentId: 'DTM', element: 2, rule: 'element.date' }),
    ]);
  });

  it('refuses a non-numeric amount as element.amount, without a follow-on balance error', () => {
    expect(refusal(fixture('835-non-numeric-amount.edi'))).toEqual([
      expect.objectContaining({ segmentPosition: 14, segmentId: 'SVC', element: 2, rule: 'element.amount' }),
    ]);
  });

  it('refuses amounts with more than two decimals, a plus sign or an exponent', () => {
    for (const bad of ['80.001', '+80', '8e1']) {
      expect(refusal(minimalWith('SVC*HC:99213*100*80~', `SVC*HC:99213*100*${bad}~`))).toEqual([
        expect.objectContaining({ segmentPosition: 14, element: 3, rule: 'element.amount' }),
      ]);
    }
  });

  it('refuses a service line whose charge minus paid differs from its CAS (errors in segment order)', () => {
    const errors = refusal(minimalWith('CAS*PR*3*20~', 'CAS*PR*3*15~'));
    expect(errors).toEqual([
      expect.objectContaining({ segmentPosition: 12, segmentId: 'CLP', rule: 'balance.claim' }),
      expect.objectContaining({ segmentPosition: 14, segmentId: 'SVC', rule: 'balance.line' }),
    ]);
  });

  it('refuses a reversal (CLP02=22) that does not balance with its negative amounts', () => {
    const text = fixture('835-pipe-newline.edi').replace('CAS|PR|1|-40\n', 'CAS|PR|1|-30\n');
    expect(refusal(text).map((e) => [e.segmentPosition, e.rule])).toEqual([
      [11, 'balance.claim'],
      [13, 'balance.line'],
    ]);
  });

  it('reports every error found, not only the first, in segment order', () => {
    const text = fixture('835-unbalanced-claim.edi').replace('DTM*472*20250301~', 'DTM*472*20251301~');
    expect(refusal(text).map((e) => e.rule)).toEqual(['balance.claim', 'element.date']);
  });

  it('refuses a CAS triplet without an amount and a CAS with more than six triplets', () => {
    expect(refusal(minimalWith('CAS*PR*3*20~', 'CAS*PR*3~'))).toEqual([
      expect.objectContaining({ segmentPosition: 16, element: 2, rule: 'cas.triplet' }),
    ]);
    const seven = `CAS*PR${'*3*1*'.repeat(6)}*3*14~`;
    expect(refusal(minimalWith('CAS*PR*3*20~', seven))).toEqual([
      expect.objectContaining({ segmentPosition: 16, rule: 'cas.triplet' }),
    ]);
  });

  it('refuses an unknown CAS group code and an unknown CLP02 status', () => {
    expect(refusal(minimalWith('CAS*PR*3*20~', 'CAS*XX*3*20~'))).toEqual([
      expect.objectContaining({ segmentPosition: 16, element: 1, rule: 'element.code' }),
    ]);
    expect(
      refusal(
        minimalWith('CLP*PCN0001*1*100*80*20*CI*ICN0001*11*1~', 'CLP*PCN0001*9*100*80*20*CI*ICN0001*11*1~'),
      ),
    ).toEqual([expect.objectContaining({ segmentPosition: 12, element: 2, rule: 'element.code' })]);
  });

  it('refuses garbage inside a transaction set but skips known optional 835 segments', () => {
    const garbage = minimalWith(
      'NM1*QC*1*DOE*JANE****MI*W123456789~',
      'NM1*QC*1*DOE*JANE****MI*W123456789~\nXYZ*1~',
    );
    expect(refusal(garbage)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ segmentPosition: 14, segmentId: 'XYZ', rule: 'segment.unknown' }),
      ]),
    );
    const optional = minimalWith(
      'N4*HARTFORD*CT*06101~',
      'N4*HARTFORD*CT*06101~\nPER*CX*CLAIMS*TE*8005551212~',
    ).replace('SE*16*0001', 'SE*17*0001');
    expect(parse835(optional)).toHaveLength(1);
  });

  it('refuses a known segment out of its loop (LQ before any SVC)', () => {
    const text = minimalWith('NM1*QC*1*DOE*JANE****MI*W123456789~', 'LQ*HE*N130~').replace(
      'SE*16*0001',
      'SE*16*0001',
    );
    expect(refusal(text)).toEqual([
      expect.objectContaining({ segmentPosition: 13, rule: 'segment.unexpected' }),
    ]);
  });

  it('refuses a transaction set without BPR, TRN, N1*PR or N1*PE', () => {
    const rules = (line: string) =>
      refusal(minimalWith(line, '').replace('SE*16*0001', 'SE*15*0001')).map((e) => [
        e.segmentPosition,
        e.segmentId,
        e.rule,
      ]);
    expect(rules('BPR*C*80*C*CHK************20250315~')).toEqual([[4, 'TRN', 'segment.required']]);
    expect(rules('TRN*1*CHK10001*1999999999~')).toEqual([[5, 'DTM', 'segment.required']]);
    expect(rules('N1*PR*ACME HEALTH PLAN~')).toEqual([
      [7, 'N3', 'segment.unexpected'],
      [8, 'N4', 'segment.unexpected'],
      [9, 'N1', 'segment.required'],
    ]);
    expect(rules('N1*PE*MAIN STREET CLINIC*XX*1234567893~')).toEqual([[10, 'LX', 'segment.required']]);
  });

  it('refuses ST01 other than 835, SE02 other than ST02 and GE02 other than GS06', () => {
    expect(refusal(minimalWith('ST*835*0001*005010X221A1~', 'ST*837*0001*005010X221A1~'))).toEqual([
      expect.objectContaining({ segmentPosition: 3, rule: 'envelope.st01_transaction_type' }),
    ]);
    expect(refusal(minimalWith('SE*16*0001~', 'SE*16*0002~'))).toEqual([
      expect.objectContaining({ segmentPosition: 18, rule: 'envelope.se02_control_number' }),
    ]);
    expect(refusal(minimalWith('GE*1*42~', 'GE*1*43~'))).toEqual([
      expect.objectContaining({ segmentPosition: 19, rule: 'envelope.ge02_control_number' }),
    ]);
  });

  it('refuses a file that ends after SE, without GE and IEA', () => {
    const text = fixture('835-minimal.edi').split('\n').slice(0, 18).join('\n');
    expect(refusal(text).map((e) => [e.segmentPosition, e.segmentId, e.rule])).toEqual([
      [19, 'GE', 'envelope.ge_missing'],
      [19, 'IEA', 'envelope.iea_missing'],
    ]);
  });

  it('refuses a short or misaligned ISA, an empty input and text after the IEA', () => {
    const text = fixture('835-minimal.edi');
    expect(refusal(text.slice(0, 60))).toEqual([expect.objectContaining({ rule: 'envelope.isa_length' })]);
    expect(refusal(text.replace('*PAYERSIM       *', '*PAYERSIM*'))[0]).toMatchObject({
      segmentPosition: 1,
      segmentId: 'ISA',
    });
    expect(refusal('')).toEqual([expect.objectContaining({ rule: 'envelope.isa_missing' })]);
    expect(refusal(`${text}junk`)).toEqual([
      expect.objectContaining({ segmentPosition: 21, rule: 'envelope.trailing_data' }),
    ]);
  });

  it('refuses random bytes with X12ParseError only', () => {
    expect(() => parse835('\u0000\u00ff*~:ISA')).toThrow(X12ParseError);
  });
});
