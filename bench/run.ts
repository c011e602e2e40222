/**
 * `npm run bench`: throughput and memory of the hot pure paths (835 parse/build, remittance
 * assessment). Timings live here, never in tests. Writes bench/results/latest.{json,md}.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assessRemittance, summariseClaimPayment } from '../domain/remittance.js';
import { build835, type ClaimPayment, parse835, type Remittance835 } from '../domain/x12/index.js';

function remittanceWith(claims: number): Remittance835 {
  const list: ClaimPayment[] = [];
  for (let i = 0; i < claims; i++) {
    const charge = 10_000 + (i % 50) * 100;
    const paid = i % 8 === 0 ? 0 : charge - 2_000;
    list.push({
      patientControlNumber: `PCN${String(i).padStart(8, '0')}`,
      statusCode: '1',
      chargeCents: charge,
      paidCents: paid,
      patientResponsibilityCents: 0,
      payerClaimNumber: `ICN${i}`,
      adjustments: [],
      remarkCodes: [],
      refs: {},
      dates: {},
      amounts: {},
      quantities: {},
      serviceLines: [
        {
          procedure: { qualifier: 'HC', code: '99213', modifiers: [] },
          chargeCents: charge,
          paidCents: paid,
          adjustments: [{ group: 'CO', reason: paid === 0 ? '50' : '45', amountCents: charge - paid }],
          refs: { '6R': '1' },
          amounts: {},
          remarkCodes: paid === 0 ? ['N115'] : [],
          serviceDate: '2026-10-01',
        },
      ],
    });
  }
  return {
    interchangeControlNumber: '000000001',
    groupControlNumber: '1',
    transactionControlNumber: '0001',
    senderId: 'PAYER',
    receiverId: 'DENIALDESK',
    handlingCode: 'I',
    paymentCents: list.reduce((s, c) => s + c.paidCents, 0),
    creditDebit: 'C',
    paymentMethod: 'ACH',
    paymentDate: '2026-11-01',
    traceNumber: 'EFT1',
    traceOriginator: '1999999999',
    payer: { entity: 'PR', name: 'PAYER', idQualifier: 'XV', id: 'ACME-HEALTH' },
    payee: { entity: 'PE', name: 'PRACTICE', idQualifier: 'XX', id: '1234567893' },
    claims: list,
    providerAdjustments: [],
  };
}

function time<T>(fn: () => T, runs: number): { result: T; msPerRun: number } {
  let result = fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) result = fn();
  return { result, msPerRun: Number(process.hrtime.bigint() - start) / 1e6 / runs };
}

const claims = 5_000;
const model = remittanceWith(claims);
const built = time(() => build835([model]), 5);
const text = built.result;
const heapBefore = process.memoryUsage().heapUsed;
const parsed = time(() => parse835(text), 5);
const heapAfter = process.memoryUsage().heapUsed;
const summaries = parsed.result[0]!.claims.map((c) =>
  summariseClaimPayment(c, { payerId: 'ACME-HEALTH', traceNumber: 'EFT1', paymentDate: '2026-11-01' }),
);
const assessed = time(() => summaries.map(assessRemittance), 20);

const report = {
  node: process.version,
  at: new Date().toISOString(),
  file: { claims, bytes: text.length },
  build835: {
    msPerFile: +built.msPerRun.toFixed(1),
    claimsPerSecond: Math.round(claims / (built.msPerRun / 1000)),
  },
  parse835: {
    msPerFile: +parsed.msPerRun.toFixed(1),
    claimsPerSecond: Math.round(claims / (parsed.msPerRun / 1000)),
    megabytesPerSecond: +(text.length / 1e6 / (parsed.msPerRun / 1000)).toFixed(1),
    heapDeltaMb: +((heapAfter - heapBefore) / 1e6).toFixed(1),
  },
  assessRemittance: { opsPerSecond: Math.round(claims / (assessed.msPerRun / 1000)) },
};
const dir = join(import.meta.dirname, 'results');
writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(
  join(dir, 'latest.md'),
  `# Benchmarks (${report.at}, Node ${report.node})\n\n| what | result |\n| --- | --- |\n` +
    `| 835 file | ${claims} claims, ${(text.length / 1e6).toFixed(2)} MB |\n` +
    `| build835 | ${report.build835.msPerFile} ms/file, ${report.build835.claimsPerSecond} claims/s |\n` +
    `| parse835 (with balancing checks) | ${report.parse835.msPerFile} ms/file, ${report.parse835.claimsPerSecond} claims/s, ${report.parse835.megabytesPerSecond} MB/s |\n` +
    `| assessRemittance | ${report.assessRemittance.opsPerSecond} claims/s |\n`,
);
console.log(JSON.stringify(report, null, 2));
