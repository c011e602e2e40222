import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parse835,
  parse835WithWarnings,
  type Remittance835,
  type X12ErrorDetail,
  X12ParseError,
} from '../../../domain/x12/index.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/x12/${name}`, import.meta.url), 'utf8');
}

function refusal(text: string): X12ParseError {
  try {
    parse835(text);
  } catch (e) {
    if (e instanceof X12ParseError) return e;
    throw e;
  }
  throw new Error('expected the 835 to be refused');
}

function errorsOf(name: string): X12ErrorDetail[] {
  return refusal(fixture(name)).errors;
}

/** What posting takes from a remittance: the money and its keys, not dates or names. */
function postings(remittances: Remittance835[]) {
  return remittances.map((r) => ({
    traceNumber: r.traceNumber,
    paymentCents: r.paymentCents,
    creditDebit: r.creditDebit,
    claims: r.claims,
    providerAdjustments: r.providerAdjustments,
  }));
}

describe('835 strict on money: refused files name the segment, element and rule', () => {
  it('refuses a negative BPR02 (a negative net travels as BPR02 0 with PLB)', () => {
    expect(errorsOf('835-negative-bpr.edi')).toEqual([
      expect.objectContaining({
        segmentPosition: 4,
        segmentId: 'BPR',
        element: 2,
        rule: 'bpr.negative_payment',
      }),
    ]);
  });

  it('refuses BPR01 H (notification only) with a non-zero BPR02', () => {
    expect(errorsOf('835-notification-amount.edi')).toEqual([
      expect.objectContaining({
        segmentPosition: 4,
        segmentId: 'BPR',
        element: 2,
        rule: 'bpr.notification_with_amount',
      }),
    ]);
  });

  it('refuses BPR02 against claims and PLB, CLP03-CLP04 against CAS, SVC02-SVC03 against line CAS', () => {
    expect(errorsOf('835-unbalanced-bpr.edi')).toEqual([
      expect.objectContaining({ segmentPosition: 4, segmentId: 'BPR', element: 2, rule: 'balance.payment' }),
    ]);
    expect(errorsOf('835-unbalanced-claim.edi')).toEqual([
      expect.objectContaining({ segmentPosition: 12, segmentId: 'CLP', rule: 'balance.claim' }),
    ]);
    expect(errorsOf('835-unbalanced-line.edi')).toEqual([
      expect.objectContaining({ segmentPosition: 14, segmentId: 'SVC', rule: 'balance.line' }),
    ]);
  });

  it('refuses every control-number and count mismatch with its element', () => {
    const cases: [string, number, string, number, string][] = [
      ['835-wrong-iea02.edi', 20, 'IEA', 2, 'envelope.iea02_control_number'],
      ['835-wrong-ge02.edi', 19, 'GE', 2, 'envelope.ge02_control_number'],
      ['835-wrong-se02.edi', 18, 'SE', 2, 'envelope.se02_control_number'],
      ['835-wrong-se01.edi', 18, 'SE', 1, 'envelope.se01_count'],
      ['835-wrong-ge01.edi', 19, 'GE', 1, 'envelope.ge01_count'],
      ['835-wrong-iea01.edi', 20, 'IEA', 1, 'envelope.iea01_count'],
    ];
    for (const [file, segmentPosition, segmentId, element, rule] of cases) {
      expect(errorsOf(file), file).toEqual([
        expect.objectContaining({ segmentPosition, segmentId, element, rule }),
      ]);
    }
  });

  it('refuses a truncated file', () => {
    expect(errorsOf('835-truncated.edi')[0]).toMatchObject({ segmentId: 'SE', rule: 'envelope.se_missing' });
  });

  it('tells a 4010 interchange its version instead of reporting a delimiter error', () => {
    const e = refusal(fixture('835-4010.edi'));
    expect(e.errors).toEqual([
      {
        segmentPosition: 1,
        segmentId: 'ISA',
        element: 12,
        rule: 'envelope.isa_version',
        message: 'only 005010X221A1 is accepted; this file is version 00401',
      },
    ]);
    // ISA11 U alone (the 4010 standards identifier) says the same.
    const u = fixture('835-minimal.edi').replace('*^*00501*', '*U*00501*');
    expect(refusal(u).errors[0]).toMatchObject({ element: 11, rule: 'envelope.isa_version' });
    expect(refusal(u).message).toContain('this file is version 00401');
    // A 4010 group in a 5010 envelope is told too.
    const gs = fixture('835-minimal.edi').replace('*X*005010X221A1~', '*X*004010X091A1~');
    expect(refusal(gs).errors).toEqual([
      expect.objectContaining({
        segmentPosition: 2,
        segmentId: 'GS',
        element: 8,
        rule: 'envelope.gs08_version',
      }),
    ]);
  });

  it('says which delimiter is wrong', () => {
    expect(errorsOf('835-bad-delimiters.edi')).toEqual([
      {
        segmentPosition: 1,
        segmentId: 'ISA',
        element: 16,
        rule: 'envelope.isa_delimiters',
        message: 'the component separator ISA16 ":" is the same character as the repetition separator ISA11',
      },
    ]);
    const letter = fixture('835-minimal.edi').replace('*0*P*:~', '*0*P*A~');
    expect(refusal(letter).errors[0]).toMatchObject({ element: 16, rule: 'envelope.isa_delimiters' });
    expect(refusal(letter).errors[0]?.message).toContain('must not be a letter, digit or space');
  });

  it('lists every problem in segment order, and the summary names the first', () => {
    const text = fixture('835-minimal.edi')
      .replace('SE*16*0001', 'SE*16*0002')
      .replace('CAS*PR*3*20~', 'CAS*PR*3*15~')
      .replace('BPR*C*80*C*CHK', 'BPR*H*80*C*NON');
    const e = refusal(text);
    expect(e.errors.map((d) => [d.segmentPosition, d.rule])).toEqual([
      [4, 'bpr.notification_with_amount'],
      [12, 'balance.claim'],
      [14, 'balance.line'],
      [18, 'envelope.se02_control_number'],
    ]);
    expect(e.message).toBe(
      'segment 4 (BPR): BPR01 H (notification only) moves no money, so BPR02 must be 0, not 80 (and 3 more)',
    );
  });
});

describe('835 tolerant of noise: accepted with warnings', () => {
  const clean = parse835WithWarnings(fixture('835-minimal.edi').replaceAll('\n', ''));

  it('a clean single-line file has no warnings', () => {
    expect(clean.warnings).toEqual([]);
  });

  it('the noisy twin posts the same cents as the clean file and returns its warnings', () => {
    const noisy = parse835WithWarnings(fixture('835-noisy.edi'));
    expect(postings(noisy.remittances)).toEqual(postings(clean.remittances));
    expect(noisy.remittances[0]?.payer.name).toBe('ACME HEALTH PLAN');
    expect(noisy.remittances[0]?.claims[0]?.serviceLines[0]?.procedure).toEqual({
      qualifier: 'HC',
      code: '99213',
      modifiers: [],
    });
    // BPR16 was missing: the date comes from DTM*405.
    expect(noisy.remittances[0]?.paymentDate).toBe('2025-03-14');
    expect(noisy.warnings.map((w) => [w.segmentPosition, w.segmentId, w.rule])).toEqual([
      [1, 'ISA', 'noise.byte_order_mark'],
      [2, 'GS', 'noise.line_breaks'],
      [4, 'BPR', 'bpr.payment_date_fallback'],
      [7, 'N1', 'noise.trailing_whitespace'],
      [12, 'CLP', 'noise.indentation'],
      [14, 'SVC', 'noise.composite_separator'],
      [20, 'IEA', 'noise.end_of_file_marker'],
    ]);
    expect(noisy.warnings.find((w) => w.rule === 'noise.line_breaks')?.occurrences).toBe(19);
    expect(noisy.warnings.find((w) => w.rule === 'bpr.payment_date_fallback')).toMatchObject({
      element: 16,
      message: 'BPR16 payment date is missing; 2025-03-14 was taken from the production date DTM*405',
    });
    expect(noisy.warnings.find((w) => w.rule === 'noise.composite_separator')).toMatchObject({ element: 1 });
  });

  it('takes a missing BPR16 from the file date GS04 when there is no DTM*405', () => {
    const text = fixture('835-minimal.edi')
      .replace('BPR*C*80*C*CHK************20250315~', 'BPR*C*80*C*CHK~')
      .replace('DTM*405*20250314~\n', '')
      .replace('SE*16*0001', 'SE*15*0001');
    const parsed = parse835WithWarnings(text);
    expect(parsed.remittances[0]?.paymentDate).toBe('2025-03-15');
    expect(parsed.warnings.find((w) => w.rule === 'bpr.payment_date_fallback')?.message).toBe(
      'BPR16 payment date is missing; 2025-03-15 was taken from the file date GS04',
    );
  });

  it('drops a malformed production date or claim date with a warning; a bad service date is still refused', () => {
    const text = fixture('835-minimal.edi')
      .replace('DTM*405*20250314~', 'DTM*405*2025031~')
      .replaceAll('\n', '');
    const parsed = parse835WithWarnings(text);
    expect(parsed.remittances[0]?.productionDate).toBeUndefined();
    expect(parsed.warnings).toEqual([
      expect.objectContaining({ segmentPosition: 6, element: 2, rule: 'element.situational_date' }),
    ]);
    expect(errorsOf('835-bad-date.edi')).toEqual([
      expect.objectContaining({ segmentPosition: 15, segmentId: 'DTM', element: 2, rule: 'element.date' }),
    ]);
  });

  it('refuses an SVC01 whose separator is ambiguous', () => {
    const text = fixture('835-minimal.edi').replace('SVC*HC:99213*', 'SVC*HC>99213!25*');
    expect(refusal(text).errors).toEqual([
      expect.objectContaining({ segmentPosition: 14, element: 1, rule: 'element.composite' }),
    ]);
    const noQualifier = fixture('835-minimal.edi').replace('SVC*HC:99213*', 'SVC*ZZ>99213*');
    expect(refusal(noQualifier).errors[0]).toMatchObject({ rule: 'element.composite' });
  });

  it('accepts an empty segment and a missing terminator on the last IEA, with warnings', () => {
    const text = fixture('835-minimal.edi').replace('LX*1~', 'LX*1~~').replace(/~\n$/, '');
    const parsed = parse835WithWarnings(text);
    expect(postings(parsed.remittances)).toEqual(postings(clean.remittances));
    expect(parsed.warnings.map((w) => w.rule)).toEqual(
      expect.arrayContaining(['noise.empty_segment', 'noise.missing_terminator']),
    );
  });

  it('still refuses text after the end-of-file byte', () => {
    expect(refusal(`${fixture('835-minimal.edi')}\u001aISA`).errors[0]).toMatchObject({
      rule: 'envelope.trailing_data',
    });
  });
});
