/**
 * ERA ingestion: parse throughput against a split-only floor and the npm tokenizers x12-parser and
 * node-x12 on the same bytes; posting to Postgres against one multi-row INSERT per batch of the same
 * rows; peak RSS of parsing a 50 MB file (in a child process, so nothing else counts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { X12Parser as NodeX12Parser } from 'node-x12';
import { X12parser } from 'x12-parser';
import { postEraFile, storeEraFile } from '../../db/remittances.js';
import { build835, type ClaimPayment, parse835, type Remittance835 } from '../../domain/x12/index.js';
import type { BenchStack } from '../stack.js';

/** A remittance for `claims` claims of `linesPerClaim` service lines each, PCNs `ERA00000001`.. */
export function remittanceWith(claims: number, linesPerClaim: number, trace = 'EFT1'): Remittance835 {
  const list: ClaimPayment[] = [];
  for (let i = 0; i < claims; i++) {
    const lineCharge = 5_000 + (i % 50) * 100;
    const denied = i % 8 === 0;
    const linePaid = denied ? 0 : lineCharge - 1_000;
    const serviceLines = Array.from({ length: linesPerClaim }, (_, l) => ({
      procedure: { qualifier: 'HC', code: l === 0 ? '99213' : '36415', modifiers: [] },
      chargeCents: lineCharge,
      paidCents: linePaid,
      adjustments: [
        { group: 'CO' as const, reason: denied ? '50' : '45', amountCents: lineCharge - linePaid },
      ],
      refs: { '6R': String(l + 1) },
      amounts: {},
      remarkCodes: denied ? ['N115'] : [],
      serviceDate: '2026-10-01',
    }));
    list.push({
      patientControlNumber: pcnOf(i),
      statusCode: denied ? '4' : '1',
      chargeCents: lineCharge * linesPerClaim,
      paidCents: linePaid * linesPerClaim,
      patientResponsibilityCents: 0,
      payerClaimNumber: `ICN${trace}${i}`,
      adjustments: [],
      remarkCodes: [],
      refs: {},
      dates: {},
      amounts: {},
      quantities: {},
      serviceLines,
    });
  }
  return {
    interchangeControlNumber: '000000001',
    groupControlNumber: '1',
    transactionControlNumber: '0001',
    senderId: 'ACMEHEALTH',
    receiverId: 'DENIALDESK',
    handlingCode: 'I',
    paymentCents: list.reduce((s, c) => s + c.paidCents, 0),
    creditDebit: 'C',
    paymentMethod: 'ACH',
    paymentDate: '2026-11-01',
    traceNumber: trace,
    traceOriginator: '1999999999',
    payer: { entity: 'PR', name: 'ACME HEALTH', idQualifier: 'XV', id: 'ACME-HEALTH' },
    payee: { entity: 'PE', name: 'SUNRISE FAMILY PRACTICE', idQualifier: 'XX', id: '1234567893' },
    claims: list,
    providerAdjustments: [],
  };
}

export const pcnOf = (i: number) => `ERA${String(i).padStart(8, '0')}`;

function timeMs(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The floor: split into segments and elements with the file's own separators, nothing more. */
function splitOnly(text: string): number {
  const element = text[3]!;
  const segment = text[105]!;
  let n = 0;
  for (const s of text.split(segment)) n += s.split(element).length;
  return n;
}

async function x12ParserTokens(text: string): Promise<number> {
  let n = 0;
  const parser = new X12parser();
  await new Promise<void>((resolve, reject) => {
    Readable.from([Buffer.from(text)])
      .pipe(parser)
      .on('data', () => {
        n++;
      })
      .on('end', resolve)
      .on('error', reject);
  });
  return n;
}

export interface EraParseRound {
  oursMs: number;
  floorMs: number;
  x12ParserMs: number;
  nodeX12Ms: number;
}

export async function runEraParse(claims: number, lines: number, rounds: number) {
  const text = build835([remittanceWith(claims, lines)]);
  const bytes = Buffer.byteLength(text);
  const out: EraParseRound[] = [];
  // One untimed pass each warms the JIT.
  parse835(text);
  splitOnly(text);
  for (let r = 0; r < rounds; r++) {
    const oursMs = timeMs(() => parse835(text));
    const floorMs = timeMs(() => splitOnly(text));
    const x12ParserMs = await timeAsync(() => x12ParserTokens(text));
    const nodeX12Ms = timeMs(() => new NodeX12Parser(true).parse(text));
    out.push({ oursMs, floorMs, x12ParserMs, nodeX12Ms });
  }
  return { bytes, claims, serviceLines: claims * lines, rounds: out };
}

/** Claims and patients for the PCNs of `remittanceWith(claims, lines)`, by one set-based INSERT each. */
export async function seedEraClaims(stack: BenchStack, claims: number, lines: number): Promise<void> {
  await sql`
    insert into patients (practice_id, external_id, first_name, last_name, birth_date, member_id)
    values ('sunrise-fp', 'ERA-BENCH', 'Bench', 'Patient', '1980-04-02', 'LOST-ERA')
    on conflict do nothing`.execute(stack.db);
  await sql`
    insert into claims (practice_id, claim_id, patient_control_number, patient_id, payer_id,
      billing_provider_npi, date_of_service, diagnosis_codes, total_charge_cents, status,
      open_balance_cents, workflow_id, submitted_at)
    select 'sunrise-fp', 'ERA' || lpad(i::text, 8, '0'), 'ERA' || lpad(i::text, 8, '0'),
      (select id from patients where external_id = 'ERA-BENCH'), 'ACME-HEALTH', '1234567893',
      date '2026-10-01', array['E11.9'], (5000 + (i % 50) * 100) * ${lines}, 'AWAITING_ADJUDICATION',
      (5000 + (i % 50) * 100) * ${lines}, 'bench-era-' || i, now()
    from generate_series(0, ${claims - 1}) as i
    on conflict do nothing`.execute(stack.db);
}

async function clearPostings(stack: BenchStack): Promise<void> {
  await sql`truncate claim_adjustments, claim_payments, unmatched_claim_payments, provider_adjustments,
    remittances, era_files cascade`.execute(stack.db);
}

export interface EraPostRound {
  oursMs: number;
  floorMs: number;
  rows: number;
  posted: number;
}

/**
 * Posting: our path (store the file, parse, match every claim, write payments and adjustments in one
 * transaction) against inserting the rows it wrote, copied to look-alike tables, 500 per INSERT.
 */
export async function runEraPost(stack: BenchStack, claims: number, lines: number, rounds: number) {
  await seedEraClaims(stack, claims, lines);
  await sql`create table if not exists bench_floor_payments (like claim_payments including defaults)`.execute(
    stack.db,
  );
  await sql`create table if not exists bench_floor_adjustments (like claim_adjustments including defaults)`.execute(
    stack.db,
  );
  const out: EraPostRound[] = [];
  for (let r = 0; r < rounds; r++) {
    await clearPostings(stack);
    const text = build835([remittanceWith(claims, lines, `EFT${r}`)]);
    let posted = 0;
    const oursMs = await timeAsync(async () => {
      const stored = await storeEraFile(stack.db, { raw: text, source: 'upload' });
      if (stored.status !== 'ACCEPTED') throw new Error('the generated 835 was refused');
      posted = (await postEraFile(stack.db, stored.eraFileId)).posted;
    });
    if (posted !== claims) throw new Error(`posting matched ${posted} of ${claims} claims`);
    // jsonb comes back parsed: send it as the JSON text our posting sent.
    const payments = (await stack.db.selectFrom('claim_payments').selectAll().execute()).map((p) => ({
      ...p,
      summary: JSON.stringify(p.summary),
      contract_check: p.contract_check === null ? null : JSON.stringify(p.contract_check),
    }));
    const adjustments = await stack.db.selectFrom('claim_adjustments').selectAll().execute();
    await sql`truncate bench_floor_payments, bench_floor_adjustments`.execute(stack.db);
    const floorMs = await timeAsync(() =>
      stack.db.transaction().execute(async (trx) => {
        for (let i = 0; i < payments.length; i += 500)
          await trx
            .insertInto('bench_floor_payments' as 'claim_payments')
            .values(payments.slice(i, i + 500))
            .execute();
        for (let i = 0; i < adjustments.length; i += 500)
          await trx
            .insertInto('bench_floor_adjustments' as 'claim_adjustments')
            .values(adjustments.slice(i, i + 500))
            .execute();
      }),
    );
    out.push({ oursMs, floorMs, rows: payments.length + adjustments.length, posted });
  }
  await clearPostings(stack);
  return { claims, rounds: out };
}

/** Peak RSS (bytes) of a fresh process that reads and parses a generated 835 of about `mb` MB. */
export function peakRssOfParse(mb: number): { bytes: number; claims: number; peakRssBytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'denial-desk-era-'));
  try {
    // About 300 bytes per claim with three lines: size the file, then measure it exactly.
    const claims = Math.round((mb * 1e6) / 330);
    const file = join(dir, 'big.835');
    const text = build835([remittanceWith(claims, 3)]);
    writeFileSync(file, text);
    const outText = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '..', 'era-rss.ts'), file],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    const { peakRssBytes } = JSON.parse(outText.trim().split('\n').pop()!) as { peakRssBytes: number };
    return { bytes: Buffer.byteLength(text), claims, peakRssBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
