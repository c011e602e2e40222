/**
 * The appeal letter: letterhead, inside address, a reference block the payer's intake staff match the
 * claim by, the template's text filled from the claim and denial, the Medicare form fields where the
 * level has a form, the signature and the packet's table of contents. CARC and RARC codes are always
 * printed with their text (docs/carc-rarc.md), so a reviewer never has to look a code up.
 */
import { carcText, rarcText } from '../domain/carc.js';
import { formatUsd } from '../domain/money.js';
import { Composer } from './pdf/composer.js';
import type { AppealTemplate } from './templates/appeal-templates.js';
import { addressLines, appealLevelName, fillTemplateText, longDate } from './templates/fields.js';
import type { AppealLetterData } from './types.js';

/** One row of the packet's table of contents. */
export interface ContentsEntry {
  title: string;
  /** "1-2", "3". */
  pages: string;
}

function referenceRows(d: AppealLetterData): [string, string][] {
  const medicare = d.payer.type === 'MEDICARE';
  const rows: [string, string][] = [
    [medicare ? 'Beneficiary' : 'Patient', `${d.patient.firstName} ${d.patient.lastName}`],
    [medicare ? 'Medicare number' : 'Member ID', d.patient.memberId],
    ['Date of birth', longDate(d.patient.birthDate)],
    ['Payer claim number', d.claim.payerClaimNumber ?? 'not assigned'],
    ['Patient account (claim) no.', `${d.claim.claimId} (PCN ${d.claim.patientControlNumber})`],
    ['Date of service', longDate(d.claim.dateOfService)],
    ['Billed amount', formatUsd(d.claim.totalChargeCents)],
    ['Amount in dispute', formatUsd(d.denial.deniedAmountCents)],
    ['Denial date', longDate(d.denial.denialDate)],
    [
      'Denial reasons (CARC)',
      d.denial.adjustments
        .map((a) => `${a.group}-${a.carc}: ${carcText(a.carc)} (${formatUsd(a.amountCents)})`)
        .join('\n'),
    ],
  ];
  if (d.denial.rarcs.length > 0) {
    rows.push(['Remarks (RARC)', d.denial.rarcs.map((r) => `${r}: ${rarcText(r)}`).join('\n')]);
  }
  rows.push(['Appeal', `Level ${d.appeal.level}: ${appealLevelName(d)}`]);
  rows.push(['Appeal deadline', longDate(d.appeal.deadline)]);
  return rows;
}

function medicareFormRows(
  d: AppealLetterData,
  form: 'CMS-20027' | 'CMS-20033',
  enclosures: string[],
): [string, string][] {
  const service = d.claim.lines
    .map((l) => `${l.procedureCode}${l.modifiers?.length ? `-${l.modifiers.join('-')}` : ''} x${l.units}`)
    .join(', ');
  const requester = [
    d.appeal.requester.title
      ? `${d.appeal.requester.name}, ${d.appeal.requester.title}`
      : d.appeal.requester.name,
    `${d.letterhead.practiceName} (provider)`,
    addressLines(d.letterhead.address).join(', '),
    d.appeal.requester.phone ?? d.letterhead.phone,
  ].join('; ');
  const common: [string, string][] = [
    ["1. Beneficiary's name", `${d.patient.firstName} ${d.patient.lastName}`],
    ['2. Medicare number', d.patient.memberId],
    ['3. Item or service appealed', service],
    ['4. Date the service was received', longDate(d.claim.dateOfService)],
  ];
  if (form === 'CMS-20027') {
    return [
      ...common,
      ['5. Date of the initial determination', longDate(d.denial.denialDate)],
      ['6. Contractor that made the determination', d.payer.contractorName ?? d.payer.name],
      ['7. Does this involve an overpayment?', 'No'],
      ['8. Reasons for disagreeing', d.appeal.grounds],
      ['9. Supporting documentation', enclosures.join('; ') || 'None'],
      ['10. Requester', requester],
      ['11. Date', longDate(d.appeal.filedOn)],
    ];
  }
  return [
    ...common,
    [
      '5. Date of the redetermination notice',
      d.appeal.priorDecision ? longDate(d.appeal.priorDecision.date) : 'not given',
    ],
    ['6. Contractor that made the redetermination', d.payer.contractorName ?? d.payer.name],
    ['7. Does this involve an overpayment?', 'No'],
    ['8. Reasons for disagreeing with the redetermination', d.appeal.grounds],
    ['9. Evidence submitted', enclosures.join('; ') || 'None'],
    ['10. Requester', requester],
    ['11. Date', longDate(d.appeal.filedOn)],
  ];
}

/** Renders the letter alone (no page numbers: those are stamped on the merged packet). */
export async function renderAppealLetter(
  data: AppealLetterData,
  template: AppealTemplate,
  contents: ContentsEntry[] = [],
): Promise<Buffer> {
  const c = new Composer({
    title: `Appeal of claim ${data.claim.claimId}`,
    createdOn: data.appeal.filedOn,
    author: data.letterhead.practiceName,
  });
  const lh = data.letterhead;
  c.lines([lh.practiceName], { font: 'bold', size: 16 });
  c.lines([
    ...addressLines(lh.address),
    [`Phone ${lh.phone}`, lh.fax ? `Fax ${lh.fax}` : '', lh.email ?? ''].filter(Boolean).join('  ·  '),
    [`NPI ${lh.npi}`, lh.taxId ? `TIN ${lh.taxId}` : ''].filter(Boolean).join('  ·  '),
  ]);
  c.rule();
  c.paragraph(longDate(data.appeal.filedOn));
  c.lines([
    data.payer.name,
    'Appeals',
    ...(data.payer.appealAddress ? addressLines(data.payer.appealAddress) : []),
  ]);
  c.doc.moveDown(0.8);
  c.fields(referenceRows(data));
  c.paragraph(fillTemplateText(template.subject, data), { font: 'bold', size: 11 });
  c.paragraph(data.payer.type === 'MEDICARE' ? 'To the Medicare contractor:' : 'Dear Appeals Reviewer:');
  for (const para of fillTemplateText(template.body, data).split(/\n\s*\n/)) c.paragraph(para.trim());
  c.paragraph(fillTemplateText(template.closing, data));
  c.paragraph('Sincerely,', { gap: 1.5 });
  c.lines([
    data.appeal.requester.name,
    ...(data.appeal.requester.title ? [data.appeal.requester.title] : []),
    lh.practiceName,
  ]);
  c.doc.moveDown(1);
  if (template.form) {
    c.heading(
      template.form === 'CMS-20027'
        ? 'Redetermination request: the fields of form CMS-20027'
        : 'Reconsideration request: the fields of form CMS-20033',
      11,
    );
    c.fields(
      medicareFormRows(
        data,
        template.form,
        contents.slice(1).map((e) => e.title),
      ),
      210,
    );
  }
  if (contents.length > 0) {
    c.heading('Contents of this packet', 11);
    c.table(
      [
        { header: 'Section', width: c.width - 90 },
        { header: 'Pages', width: 90, align: 'right' },
      ],
      contents.map((e) => [e.title, e.pages]),
    );
  }
  return c.finish();
}
