/**
 * The claim summary page and the remittance excerpt of an appeal packet: what was billed, and what the
 * payer answered line by line, with every adjustment's CARC and RARC spelled out (docs/x12-835.md).
 */
import { carcText, rarcText } from '../domain/carc.js';
import { formatUsd, sumCents } from '../domain/money.js';
import { Composer } from './pdf/composer.js';
import { longDate } from './templates/fields.js';
import type { AppealLetterData, RemittanceExcerpt } from './types.js';

/** The claim as billed: parties, diagnoses and service lines. */
export async function renderClaimSummary(data: AppealLetterData): Promise<Buffer> {
  const c = new Composer({ title: `Claim summary ${data.claim.claimId}`, createdOn: data.appeal.filedOn });
  const cl = data.claim;
  c.heading(`Claim summary: ${cl.claimId}`);
  c.fields([
    ['Billing provider', `${data.letterhead.practiceName}, NPI ${cl.billingProviderNpi}`],
    ['Rendering provider NPI', cl.renderingProviderNpi ?? cl.billingProviderNpi],
    ['Payer', `${data.payer.name} (${data.payer.id})`],
    [
      'Patient',
      `${data.patient.firstName} ${data.patient.lastName}, born ${longDate(data.patient.birthDate)}`,
    ],
    ['Member ID', data.patient.memberId],
    ['Patient control number', cl.patientControlNumber],
    ['Payer claim number', cl.payerClaimNumber ?? 'not assigned'],
    ['Date of service', longDate(cl.dateOfService)],
    ['Diagnosis codes (ICD-10-CM)', cl.diagnosisCodes.join(', ') || 'none'],
  ]);
  c.table(
    [
      { header: 'Line', width: 40 },
      { header: 'Date', width: 80 },
      { header: 'Procedure', width: 90 },
      { header: 'Modifiers', width: 80 },
      { header: 'Units', width: 50, align: 'right' },
      { header: 'Charge', width: c.width - 340, align: 'right' },
    ],
    [
      ...cl.lines.map((l) => [
        String(l.lineNumber),
        l.dateOfService ?? cl.dateOfService,
        l.procedureCode,
        l.modifiers?.join(', ') ?? '',
        String(l.units),
        formatUsd(l.chargeCents),
      ]),
      ['', '', 'Total', '', '', formatUsd(cl.totalChargeCents)],
    ],
    { boldLastRow: true },
  );
  return c.finish();
}

function adjustmentText(adjustments: { group: string; carc: string; amountCents: number }[]): string {
  return adjustments
    .map((a) => `${a.group}-${a.carc} ${formatUsd(a.amountCents)}: ${carcText(a.carc)}`)
    .join('\n');
}

/** The remittance's CLP loop for this claim, as the payer sent it. */
export async function renderRemittanceExcerpt(
  r: RemittanceExcerpt,
  createdOn: string,
  claimId: string,
): Promise<Buffer> {
  const c = new Composer({ title: `Remittance excerpt ${claimId}`, createdOn });
  c.heading('Remittance advice excerpt (835)');
  c.fields([
    ['Payer', r.payerName],
    ['Check / EFT trace number', r.checkOrEftNumber],
    ['Payment date', longDate(r.paymentDate)],
    ['Payer claim number', r.payerClaimNumber],
    ['Claim status code', r.claimStatusCode],
    ['Billed', formatUsd(r.chargeCents)],
    ['Paid', formatUsd(r.paidCents)],
    ['Patient responsibility', formatUsd(r.patientResponsibilityCents)],
  ]);
  if (r.claimAdjustments.length > 0) {
    c.paragraph('Claim-level adjustments', { font: 'bold' });
    c.paragraph(adjustmentText(r.claimAdjustments));
  }
  const remarks = [...new Set(r.lines.flatMap((l) => l.rarcs))];
  c.table(
    [
      { header: 'Line', width: 34 },
      { header: 'Procedure', width: 62 },
      { header: 'Billed', width: 62, align: 'right' },
      { header: 'Allowed', width: 62, align: 'right' },
      { header: 'Paid', width: 62, align: 'right' },
      { header: 'Adjustments (group-CARC amount: reason)', width: c.width - 282 },
    ],
    [
      ...r.lines.map((l) => [
        String(l.lineNumber),
        l.procedureCode,
        formatUsd(l.chargeCents),
        l.allowedCents === undefined ? '' : formatUsd(l.allowedCents),
        formatUsd(l.paidCents),
        [adjustmentText(l.adjustments), ...l.rarcs.map((x) => `Remark ${x}`)].filter(Boolean).join('\n'),
      ]),
      [
        '',
        'Total',
        formatUsd(sumCents(r.lines.map((l) => l.chargeCents))),
        '',
        formatUsd(sumCents(r.lines.map((l) => l.paidCents))),
        '',
      ],
    ],
    { boldLastRow: true },
  );
  if (remarks.length > 0) {
    c.paragraph('Remark codes', { font: 'bold' });
    c.paragraph(remarks.map((x) => `${x}: ${rarcText(x)}`).join('\n'));
  }
  return c.finish();
}
