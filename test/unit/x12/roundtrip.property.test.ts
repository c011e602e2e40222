import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Adjustment,
  build835,
  type CasGroupCode,
  type ClaimPayment,
  type ClaimStatusCode,
  type Delimiters,
  type Party,
  type ProviderAdjustment,
  parse835,
  type Remittance835,
  type ServiceLine,
  X12ParseError,
} from '../../../domain/x12/index.js';

const NUM_RUNS = 200;

const code = (max: number) => fc.stringMatching(new RegExp(`^[A-Z0-9]{1,${max}}$`));
const name = fc.stringMatching(/^[A-Z][A-Z0-9 ]{0,18}[A-Z0-9]$/);
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const isoDate = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
/** Integer cents, never floats: up to $10M per amount keeps every sum a safe integer. */
const cents = fc.integer({ min: 0, max: 1_000_000_000 });
const quantity = fc.integer({ min: 1, max: 999 });

/** A record keyed by some of `keys`, absent (undefined) rather than empty so the parser's output matches. */
function someOf<T>(keys: string[], value: fc.Arbitrary<T>): fc.Arbitrary<Record<string, T>> {
  return fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: keys.length });
}

/**
 * The builder writes one CAS per group code in order of first appearance, so generated adjustments are
 * put in that order up front; then parse(build(x)) can equal x exactly.
 */
function inGroupOrder(adjustments: Adjustment[]): Adjustment[] {
  const order: string[] = [];
  for (const a of adjustments) if (!order.includes(a.group)) order.push(a.group);
  return order.flatMap((g) => adjustments.filter((a) => a.group === g));
}

const adjustment: fc.Arbitrary<Adjustment> = fc.record(
  {
    group: fc.constantFrom<CasGroupCode>('CO', 'PR', 'OA', 'PI', 'CR'),
    reason: code(3),
    amountCents: fc.integer({ min: -100_000_000, max: 100_000_000 }),
    quantity: opt(quantity),
  },
  { requiredKeys: ['group', 'reason', 'amountCents'] },
);
const adjustments = fc.array(adjustment, { maxLength: 14 }).map(inGroupOrder);

const procedure = fc.record({
  qualifier: fc.constantFrom('HC', 'AD', 'N4', 'NU'),
  code: code(8),
  modifiers: fc.array(fc.stringMatching(/^[A-Z0-9]{2}$/), { maxLength: 4 }),
});

/** A balanced service line: paid and CAS are generated, the charge derived (SVC02 - SVC03 = line CAS). */
const serviceLine: fc.Arbitrary<ServiceLine> = fc
  .record({
    procedure,
    paidCents: cents,
    revenueCode: opt(fc.stringMatching(/^\d{4}$/)),
    unitsPaid: opt(quantity),
    originalProcedure: opt(procedure),
    originalUnits: opt(quantity),
    serviceDate: opt(isoDate),
    serviceDateEnd: opt(isoDate),
    adjustments,
    refs: someOf(['6R', '1S', 'LU', 'G1', '0K'], code(12)),
    amounts: someOf(['B6', 'KH', 'T', 'T2', 'ZK'], cents),
    remarkCodes: fc.array(code(5), { maxLength: 3 }),
  })
  .map((l) => ({ ...l, chargeCents: l.paidCents + l.adjustments.reduce((s, a) => s + a.amountCents, 0) }));

const nm1Party = (entity: string): fc.Arbitrary<Party> =>
  fc.record({
    entity: fc.constant(entity),
    entityType: fc.constantFrom<'1' | '2'>('1', '2'),
    name: opt(name),
    firstName: opt(name),
    middleName: opt(code(1)),
    idQualifier: opt(fc.constantFrom('MI', 'XX', 'HN', '34')),
    id: opt(code(15)),
  });

const n1Party = (entity: string): fc.Arbitrary<Party> =>
  fc.record({
    entity: fc.constant(entity),
    name: opt(name),
    idQualifier: opt(fc.constantFrom('XV', 'XX', 'FI', 'PI')),
    id: opt(code(15)),
    address: opt(
      fc.record({
        lines: fc.array(name, { maxLength: 2 }),
        city: name,
        state: opt(fc.stringMatching(/^[A-Z]{2}$/)),
        postalCode: opt(fc.stringMatching(/^\d{5}(\d{4})?$/)),
        countryCode: opt(fc.constantFrom('US', 'CA')),
      }),
    ),
    refs: opt(
      fc.dictionary(fc.constantFrom('2U', 'EO', 'TJ', 'PQ', 'NF'), code(12), { minKeys: 1, maxKeys: 3 }),
    ),
  });

/**
 * A balanced claim: CLP03 - CLP04 = claim CAS + line CAS. A reversal (CLP02 = 22) negates every amount of
 * a balanced claim, which keeps it balanced.
 */
const claimPayment: fc.Arbitrary<ClaimPayment> = fc
  .record({
    patientControlNumber: code(20),
    statusCode: fc.constantFrom<ClaimStatusCode>('1', '2', '3', '4', '19', '20', '21', '22', '23', '25'),
    paidCents: cents,
    patientResponsibilityCents: cents,
    filingIndicator: opt(fc.constantFrom('MB', 'MC', 'CI', '16', 'BL')),
    payerClaimNumber: code(20),
    facilityCode: opt(fc.constantFrom('11', '21', '22', '13')),
    frequencyCode: opt(fc.constantFrom('1', '7', '8')),
    adjustments,
    patient: opt(nm1Party('QC')),
    insured: opt(nm1Party('IL')),
    correctedPatient: opt(nm1Party('74')),
    renderingProvider: opt(nm1Party('82')),
    remarkCodes: fc.array(code(5), { maxLength: 5 }),
    refs: someOf(['1K', '1L', 'EA', 'F8', 'G1', '9A', 'BB'], code(15)),
    dates: someOf(['232', '233', '050', '036'], isoDate),
    amounts: someOf(['AU', 'D8', 'F5', 'I', 'NL', 'T', 'ZK'], cents),
    quantities: someOf(['CA', 'CD', 'LA', 'NE', 'ZK'], quantity),
    serviceLines: fc.array(serviceLine, { maxLength: 3 }),
  })
  .map((c) => {
    const cas = [...c.adjustments, ...c.serviceLines.flatMap((l) => l.adjustments)];
    const claim: ClaimPayment = {
      ...c,
      chargeCents: c.paidCents + cas.reduce((s, a) => s + a.amountCents, 0),
    };
    return claim.statusCode === '22' ? negate(claim) : claim;
  });

function negate(claim: ClaimPayment): ClaimPayment {
  const neg = (n: number) => (n === 0 ? 0 : -n);
  const negAdj = (list: Adjustment[]) => list.map((a) => ({ ...a, amountCents: neg(a.amountCents) }));
  return {
    ...claim,
    chargeCents: neg(claim.chargeCents),
    paidCents: neg(claim.paidCents),
    patientResponsibilityCents: neg(claim.patientResponsibilityCents),
    adjustments: negAdj(claim.adjustments),
    serviceLines: claim.serviceLines.map((l) => ({
      ...l,
      chargeCents: neg(l.chargeCents),
      paidCents: neg(l.paidCents),
      adjustments: negAdj(l.adjustments),
    })),
  };
}

const providerAdjustment: fc.Arbitrary<ProviderAdjustment> = fc.record(
  {
    providerId: fc.constantFrom('1234567893', '1987654321'),
    fiscalPeriodDate: fc.constantFrom('2025-12-31', '2026-12-31'),
    reason: fc.constantFrom('L6', 'WO', 'FB', 'CS', '72', 'J1'),
    reference: opt(code(15)),
    amountCents: fc.integer({ min: -10_000_000, max: 10_000_000 }),
  },
  { requiredKeys: ['providerId', 'fiscalPeriodDate', 'reason', 'amountCents'] },
);

const envelope = fc.record({
  interchangeControlNumber: fc.stringMatching(/^\d{9}$/),
  groupControlNumber: fc.stringMatching(/^[1-9]\d{0,8}$/),
  senderId: fc.stringMatching(/^[A-Z0-9]{2,15}$/),
  receiverId: fc.stringMatching(/^[A-Z0-9]{2,15}$/),
});

/** One payment whose BPR02 is derived so that BPR02 = sum(CLP04) - sum(PLB), signed by BPR03. */
const payment = fc
  .record({
    handlingCode: fc.constantFrom('C', 'D', 'H', 'I', 'P', 'U', 'X'),
    paymentMethod: fc.constantFrom('ACH', 'BOP', 'CHK', 'FWT', 'NON'),
    paymentDate: isoDate,
    traceNumber: code(30),
    traceOriginator: fc.stringMatching(/^1\d{9}$/),
    productionDate: opt(isoDate),
    refs: opt(fc.dictionary(fc.constantFrom('EV', 'F2'), code(12), { minKeys: 1, maxKeys: 2 })),
    payer: n1Party('PR'),
    payee: n1Party('PE'),
    claims: fc.array(claimPayment, { maxLength: 4 }),
    providerAdjustments: fc.array(providerAdjustment, { maxLength: 8 }),
  })
  .map((p) => {
    const net =
      p.claims.reduce((s, c) => s + c.paidCents, 0) -
      p.providerAdjustments.reduce((s, a) => s + a.amountCents, 0);
    // BPR01 H (notification only) moves no money: a payment with a net uses I (remittance information).
    const handlingCode = p.handlingCode === 'H' && net !== 0 ? 'I' : p.handlingCode;
    return {
      ...p,
      handlingCode,
      paymentCents: Math.abs(net),
      creditDebit: net < 0 ? ('D' as const) : ('C' as const),
    };
  });

const remittances: fc.Arbitrary<Remittance835[]> = fc
  .tuple(
    envelope,
    fc.uniqueArray(fc.stringMatching(/^[A-Z0-9]{4,9}$/), { minLength: 1, maxLength: 3 }),
    fc.array(payment, { minLength: 3, maxLength: 3 }),
  )
  .map(([env, controls, payments]) =>
    controls.map((transactionControlNumber, i) => ({ ...env, transactionControlNumber, ...payments[i]! })),
  );

/** Delimiters that never occur in generated data (which uses A-Z, 0-9, space, '-' and '.'). */
const DELIMITER_POOL = [
  '*',
  '|',
  '^',
  '~',
  '!',
  ':',
  '>',
  '<',
  '{',
  '}',
  '\\',
  '`',
  '@',
  '#',
  '$',
  '%',
  '&',
  '=',
  '?',
];
const delimiters: fc.Arbitrary<Delimiters> = fc
  .tuple(fc.shuffledSubarray(DELIMITER_POOL, { minLength: 4, maxLength: 4 }), fc.boolean())
  .map(([[element = '*', component = ':', segment = '~', repetition = '^'], newlineTerminated]) => ({
    element,
    component,
    segment: newlineTerminated ? '\n' : segment,
    repetition,
  }));

describe('build835 -> parse835 round trip', () => {
  it('gives back the same balanced remittances, for any valid delimiter set and line breaking', () => {
    fc.assert(
      fc.property(remittances, delimiters, fc.boolean(), (input, d, lineBreaks) => {
        const text = build835(input, { delimiters: d, lineBreaks });
        expect(parse835(text)).toEqual(input);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

/** A damage applied to a valid file: insert, delete or replace one character, or truncate. */
const damage = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    char: fc.string({ minLength: 1, maxLength: 1 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(),
    char: fc.string({ minLength: 1, maxLength: 1 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

type DamageOp =
  | { kind: 'insert' | 'replace'; at: number; char: string }
  | { kind: 'delete' | 'truncate'; at: number };

function applyDamage(text: string, d: DamageOp): string {
  const at = text.length === 0 ? 0 : d.at % text.length;
  switch (d.kind) {
    case 'insert':
      return text.slice(0, at) + d.char + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + 1);
    case 'replace':
      return text.slice(0, at) + d.char + text.slice(at + 1);
    case 'truncate':
      return text.slice(0, at);
  }
}

/** Parses and fails the property if anything but X12ParseError escapes. */
function parsesOrRefusesCleanly(text: string): void {
  try {
    parse835(text);
  } catch (e) {
    if (!(e instanceof X12ParseError)) throw e;
    expect(e.errors.length).toBeGreaterThan(0);
    for (const detail of e.errors) expect(detail.segmentPosition).toBeGreaterThanOrEqual(1);
  }
}

describe('parse835 robustness', () => {
  it('throws nothing but X12ParseError on a valid file with random characters inserted, deleted, replaced or cut', () => {
    fc.assert(
      fc.property(
        remittances,
        delimiters,
        fc.array(damage, { minLength: 1, maxLength: 5 }),
        (input, d, damages) => {
          let text = build835(input, { delimiters: d });
          for (const op of damages) text = applyDamage(text, op);
          parsesOrRefusesCleanly(text);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('throws nothing but X12ParseError on random text, with or without a valid ISA in front', () => {
    const isa =
      'ISA*00*          *00*          *ZZ*PAYERSIM       *ZZ*DENIALDESK     *250315*0930*^*00501*000000042*0*P*:~';
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.boolean(), (noise, withIsa) => {
        parsesOrRefusesCleanly(withIsa ? isa + noise : noise);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
