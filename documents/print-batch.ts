/**
 * A print-vendor batch: every statement of a run merged into one PDF, plus a CSV manifest with one row
 * per statement (where it starts, how many pages, the mailing address, the amount). Vendors fold and
 * insert by the manifest's page ranges; the address columns let them run address hygiene before mailing.
 * The CSV follows RFC 4180 (quoted fields, CRLF line ends).
 */
import type { Cents } from '../domain/money.js';
import { sha256Hex } from './attachments/store.js';
import { assemble, BudgetClock, DEFAULT_BUDGET } from './pdf/assemble.js';
import { renderPatientStatement } from './statement.js';
import type { PatientStatementData, RenderBudget } from './types.js';

/** One manifest row. */
export interface PrintManifestRow {
  sequence: number;
  statementId: string;
  kind: PatientStatementData['kind'];
  accountNumber: string;
  recipient: string;
  addressLine1: string;
  addressLine2: string;
  city: string;
  state: string;
  postalCode: string;
  amountDue: string;
  dueDate: string;
  firstPage: number;
  pageCount: number;
}

/** The batch: the merged PDF, its hash and the manifest. */
export interface PrintBatch {
  batchId: string;
  pdf: Uint8Array;
  sha256: string;
  pageCount: number;
  rows: PrintManifestRow[];
  manifestCsv: string;
}

const COLUMNS: (keyof PrintManifestRow)[] = [
  'sequence',
  'statementId',
  'kind',
  'accountNumber',
  'recipient',
  'addressLine1',
  'addressLine2',
  'city',
  'state',
  'postalCode',
  'amountDue',
  'dueDate',
  'firstPage',
  'pageCount',
];

/** Dollars with exactly two decimals ("12.50"), as vendors' amount columns expect. */
function dollars(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Renders a manifest as CSV with a header row. */
export function manifestCsv(rows: PrintManifestRow[]): string {
  const lines = [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => csvField(r[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/** A statement already rendered (a stored PDF) with what its manifest row says. */
export interface BatchStatement {
  statementId: string;
  kind: PatientStatementData['kind'];
  accountNumber: string;
  guarantor: PatientStatementData['guarantor'];
  amountDueCents: Cents;
  dueDate: string;
  pdf: Uint8Array;
}

/** Renders every statement and merges them into one batch, in the order given. */
export async function renderPrintBatch(
  batchId: string,
  statements: PatientStatementData[],
  options: { createdOn: string; budget?: RenderBudget },
): Promise<PrintBatch> {
  const clock = new BudgetClock(options.budget ?? DEFAULT_BUDGET);
  const rendered: BatchStatement[] = [];
  for (const s of statements) {
    const pdf = await renderPatientStatement(s);
    rendered.push({
      statementId: s.statementId,
      kind: s.kind,
      accountNumber: s.patient.accountNumber,
      guarantor: s.guarantor,
      amountDueCents: s.amountDueCents,
      dueDate: s.dueDate,
      pdf: pdf.bytes,
    });
    clock.check(`statement ${s.statementId}`);
  }
  return assemblePrintBatch(batchId, rendered, { ...options, clock });
}

/**
 * Merges statements already rendered (the PDFs stored when each was mailed, so a batch prints exactly
 * what the patient's record holds) into one batch, in the order given.
 */
export async function assemblePrintBatch(
  batchId: string,
  statements: BatchStatement[],
  options: { createdOn: string; budget?: RenderBudget; clock?: BudgetClock },
): Promise<PrintBatch> {
  const clock = options.clock ?? new BudgetClock(options.budget ?? DEFAULT_BUDGET);
  const merged = await assemble(
    statements.map((s) => ({ title: s.statementId, pdf: s.pdf })),
    {
      title: `Print batch ${batchId}`,
      footerLabel: '',
      createdOn: options.createdOn,
      clock,
      pageNumbers: false,
    },
  );
  const rows = statements.map((s, i): PrintManifestRow => {
    const placement = merged.placements[i]!;
    return {
      sequence: i + 1,
      statementId: s.statementId,
      kind: s.kind,
      accountNumber: s.accountNumber,
      recipient: s.guarantor.name,
      addressLine1: s.guarantor.address.lines[0] ?? '',
      addressLine2: s.guarantor.address.lines.slice(1).join(' '),
      city: s.guarantor.address.city,
      state: s.guarantor.address.state,
      postalCode: s.guarantor.address.postalCode,
      amountDue: dollars(s.amountDueCents),
      dueDate: s.dueDate,
      firstPage: placement.firstPage,
      pageCount: placement.pageCount,
    };
  });
  return {
    batchId,
    pdf: merged.bytes,
    sha256: sha256Hex(merged.bytes),
    pageCount: merged.pageCount,
    rows,
    manifestCsv: manifestCsv(rows),
  };
}
