import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimPayment } from '../../domain/x12/index.js';
import {
  balanceViolations,
  claimPaymentsOf,
  daysAgo,
  makeClaim,
  type RunningSim,
  startSim,
  VALID_NPI,
} from './support.js';

/** Where a scenario's denial sits: claim-level CAS, every line, the first line, or the lines after it. */
type Level = 'claim' | 'all' | 'first' | 'after-first';

const DENIALS: [
  prefix: string,
  clp02: string,
  level: Level,
  group: string,
  reason: string,
  remark?: string,
][] = [
  ['ELIG27-', '4', 'claim', 'CO', '27', 'N30'],
  ['ELIG31-', '4', 'claim', 'CO', '31'],
  ['COB22-', '1', 'all', 'CO', '22', 'MA04'],
  ['AUTH197-', '1', 'all', 'CO', '197', 'M62'],
  ['CODE4-', '1', 'first', 'CO', '4', 'N519'],
  ['CODE11-', '1', 'all', 'CO', '11', 'M76'],
  ['INFO16-', '1', 'first', 'CO', '16', 'M51'],
  ['NPI16-', '1', 'all', 'CO', '16', 'N290'],
  ['BUNDLE97-', '1', 'after-first', 'CO', '97', 'M15'],
  ['DENY50-', '1', 'all', 'CO', '50', 'N115'],
  ['LATE29-', '4', 'claim', 'CO', '29'],
  ['DUP18-', '4', 'claim', 'OA', '18'],
  ['NONCOV96-', '1', 'all', 'CO', '96', 'N130'],
  ['NONCOV204-', '1', 'all', 'PR', '204', 'N130'],
  ['CREDB7-', '1', 'all', 'CO', 'B7', 'N570'],
];

const PATIENT_SHARES: [prefix: string, reason: string, paidZero: boolean][] = [
  ['DEDUCT-', '1', true],
  ['COINS-', '2', false],
  ['COPAY-', '3', false],
];

interface View {
  paidCents: number;
  claimStatusCode: string;
  payerClaimNumber: string;
  adjustments: { lineNumber?: number; group: string; reason: string; amountCents: number }[];
}

function flatAdjustments(clp: ClaimPayment) {
  return [
    ...clp.adjustments.map((a) => ({ group: a.group, reason: a.reason, amountCents: a.amountCents })),
    ...clp.serviceLines.flatMap((l) =>
      l.adjustments.map((a) => ({
        lineNumber: Number(l.refs['6R']),
        group: a.group,
        reason: a.reason,
        amountCents: a.amountCents,
      })),
    ),
  ];
}

describe('payer-sim remittances (835)', () => {
  let sim: RunningSim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(async () => {
    await sim.close();
  });

  it('every scenario outcome produces an 835 that parses, balances and matches what the sim decided', async () => {
    const claims = new Map<string, (typeof DENIALS)[number] | (typeof PATIENT_SHARES)[number] | 'paid'>();
    for (const row of [...DENIALS, ...PATIENT_SHARES, ['PAID-'] as const]) {
      const claim = makeClaim({ memberId: `${row[0]}1001` });
      await sim.submit(claim, `scenario-${claim.patientControlNumber}`);
      claims.set(claim.patientControlNumber, row.length === 1 ? 'paid' : (row as (typeof DENIALS)[number]));
    }
    await sim.adjudicate();
    const files = await sim.remittances();
    for (const file of files) for (const r of file.parsed) expect(balanceViolations(r)).toEqual([]);

    for (const [pcn, row] of claims) {
      const [clp, ...more] = claimPaymentsOf(files, pcn);
      expect(more).toEqual([]);
      if (!clp) throw new Error(`no CLP for ${pcn}`);
      const view = (await sim.control<View>('GET', `/claims/${pcn}`)).body;
      expect(view.paidCents).toBe(clp.paidCents);
      expect(view.claimStatusCode).toBe(clp.statusCode);
      expect(view.payerClaimNumber).toBe(clp.payerClaimNumber);
      expect(view.adjustments).toEqual(flatAdjustments(clp));

      if (row === 'paid') {
        expect(clp.statusCode).toBe('1');
        expect(clp.paidCents).toBeGreaterThan(0);
        expect(flatAdjustments(clp).every((a) => a.group === 'CO' && a.reason === '45')).toBe(true);
        expect(clp.serviceLines.every((l) => l.amounts.B6 === l.paidCents)).toBe(true);
        continue;
      }
      if (row.length === 3) {
        const [, reason, paidZero] = row;
        expect(clp.statusCode).toBe('1');
        expect(flatAdjustments(clp).some((a) => a.group === 'PR' && a.reason === reason)).toBe(true);
        expect(clp.paidCents === 0).toBe(paidZero);
        const pr = flatAdjustments(clp).filter((a) => a.group === 'PR');
        expect(clp.patientResponsibilityCents).toBe(pr.reduce((s, a) => s + a.amountCents, 0));
        continue;
      }
      const [prefix, clp02, level, group, reason, remark] = row;
      expect(clp.statusCode, prefix).toBe(clp02);
      const denial = { group, reason };
      if (level === 'claim') {
        expect(clp.adjustments, prefix).toEqual([{ ...denial, amountCents: clp.chargeCents }]);
        expect(clp.serviceLines).toEqual([]);
        expect(clp.paidCents).toBe(0);
        if (remark) expect(clp.remarkCodes).toEqual([remark]);
        continue;
      }
      const deniedLines = clp.serviceLines.filter((l) => l.adjustments.some((a) => a.reason === reason));
      const expectedCount = { all: 2, first: 1, 'after-first': 1 }[level];
      expect(deniedLines, prefix).toHaveLength(expectedCount);
      if (level === 'first') expect(deniedLines[0]).toBe(clp.serviceLines[0]);
      if (level === 'after-first') expect(deniedLines[0]).toBe(clp.serviceLines[1]);
      for (const line of deniedLines) {
        expect(line.paidCents).toBe(0);
        expect(line.adjustments).toEqual([{ ...denial, amountCents: line.chargeCents }]);
        if (remark) expect(line.remarkCodes).toEqual([remark]);
      }
      if (group === 'PR') expect(clp.patientResponsibilityCents).toBe(clp.chargeCents);
    }
  });

  it('groups claims per payer per check run, one transaction per payee, each with a unique TRN02', async () => {
    const otherNpi = '1245319599';
    const submissions = [
      makeClaim({ payerId: 'GROUP-A', memberId: 'PAID-1' }),
      makeClaim({ payerId: 'GROUP-A', memberId: 'PAID-2' }),
      makeClaim({ payerId: 'GROUP-A', memberId: 'PAID-3', billingProviderNpi: otherNpi }),
      makeClaim({ payerId: 'GROUP-B', memberId: 'PAID-4' }),
    ];
    const before = await sim.v1<{ nextCursor?: string }>('GET', '/remittances?limit=1000');
    for (const c of submissions) await sim.submit(c, `group-${c.patientControlNumber}`);
    const cycle = await sim.adjudicate();
    expect(cycle.remittanceIds).toHaveLength(2);
    const files = await sim.remittances(before.body.nextCursor);
    expect(files.map((f) => f.payerId).sort()).toEqual(['GROUP-A', 'GROUP-B']);
    const fileA = files.find((f) => f.payerId === 'GROUP-A')!;
    expect(fileA.parsed).toHaveLength(2);
    expect(fileA.parsed.map((r) => r.payee.id).sort()).toEqual([VALID_NPI, otherNpi].sort());
    expect(fileA.parsed.find((r) => r.payee.id === VALID_NPI)?.claims).toHaveLength(2);
    for (const r of fileA.parsed) expect(r.payer.refs?.['2U']).toBe('GROUP-A');

    const again = makeClaim({ payerId: 'GROUP-A', memberId: 'PAID-5' });
    await sim.submit(again, `group-${again.patientControlNumber}`);
    await sim.adjudicate();
    const traces = (await sim.remittances()).flatMap((f) => f.parsed.map((r) => r.traceNumber));
    expect(new Set(traces).size).toBe(traces.length);
  });

  it('lists files in order behind a cursor: a cursor lists only newer files, the last one lists none', async () => {
    const first = await sim.v1<{ items: { id: string }[]; nextCursor?: string }>(
      'GET',
      '/remittances?limit=1000',
    );
    const cursor = first.body.nextCursor;
    const claim = makeClaim({ payerId: 'CURSOR' });
    await sim.submit(claim, `cursor-${claim.patientControlNumber}`);
    const { remittanceIds } = await sim.adjudicate();
    const newer = await sim.v1<{ items: { id: string }[]; nextCursor?: string }>(
      'GET',
      `/remittances?after=${cursor}`,
    );
    expect(newer.body.items.map((i) => i.id)).toEqual(remittanceIds);
    const none = await sim.v1<{ items: unknown[]; nextCursor?: string }>(
      'GET',
      `/remittances?after=${newer.body.nextCursor}`,
    );
    expect(none.body).toEqual({ items: [] });

    const paged: string[] = [];
    let after = '';
    for (;;) {
      const page = await sim.v1<{ items: { id: string }[]; nextCursor?: string }>(
        'GET',
        `/remittances?limit=1${after ? `&after=${after}` : ''}`,
      );
      if (page.body.items.length === 0) break;
      paged.push(...page.body.items.map((i) => i.id));
      after = page.body.nextCursor!;
    }
    expect(paged).toEqual([...first.body.items.map((i) => i.id), ...remittanceIds]);
    const bad = await sim.v1('GET', '/remittances?after=not-a-cursor');
    expect(bad.status).toBe(422);
  });

  it('serves a file as text/plain X12 and answers 404 for an unknown id', async () => {
    const list = await sim.v1<{ items: { id: string; sizeBytes: number }[] }>('GET', '/remittances');
    const item = list.body.items[0]!;
    const file = await sim.v1<string>('GET', `/remittances/${item.id}`);
    expect(file.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(file.body.startsWith('ISA*')).toBe(true);
    expect(Buffer.byteLength(file.body)).toBe(item.sizeBytes);
    expect((await sim.v1('GET', '/remittances/era-nope-000001')).status).toBe(404);
  });

  it('97140 without modifier 59 is bundled (CO-97 + M15 on that line); with 59 it is not bundled', async () => {
    const dos = daysAgo(5);
    const lines = (modifiers: string[]) => [
      { lineNumber: 1, procedureCode: '98941', modifiers: [], units: 1, chargeCents: 9000, serviceDate: dos },
      { lineNumber: 2, procedureCode: '97140', modifiers, units: 2, chargeCents: 6000, serviceDate: dos },
    ];
    const bundled = makeClaim({ lines: lines([]) });
    const distinct = makeClaim({ lines: lines(['59']) });
    await sim.submit(bundled, `b-${bundled.patientControlNumber}`);
    await sim.submit(distinct, `b-${distinct.patientControlNumber}`);
    await sim.adjudicate();
    const files = await sim.remittances();
    const [b] = claimPaymentsOf(files, bundled.patientControlNumber);
    expect(b?.serviceLines[1]?.adjustments).toEqual([{ group: 'CO', reason: '97', amountCents: 6000 }]);
    expect(b?.serviceLines[1]?.remarkCodes).toEqual(['M15']);
    expect(b?.serviceLines[0]?.paidCents).toBeGreaterThan(0);
    const [d] = claimPaymentsOf(files, distinct.patientControlNumber);
    expect(d?.serviceLines.flatMap((l) => l.adjustments).some((a) => a.reason === '97')).toBe(false);
  });

  it('a date of service more than 365 days before receipt is denied CO-29 (timely filing) at claim level', async () => {
    const dos = daysAgo(400);
    const claim = makeClaim({
      dateOfService: dos,
      lines: [
        {
          lineNumber: 1,
          procedureCode: '99213',
          modifiers: [],
          units: 1,
          chargeCents: 12_000,
          serviceDate: dos,
        },
      ],
    });
    await sim.submit(claim, `tf-${claim.patientControlNumber}`);
    await sim.adjudicate();
    const [clp] = claimPaymentsOf(await sim.remittances(), claim.patientControlNumber);
    expect(clp).toMatchObject({ statusCode: '4', paidCents: 0 });
    expect(clp?.adjustments).toEqual([{ group: 'CO', reason: '29', amountCents: 12_000 }]);
  });
});
