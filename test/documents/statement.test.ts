/**
 * Patient statements of a dunning cycle and the print-vendor batch, read back with pdftotext: amounts,
 * due dates, insurance payments and adjustments in plain words, the financial-assistance notice on each,
 * and the final notice's date and action.
 */
import { describe, expect, it } from 'vitest';
import { DocumentError } from '../../documents/errors.js';
import { renderPrintBatch } from '../../documents/print-batch.js';
import { renderPatientStatement } from '../../documents/statement.js';
import { FailureType } from '../../domain/failures.js';
import { pdfPageCount, pdfText, statementData } from './fixtures.js';

describe('patient statement', () => {
  it('shows the amount due, the due date and each line in plain words', async () => {
    const s = statementData('STATEMENT', 1);
    const pdf = await renderPatientStatement(s);
    const text = pdfText(pdf.bytes);
    expect(text).toContain('Patient statement');
    expect(text).toContain('Amount due: $60.00');
    expect(text).toContain('Due by: December 2, 2026');
    expect(text).toContain('Acme Health Plan paid $140.00');
    expect(text).toContain(
      '$25.00 was taken off under our agreement with your insurance; you do not owe it.',
    );
    expect(text).toContain('Acme Health Plan paid nothing for this service');
    expect(text).toContain('You paid $10.00. You owe $40.00.');
    expect(text).toContain('17 Oak Lane');
    expect(text).toContain('Financial assistance');
    expect(text).toContain('free or discounted care');
    expect(text).toContain('https://pay.riverside.example/A-100917');
    expect(text).not.toContain('Final notice');
    expect(pdf.pageCount).toBe(pdfPageCount(pdf.bytes));
  });

  it('a final notice says on which date what happens next', async () => {
    const text = pdfText((await renderPatientStatement(statementData('FINAL_NOTICE', 4))).bytes);
    expect(text).toContain('FINAL NOTICE');
    expect(text).toContain('by March 2, 2027, the account will be referred to an outside collection agency');
  });

  it('is refused when its figures do not add up, naming the line', async () => {
    const s = statementData('REMINDER', 2);
    s.lines[1]!.patientOwesCents = 3_900;
    const err = await renderPatientStatement(s).catch((e) => e);
    expect(err).toBeInstanceOf(DocumentError);
    expect(err.type).toBe(FailureType.DocumentDataInvalid);
    expect(err.field).toBe('lines[1].patientOwesCents');
  });

  it('a final notice without its next action is refused', async () => {
    const s = statementData('FINAL_NOTICE', 4);
    delete s.finalNotice;
    expect((await renderPatientStatement(s).catch((e) => e)).field).toBe('finalNotice');
  });
});

describe('print-vendor batch', () => {
  it('merges the statements into one PDF with a CSV manifest of page ranges and addresses', async () => {
    const statements = [
      statementData('STATEMENT', 1),
      statementData('REMINDER', 2, { statementDate: '2026-12-02', dueDate: '2027-01-01' }),
      statementData('REMINDER', 3, {
        statementDate: '2027-01-01',
        dueDate: '2027-01-31',
        guarantor: {
          name: 'Ana "Annie" Ruiz, guardian',
          address: { lines: ['9 Elm Court'], city: 'Springfield', state: 'IL', postalCode: '62704' },
        },
      }),
      statementData('FINAL_NOTICE', 4, { statementDate: '2027-01-31', dueDate: '2027-02-14' }),
    ];
    const batch = await renderPrintBatch('BATCH-2027-01', statements, { createdOn: '2027-01-31' });
    expect(pdfPageCount(batch.pdf)).toBe(batch.pageCount);
    expect(batch.rows.map((r) => r.sequence)).toEqual([1, 2, 3, 4]);
    let next = 1;
    for (const row of batch.rows) {
      expect(row.firstPage).toBe(next);
      next += row.pageCount;
      expect(pdfText(batch.pdf, { first: row.firstPage, last: row.firstPage })).toContain(row.statementId);
    }
    expect(next - 1).toBe(batch.pageCount);
    const lines = batch.manifestCsv.split('\r\n');
    expect(lines[0]).toBe(
      'sequence,statementId,kind,accountNumber,recipient,addressLine1,addressLine2,city,state,postalCode,amountDue,dueDate,firstPage,pageCount',
    );
    expect(lines[3]).toContain('"Ana ""Annie"" Ruiz, guardian"');
    expect(lines[4]).toContain('FINAL_NOTICE');
    expect(lines[4]).toContain(',60.00,2027-02-14,');
    expect(batch.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
