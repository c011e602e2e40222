/**
 * The fields a letter template may use, `{{claim.claimId}}` style, and the one place that fills them.
 * The list is closed: a template naming a field that is not here is refused when it is saved (naming
 * the field), never silently printed as blank on a letter to a payer.
 */
import { carcText, rarcText } from '../../domain/carc.js';
import { FailureType } from '../../domain/failures.js';
import { formatUsd } from '../../domain/money.js';
import { DocumentError } from '../errors.js';
import type { AppealLetterData, PostalAddress } from '../types.js';

/** Formats an ISO day for letters: "September 3, 2026". */
export function longDate(iso: string): string {
  const d = new Date(`${iso}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
}

/** One line per address part: street lines, then "City, ST 12345". */
export function addressLines(a: PostalAddress): string[] {
  return [...a.lines, `${a.city}, ${a.state} ${a.postalCode}`];
}

/** The name of an appeal level for the payer type ("redetermination" is Medicare's first level). */
export function appealLevelName(data: Pick<AppealLetterData, 'payer' | 'appeal'>): string {
  const level = data.appeal.level;
  if (data.payer.type === 'MEDICARE') {
    return (
      [
        'redetermination',
        'reconsideration',
        'Administrative Law Judge hearing',
        'Medicare Appeals Council review',
        'judicial review',
      ][level - 1] ?? `level ${level} appeal`
    );
  }
  return level === 1 ? 'first-level appeal' : level === 2 ? 'second-level appeal' : `level ${level} appeal`;
}

/** The plan's appeal rights, or the rule they rest on when the plan gave us no text. */
export function appealRights(data: Pick<AppealLetterData, 'payer'>): string {
  if (data.payer.planAppealRights) return data.payer.planAppealRights;
  if (data.payer.type === 'ERISA') {
    return 'the full and fair review of an adverse benefit determination the plan must provide under 29 CFR 2560.503-1';
  }
  return "the appeal provisions of the member's plan and the provider agreement";
}

type FieldValue = (data: AppealLetterData) => string;

/** Every field a template may name, with how it is filled. */
export const TEMPLATE_FIELDS: Record<string, FieldValue> = {
  'practice.name': (d) => d.letterhead.practiceName,
  'practice.npi': (d) => d.letterhead.npi,
  'practice.taxId': (d) => d.letterhead.taxId ?? '',
  'practice.phone': (d) => d.letterhead.phone,
  'practice.address': (d) => addressLines(d.letterhead.address).join(', '),
  'payer.name': (d) => d.payer.name,
  'payer.contractor': (d) => d.payer.contractorName ?? d.payer.name,
  'patient.name': (d) => `${d.patient.firstName} ${d.patient.lastName}`,
  'patient.memberId': (d) => d.patient.memberId,
  'patient.birthDate': (d) => longDate(d.patient.birthDate),
  'claim.claimId': (d) => d.claim.claimId,
  'claim.payerClaimNumber': (d) => d.claim.payerClaimNumber ?? 'not assigned',
  'claim.dateOfService': (d) => longDate(d.claim.dateOfService),
  'claim.totalCharge': (d) => formatUsd(d.claim.totalChargeCents),
  'claim.procedureCodes': (d) => d.claim.lines.map((l) => l.procedureCode).join(', '),
  'claim.renderingNpi': (d) => d.claim.renderingProviderNpi ?? d.claim.billingProviderNpi,
  'denial.date': (d) => longDate(d.denial.denialDate),
  'denial.amount': (d) => formatUsd(d.denial.deniedAmountCents),
  'denial.reasons': (d) =>
    d.denial.adjustments.map((a) => `${a.group}-${a.carc} (${carcText(a.carc)})`).join('; '),
  'denial.remarks': (d) => d.denial.rarcs.map((r) => `${r} (${rarcText(r)})`).join('; ') || 'none',
  'appeal.level': (d) => String(d.appeal.level),
  'appeal.levelName': (d) => appealLevelName(d),
  'appeal.deadline': (d) => longDate(d.appeal.deadline),
  'appeal.filedOn': (d) => longDate(d.appeal.filedOn),
  'appeal.grounds': (d) => d.appeal.grounds,
  'appeal.requester': (d) => d.appeal.requester.name,
  'appeal.priorDecisionDate': (d) => (d.appeal.priorDecision ? longDate(d.appeal.priorDecision.date) : ''),
  'plan.appealRights': (d) => appealRights(d),
};

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The field names a text uses, in order of appearance. */
export function fieldsIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/**
 * Refuses a template text with an unknown field or a stray brace. `part` names where it is
 * ("body", "subject") so the API's problem says exactly what to fix.
 */
export function validateTemplateText(text: string, part: string): void {
  for (const name of fieldsIn(text)) {
    if (!(name in TEMPLATE_FIELDS)) {
      throw new DocumentError(
        FailureType.TemplateInvalid,
        `Unknown template field "${name}" in ${part}; known fields: ${Object.keys(TEMPLATE_FIELDS).join(', ')}.`,
        name,
      );
    }
  }
  const rest = text.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) {
    throw new DocumentError(
      FailureType.TemplateInvalid,
      `Unbalanced "{{" or "}}" in ${part}: write fields as {{field.name}}.`,
      part,
    );
  }
}

/** Fills a validated template text from the letter data. */
export function fillTemplateText(text: string, data: AppealLetterData): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const fill = TEMPLATE_FIELDS[name];
    if (!fill)
      throw new DocumentError(FailureType.TemplateInvalid, `Unknown template field "${name}".`, name);
    return fill(data);
  });
}
