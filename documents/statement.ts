/**
 * The patient statement of one dunning cycle (docs/dunning.md): who it is from and to, each service in
 * plain words (what was charged, what insurance paid, what it adjusted off and what is left for the
 * patient), the amount due and its date, how to pay, the financial-assistance notice on every
 * statement, and on the final notice the date and the action that follows if nothing happens.
 */
import { FailureType } from '../domain/failures.js';
import { formatUsd, sumCents } from '../domain/money.js';
import { DocumentError } from './errors.js';
import { assemble, BudgetClock, DEFAULT_BUDGET } from './pdf/assemble.js';
import { Composer, PAGE_MARGIN } from './pdf/composer.js';
import { addressLines, longDate } from './templates/fields.js';
import type { PatientStatementData, RenderBudget, RenderedPdf, StatementLine } from './types.js';

const TITLES: Record<PatientStatementData['kind'], string> = {
  STATEMENT: 'Patient statement',
  REMINDER: 'Payment reminder',
  FINAL_NOTICE: 'FINAL NOTICE',
};

function lineInWords(l: StatementLine, payerName: string): string {
  const parts = [`${longDate(l.dateOfService)}, ${l.description}: we charged ${formatUsd(l.chargeCents)}.`];
  parts.push(
    l.insurancePaidCents > 0
      ? `${payerName} paid ${formatUsd(l.insurancePaidCents)}.`
      : `${payerName} paid nothing for this service.`,
  );
  if (l.insuranceAdjustedCents > 0) {
    parts.push(
      `${formatUsd(l.insuranceAdjustedCents)} was taken off under our agreement with your insurance; you do not owe it.`,
    );
  }
  if (l.patientPaidCents > 0) parts.push(`You paid ${formatUsd(l.patientPaidCents)}.`);
  parts.push(`You owe ${formatUsd(l.patientOwesCents)}.`);
  return parts.join(' ');
}

/** Checks the figures add up before anything is printed: a statement with wrong arithmetic is worse than none. */
export function checkStatement(s: PatientStatementData): void {
  s.lines.forEach((l, i) => {
    const expected = l.chargeCents - l.insurancePaidCents - l.insuranceAdjustedCents - l.patientPaidCents;
    if (expected !== l.patientOwesCents) {
      throw new DocumentError(
        FailureType.DocumentDataInvalid,
        `lines[${i}]: charge minus insurance paid, adjusted and patient paid is ${expected} cents, not the ${l.patientOwesCents} owed.`,
        `lines[${i}].patientOwesCents`,
      );
    }
  });
  const owed = sumCents(s.lines.map((l) => l.patientOwesCents));
  if (owed !== s.amountDueCents) {
    throw new DocumentError(
      FailureType.DocumentDataInvalid,
      `amountDueCents is ${s.amountDueCents} but the lines owe ${owed}.`,
      'amountDueCents',
    );
  }
  if (s.kind === 'FINAL_NOTICE' && !s.finalNotice) {
    throw new DocumentError(
      FailureType.DocumentDataInvalid,
      'A final notice must say what happens next and on which date.',
      'finalNotice',
    );
  }
}

async function layOutStatement(s: PatientStatementData): Promise<Buffer> {
  const c = new Composer({ title: `${TITLES[s.kind]} ${s.statementId}`, createdOn: s.statementDate });
  const doc = c.doc;
  const lh = s.letterhead;
  const top = doc.y;
  c.lines([lh.practiceName], { font: 'bold', size: 14 });
  c.lines([...addressLines(lh.address), `Billing questions: ${lh.phone}`]);
  const afterHead = doc.y;
  // The summary box sits top right, where the patient looks first.
  const boxX = PAGE_MARGIN + c.width - 200;
  doc.rect(boxX, top, 200, 84).lineWidth(1).stroke();
  doc
    .font('bold')
    .fontSize(s.kind === 'FINAL_NOTICE' ? 13 : 12)
    .text(TITLES[s.kind], boxX + 8, top + 6, { width: 184 });
  doc.font('regular').fontSize(9);
  doc.text(`Statement date: ${longDate(s.statementDate)}`, boxX + 8, doc.y + 2, { width: 184 });
  doc.text(`Account: ${s.patient.accountNumber}`, boxX + 8, doc.y, { width: 184 });
  doc
    .font('bold')
    .fontSize(11)
    .text(`Amount due: ${formatUsd(s.amountDueCents)}`, boxX + 8, doc.y + 2, { width: 184 });
  doc.text(`Due by: ${longDate(s.dueDate)}`, boxX + 8, doc.y, { width: 184 });
  doc.font('regular').fontSize(10);
  doc.y = Math.max(afterHead, top + 90) + 12;
  doc.x = PAGE_MARGIN;
  c.lines([s.guarantor.name, ...addressLines(s.guarantor.address)], { size: 11 });
  doc.moveDown(0.6);
  c.paragraph(
    `Patient: ${s.patient.firstName} ${s.patient.lastName}. Insurance billed: ${s.payerName}. ` +
      'Your insurance has processed these services; this is what is left for you to pay.',
  );
  c.table(
    [
      { header: 'Date', width: 62 },
      { header: 'Service', width: 118 },
      { header: 'Charge', width: 56, align: 'right' },
      { header: 'Insurance paid', width: 62, align: 'right' },
      { header: 'Insurance adjusted', width: 62, align: 'right' },
      { header: 'You paid', width: 56, align: 'right' },
      { header: 'You owe', width: c.width - 416, align: 'right' },
    ],
    [
      ...s.lines.map((l) => [
        l.dateOfService,
        l.description,
        formatUsd(l.chargeCents),
        formatUsd(l.insurancePaidCents),
        formatUsd(l.insuranceAdjustedCents),
        formatUsd(l.patientPaidCents),
        formatUsd(l.patientOwesCents),
      ]),
      ['', 'Total', '', '', '', '', formatUsd(s.amountDueCents)],
    ],
    { boldLastRow: true },
  );
  c.paragraph('What this means', { font: 'bold' });
  for (const l of s.lines) c.paragraph(lineInWords(l, s.payerName), { size: 9, gap: 0.2 });
  doc.moveDown(0.2);
  c.paragraph(`Please pay ${formatUsd(s.amountDueCents)} by ${longDate(s.dueDate)}.`, {
    font: 'bold',
    size: 11,
  });
  if (s.finalNotice) {
    c.notice(
      'Final notice',
      `This is the last statement we will send. If we have not received payment, a payment plan request or ` +
        `a financial assistance application by ${longDate(s.finalNotice.actionDate)}, ${s.finalNotice.action}`,
    );
  }
  const pay = s.paymentOptions;
  c.paragraph('How to pay', { font: 'bold', gap: 0.2 });
  c.paragraph(
    [
      pay.online ? `Online: ${pay.online}` : '',
      pay.phone ? `By phone: ${pay.phone}` : '',
      pay.mailTo
        ? `By mail (check payable to ${lh.practiceName}): ${addressLines(pay.mailTo).join(', ')}`
        : '',
      pay.paymentPlan ? `Payment plan: ${pay.paymentPlan}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  c.notice(
    'Financial assistance',
    `${s.financialAssistance.summary} ${s.financialAssistance.howToApply} While your application is reviewed ` +
      'we will not send further statements for this balance.',
  );
  // The return stub: the part the patient tears off and mails with a check.
  c.ensureSpace(40);
  doc.moveDown(0.2);
  doc
    .dash(3, { space: 3 })
    .moveTo(PAGE_MARGIN, doc.y)
    .lineTo(PAGE_MARGIN + c.width, doc.y)
    .stroke()
    .undash();
  doc.moveDown(0.3);
  c.lines(
    [
      `Please return this part with your payment  ·  Account ${s.patient.accountNumber}  ·  Statement ${s.statementId}`,
      `Amount due ${formatUsd(s.amountDueCents)} by ${longDate(s.dueDate)}        Amount enclosed: $__________`,
    ],
    { size: 9 },
  );
  return c.finish();
}

/** Renders one statement, numbered "Page i of N" on its own. */
export async function renderPatientStatement(
  s: PatientStatementData,
  budget: RenderBudget = DEFAULT_BUDGET,
): Promise<RenderedPdf> {
  checkStatement(s);
  const clock = new BudgetClock(budget);
  const pdf = await layOutStatement(s);
  const out = await assemble([{ title: TITLES[s.kind], pdf }], {
    title: `${TITLES[s.kind]} ${s.statementId}`,
    footerLabel: `Statement ${s.statementId}`,
    createdOn: s.statementDate,
    clock,
  });
  return { bytes: out.bytes, pageCount: out.pageCount };
}
