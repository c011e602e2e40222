import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatX12Amount, parseCents } from '../../../domain/money.js';
import {
  type Adjustment,
  build835,
  type ClaimPayment,
  type Delimiters,
  type ProviderAdjustment,
  parse835WithWarnings,
  type Remittance835,
  type ServiceLine,
  X12ParseError,
} from '../../../domain/x12/index.js';

const NUM_RUNS = 150;

const code = fc.stringMatching(/^[A-Z0-9]{1,8}$/);
const amount = fc.integer({ min: -50_000_00, max: 50_000_00 });
const cents = fc.integer({ min: 0, max: 50_000_00 });
const group = fc.constantFrom<Adjustment['group']>('CO', 'PR', 'OA', 'PI');
const adjustment: fc.Arbitrary<Adjustment> = fc.record({
  group,
  reason: fc.constantFrom('45', '1', '2', '4', '197', 'B7'),
  amountCents: amount,
});
/** The builder writes one CAS per group in order of first appearance; keep that order so parse = input. */
const adjustments = fc.array(adjustment, { maxLength: 5 }).map((list) => {
  const order: string[] = [];
  for (const a of list) if (!order.includes(a.group)) order.push(a.group);
  return order.flatMap((g) => list.filter((a) => a.group === g));
});

/** A balanced service line: SVC02 = SVC03 + line CAS. */
const line: fc.Arbitrary<ServiceLine> = fc
  .record({
    procedure: fc.record({
      qualifier: fc.constantFrom('HC', 'AD', 'NU'),
      code,
      modifiers: fc.array(fc.stringMatching(/^[A-Z0-9]{2}$/), { maxLength: 3 }),
    }),
    paidCents: cents,
    adjustments,
    serviceDate: fc.constantFrom('2025-03-01', '2025-12-31'),
  })
  .map((l) => ({
    ...l,
    chargeCents: l.paidCents + l.adjustments.reduce((s, a) => s + a.amountCents, 0),
    refs: { '6R': '1' },
    amounts: {},
    remarkCodes: [],
  }));

/** A balanced claim: CLP03 = CLP04 + claim CAS + line CAS. */
const claim: fc.Arbitrary<ClaimPayment> = fc
  .record({
    patientControlNumber: code,
    statusCode: fc.constantFrom<ClaimPayment['statusCode']>('1', '2', '4', '22'),
    paidCents: cents,
    patientResponsibilityCents: cents,
    payerClaimNumber: code,
    adjustments,
    serviceLines: fc.array(line, { maxLength: 3 }),
  })
  .map((c) => {
    const cas = [...c.adjustments, ...c.serviceLines.flatMap((l) => l.adjustments)].reduce(
      (s, a) => s + a.amountCents,
      0,
    );
    return {
      ...c,
      chargeCents: c.paidCents + cas,
      remarkCodes: [],
      refs: {},
      dates: {},
      amounts: {},
      quantities: {},
    };
  });

const plb: fc.Arbitrary<ProviderAdjustment> = fc.record({
  providerId: fc.constant('1234567893'),
  fiscalPeriodDate: fc.constant('2025-12-31'),
  reason: fc.constantFrom('L6', 'WO', 'FB'),
  amountCents: amount,
});

/** One balanced payment: BPR02 = |sum(CLP04) - sum(PLB)|, D when the net is negative. */
const remittance: fc.Arbitrary<Remittance835> = fc
  .record({
    claims: fc.array(claim, { minLength: 1, maxLength: 4 }),
    providerAdjustments: fc.array(plb, { maxLength: 3 }),
    traceNumber: code,
    productionDate: fc.constantFrom('2025-03-14', undefined),
  })
  .map((p) => {
    const net =
      p.claims.reduce((s, c) => s + c.paidCents, 0) -
      p.providerAdjustments.reduce((s, a) => s + a.amountCents, 0);
    const r: Remittance835 = {
      interchangeControlNumber: '000000042',
      groupControlNumber: '42',
      transactionControlNumber: '0001',
      senderId: 'PAYERSIM',
      receiverId: 'DENIALDESK',
      handlingCode: net === 0 ? 'H' : 'I',
      paymentCents: Math.abs(net),
      creditDebit: net < 0 ? 'D' : 'C',
      paymentMethod: net === 0 ? 'NON' : 'ACH',
      paymentDate: '2025-03-15',
      traceNumber: p.traceNumber,
      traceOriginator: '1999999999',
      payer: { entity: 'PR', name: 'ACME HEALTH PLAN' },
      payee: { entity: 'PE', name: 'MAIN STREET CLINIC', idQualifier: 'XX', id: '1234567893' },
      claims: p.claims,
      providerAdjustments: p.providerAdjustments,
    };
    if (p.productionDate !== undefined) r.productionDate = p.productionDate;
    return r;
  });

const delimiterSets: Delimiters[] = [
  { element: '*', component: ':', segment: '~', repetition: '^' },
  { element: '|', component: '>', segment: '~', repetition: '^' },
  { element: '^', component: '\\', segment: '!', repetition: '{' },
];

function postings(remittances: Remittance835[]) {
  return remittances.map((r) => ({
    traceNumber: r.traceNumber,
    paymentCents: r.paymentCents,
    creditDebit: r.creditDebit,
    claims: r.claims,
    providerAdjustments: r.providerAdjustments,
  }));
}

interface Noise {
  bom: boolean;
  lineBreak: '' | '\n' | '\r\n';
  indent: ('' | '  ' | '\t')[];
  trailing: ('' | ' ' | ' \t ')[];
  dosEof: boolean;
  dropBpr16: boolean;
  /** Replace the SVC01 component separator with this one (when it is free in the file). */
  svcSeparator: '' | '@' | '}' | '<';
}

const noise: fc.Arbitrary<Noise> = fc.record({
  bom: fc.boolean(),
  lineBreak: fc.constantFrom('', '\n', '\r\n'),
  indent: fc.array(fc.constantFrom('', '  ', '\t'), { minLength: 1, maxLength: 8 }),
  trailing: fc.array(fc.constantFrom('', ' ', ' \t '), { minLength: 1, maxLength: 8 }),
  dosEof: fc.boolean(),
  dropBpr16: fc.boolean(),
  svcSeparator: fc.constantFrom('', '@', '}', '<'),
});

/** Dresses a clean file (one segment after another, no line breaks) in the accepted noise. */
function dress(text: string, d: Delimiters, n: Noise): string {
  const segments = text.split(d.segment).filter((s) => s !== '');
  const out = segments.map((seg, i) => {
    let s = seg;
    const elements = s.split(d.element);
    if (n.dropBpr16 && elements[0] === 'BPR') {
      s = elements.slice(0, 5).join(d.element); // BPR16 (and the optional bank fields) left out
    }
    if (n.svcSeparator !== '' && elements[0] === 'SVC' && !Object.values(d).includes(n.svcSeparator)) {
      elements[1] = (elements[1] ?? '').split(d.component).join(n.svcSeparator);
      s = elements.join(d.element);
    }
    if (i === 0) return s; // the ISA is fixed width: nothing may be inserted inside it
    return `${n.indent[i % n.indent.length]}${s}${n.trailing[i % n.trailing.length]}`;
  });
  const body = out.map((s) => `${s}${d.segment}${n.lineBreak}`).join('');
  return `${n.bom ? '\uFEFF' : ''}${body}${n.dosEof ? '\u001a' : ''}`;
}

describe('835 noise never changes the money', () => {
  it('any balanced remittance, dressed in any accepted noise, parses to the same postings', () => {
    fc.assert(
      fc.property(remittance, fc.constantFrom(...delimiterSets), noise, (r, d, n) => {
        const clean = build835([r], { delimiters: d, date: '2025-03-15' });
        const expected = parse835WithWarnings(clean);
        expect(expected.warnings).toEqual([]);
        const dressed = parse835WithWarnings(dress(clean, d, n));
        expect(postings(dressed.remittances)).toEqual(postings(expected.remittances));
        // The payment date survives as DTM*405 or the file date GS04 (both 2025-03-14/15 here).
        expect(['2025-03-14', '2025-03-15']).toContain(dressed.remittances[0]?.paymentDate);
        if (n.bom) expect(dressed.warnings.map((w) => w.rule)).toContain('noise.byte_order_mark');
        if (n.dosEof) expect(dressed.warnings.map((w) => w.rule)).toContain('noise.end_of_file_marker');
        if (n.dropBpr16) expect(dressed.warnings.map((w) => w.rule)).toContain('bpr.payment_date_fallback');
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

/** Where money sits in an 835, by segment id: the elements the balancing rules read. */
const MONEY_ELEMENTS: Record<string, number[]> = {
  BPR: [2],
  CLP: [3, 4],
  CAS: [3, 6, 9, 12, 15, 18],
  SVC: [2, 3],
  PLB: [4, 6, 8, 10, 12, 14],
};

describe('835 strict on money', () => {
  it('any single change of an amount in a balanced file is refused, naming that or a balancing segment', () => {
    fc.assert(
      fc.property(
        remittance,
        fc.nat(),
        fc.integer({ min: -100_000, max: 100_000 }).filter((c) => c !== 0),
        (r, pick, delta) => {
          const d = delimiterSets[0]!;
          const segments = build835([r], { delimiters: d, date: '2025-03-15' }).split(d.segment);
          const places: [number, number][] = [];
          segments.forEach((seg, i) => {
            const elements = seg.split(d.element);
            for (const n of MONEY_ELEMENTS[elements[0] ?? ''] ?? [])
              if ((elements[n] ?? '') !== '') places.push([i, n]);
          });
          const [at, n] = places[pick % places.length]!;
          const elements = segments[at]!.split(d.element);
          elements[n] = formatX12Amount(parseCents(elements[n]!) + delta);
          segments[at] = elements.join(d.element);
          let refused: X12ParseError | undefined;
          try {
            parse835WithWarnings(segments.join(d.segment));
          } catch (e) {
            if (!(e instanceof X12ParseError)) throw e;
            refused = e;
          }
          expect(refused, `${elements[0]}${n} changed by ${delta}`).toBeDefined();
          expect(refused!.errors.map((e) => e.rule).some((rule) => /^(balance|bpr)\./.test(rule))).toBe(true);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
