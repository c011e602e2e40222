/**
 * Appeal letter templates: which letter fits a denial (by category, appeal level and payer type), the
 * built-in defaults every practice starts with, and validation of a practice's edited copy. Medicare's
 * first two levels carry the fields of the CMS forms (CMS-20027 redetermination, CMS-20033
 * reconsideration), which contractors accept in place of the form when every field is present.
 */
import { DENIAL_CATEGORIES, type DenialCategory } from '../../domain/carc.js';
import { FailureType } from '../../domain/failures.js';
import { PAYER_TYPES, type PayerType } from '../../domain/payer-rules.js';
import { DocumentError } from '../errors.js';
import { validateTemplateText } from './fields.js';

/** The Medicare forms whose fields a letter can carry. */
export type MedicareForm = 'CMS-20027' | 'CMS-20033';

/** One appeal letter template (a practice's version, or a built-in default). */
export interface AppealTemplate {
  /** Stable key; a practice's edited copy keeps the key of the default it replaces. */
  key: string;
  name: string;
  payerTypes: PayerType[];
  /** Empty: any category. */
  categories: DenialCategory[];
  /** Empty: any level. */
  levels: number[];
  form?: MedicareForm;
  subject: string;
  /** Paragraphs separated by blank lines, with `{{field}}` placeholders. */
  body: string;
  closing: string;
}

const NON_MEDICARE: PayerType[] = ['COMMERCIAL', 'ERISA', 'MEDICARE_ADVANTAGE', 'MEDICAID'];

const COMMERCIAL_CLOSING =
  'Under {{plan.appealRights}}, we ask that you reprocess this claim and pay it as billed. Please send ' +
  'your decision to {{practice.name}} at {{practice.address}}, or call {{appeal.requester}} at {{practice.phone}}.';

/** The defaults every practice starts with; a practice edits copies of these. */
export const DEFAULT_APPEAL_TEMPLATES: AppealTemplate[] = [
  {
    key: 'medicare-redetermination',
    name: 'Medicare redetermination request (CMS-20027 fields)',
    payerTypes: ['MEDICARE'],
    categories: [],
    levels: [1],
    form: 'CMS-20027',
    subject:
      'Request for redetermination: claim {{claim.payerClaimNumber}}, date of service {{claim.dateOfService}}',
    body:
      'On behalf of {{practice.name}} (NPI {{practice.npi}}), we request a redetermination of the initial ' +
      'determination dated {{denial.date}} for the services listed below, furnished to {{patient.name}} ' +
      '(Medicare number {{patient.memberId}}) on {{claim.dateOfService}}.\n\n' +
      'The claim was denied for {{denial.reasons}}. Remarks: {{denial.remarks}}. The amount in dispute is {{denial.amount}}.\n\n' +
      'We do not agree with the determination. Our reasons: {{appeal.grounds}}\n\n' +
      'This request is filed on {{appeal.filedOn}}, within 120 days of receipt of the initial determination ' +
      '(the last day is {{appeal.deadline}}).',
    closing: 'Please direct questions to {{appeal.requester}} at {{practice.phone}}.',
  },
  {
    key: 'medicare-reconsideration',
    name: 'Medicare reconsideration request (CMS-20033 fields)',
    payerTypes: ['MEDICARE'],
    categories: [],
    levels: [2],
    form: 'CMS-20033',
    subject:
      'Request for reconsideration: claim {{claim.payerClaimNumber}}, date of service {{claim.dateOfService}}',
    body:
      'On behalf of {{practice.name}} (NPI {{practice.npi}}), we request reconsideration by the Qualified ' +
      'Independent Contractor of the redetermination dated {{appeal.priorDecisionDate}} made by ' +
      '{{payer.contractor}} for services furnished to {{patient.name}} (Medicare number {{patient.memberId}}) ' +
      'on {{claim.dateOfService}}.\n\n' +
      'The claim was denied for {{denial.reasons}}; the amount in dispute is {{denial.amount}}.\n\n' +
      'We do not agree with the redetermination. Our reasons: {{appeal.grounds}}\n\n' +
      'This request is filed on {{appeal.filedOn}}, within 180 days of receipt of the redetermination ' +
      '(the last day is {{appeal.deadline}}). The evidence we rely on is enclosed.',
    closing: 'Please direct questions to {{appeal.requester}} at {{practice.phone}}.',
  },
  {
    key: 'medicare-further-review',
    name: 'Medicare further review request',
    payerTypes: ['MEDICARE'],
    categories: [],
    levels: [],
    subject: 'Request for {{appeal.levelName}}: claim {{claim.payerClaimNumber}}',
    body:
      '{{practice.name}} (NPI {{practice.npi}}) requests {{appeal.levelName}} of the decision dated ' +
      '{{appeal.priorDecisionDate}} on services furnished to {{patient.name}} (Medicare number ' +
      '{{patient.memberId}}) on {{claim.dateOfService}}, denied for {{denial.reasons}}.\n\n' +
      'Our reasons: {{appeal.grounds}}\n\nThis request is filed on {{appeal.filedOn}}; the last day is {{appeal.deadline}}.',
    closing: 'Please direct questions to {{appeal.requester}} at {{practice.phone}}.',
  },
  {
    key: 'commercial-medical-necessity',
    name: 'Appeal of a medical necessity denial',
    payerTypes: NON_MEDICARE,
    categories: ['MEDICAL_NECESSITY'],
    levels: [],
    subject: 'Appeal of medical necessity denial: claim {{claim.payerClaimNumber}} ({{appeal.levelName}})',
    body:
      'We appeal your determination of {{denial.date}} denying payment of {{denial.amount}} for services ' +
      'provided to your member {{patient.name}} (member ID {{patient.memberId}}, born {{patient.birthDate}}) ' +
      'on {{claim.dateOfService}}. The claim was denied for {{denial.reasons}}.\n\n' +
      'The services were medically necessary. {{appeal.grounds}}\n\n' +
      'The enclosed medical records document the clinical findings that supported the treating ' +
      "provider's decision. We ask that the claim be reviewed by a clinician of the same or a similar specialty.\n\n" +
      'This appeal is filed on {{appeal.filedOn}}, before the appeal deadline of {{appeal.deadline}}.',
    closing: COMMERCIAL_CLOSING,
  },
  {
    key: 'commercial-authorization',
    name: 'Appeal of an authorization denial',
    payerTypes: NON_MEDICARE,
    categories: ['AUTHORIZATION'],
    levels: [],
    subject: 'Appeal of authorization denial: claim {{claim.payerClaimNumber}} ({{appeal.levelName}})',
    body:
      'We appeal your determination of {{denial.date}} denying {{denial.amount}} for services provided to ' +
      'your member {{patient.name}} (member ID {{patient.memberId}}) on {{claim.dateOfService}}, for ' +
      '{{denial.reasons}}.\n\n{{appeal.grounds}}\n\n' +
      'The enclosed documents show the authorization (or the circumstances that made prior authorization ' +
      'impossible). This appeal is filed on {{appeal.filedOn}}, before the deadline of {{appeal.deadline}}.',
    closing: COMMERCIAL_CLOSING,
  },
  {
    key: 'commercial-coding',
    name: 'Appeal of a coding or bundling denial',
    payerTypes: NON_MEDICARE,
    categories: ['CODING', 'BUNDLING'],
    levels: [],
    subject: 'Appeal of coding determination: claim {{claim.payerClaimNumber}} ({{appeal.levelName}})',
    body:
      'We appeal your determination of {{denial.date}} on procedure codes {{claim.procedureCodes}} billed ' +
      'for services provided to your member {{patient.name}} (member ID {{patient.memberId}}) on ' +
      '{{claim.dateOfService}}, denied for {{denial.reasons}}.\n\n{{appeal.grounds}}\n\n' +
      'The enclosed documentation supports the codes as billed. This appeal is filed on {{appeal.filedOn}}, ' +
      'before the deadline of {{appeal.deadline}}.',
    closing: COMMERCIAL_CLOSING,
  },
  {
    key: 'commercial-timely-filing',
    name: 'Appeal of a timely filing denial',
    payerTypes: NON_MEDICARE,
    categories: ['TIMELY_FILING'],
    levels: [],
    subject: 'Appeal of timely filing denial: claim {{claim.payerClaimNumber}} ({{appeal.levelName}})',
    body:
      'We appeal your determination of {{denial.date}} denying the claim for services provided to your ' +
      'member {{patient.name}} (member ID {{patient.memberId}}) on {{claim.dateOfService}} for ' +
      '{{denial.reasons}}.\n\nThe claim was filed within the filing limit. {{appeal.grounds}}\n\n' +
      'The enclosed proof of timely filing lists every submission with its clearinghouse acceptance. ' +
      'This appeal is filed on {{appeal.filedOn}}, before the deadline of {{appeal.deadline}}.',
    closing: COMMERCIAL_CLOSING,
  },
  {
    key: 'commercial-general',
    name: 'Appeal of a denied claim',
    payerTypes: NON_MEDICARE,
    categories: [],
    levels: [],
    subject: 'Appeal of claim {{claim.payerClaimNumber}} ({{appeal.levelName}})',
    body:
      'We appeal your determination of {{denial.date}} denying {{denial.amount}} for services provided to ' +
      'your member {{patient.name}} (member ID {{patient.memberId}}) on {{claim.dateOfService}}. The claim ' +
      'was denied for {{denial.reasons}}. Remarks: {{denial.remarks}}.\n\n{{appeal.grounds}}\n\n' +
      'This appeal is filed on {{appeal.filedOn}}, before the appeal deadline of {{appeal.deadline}}.',
    closing: COMMERCIAL_CLOSING,
  },
];

function refuse(message: string, field: string): never {
  throw new DocumentError(FailureType.TemplateInvalid, message, field);
}

/**
 * Validates a template a practice wants to save: known fields only, known payer types and categories,
 * a form only on Medicare. Throws `TemplateInvalid` naming the offending field.
 */
export function validateAppealTemplate(t: AppealTemplate): void {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(t.key))
    refuse('key must be lower-case letters, digits and dashes.', 'key');
  if (t.name.trim() === '') refuse('name is required.', 'name');
  if (t.payerTypes.length === 0) refuse('payerTypes must name at least one payer type.', 'payerTypes');
  for (const p of t.payerTypes) {
    if (!PAYER_TYPES.includes(p)) refuse(`Unknown payer type "${p}".`, 'payerTypes');
  }
  for (const c of t.categories) {
    if (!DENIAL_CATEGORIES.includes(c)) refuse(`Unknown denial category "${c}".`, 'categories');
  }
  for (const l of t.levels) {
    if (!Number.isInteger(l) || l < 1 || l > 5) refuse(`Appeal level ${l} is not 1 to 5.`, 'levels');
  }
  if (t.form && !t.payerTypes.every((p) => p === 'MEDICARE')) {
    refuse(`${t.form} is a Medicare form: a template carrying it must be for Medicare only.`, 'form');
  }
  if (t.body.trim() === '') refuse('body is required.', 'body');
  validateTemplateText(t.subject, 'subject');
  validateTemplateText(t.body, 'body');
  validateTemplateText(t.closing, 'closing');
}

/** What a letter is for: the denial's category, the appeal level and the payer type. */
export interface TemplateSelector {
  category: DenialCategory;
  level: number;
  payerType: PayerType;
}

function score(t: AppealTemplate, s: TemplateSelector): number {
  if (!t.payerTypes.includes(s.payerType)) return -1;
  if (t.categories.length > 0 && !t.categories.includes(s.category)) return -1;
  if (t.levels.length > 0 && !t.levels.includes(s.level)) return -1;
  return (t.categories.length > 0 ? 2 : 0) + (t.levels.length > 0 ? 1 : 0);
}

/**
 * The most specific template for a denial: a category match beats a level match beats a catch-all;
 * the practice's own templates win ties (and replace a default with the same key).
 */
export function selectAppealTemplate(
  selector: TemplateSelector,
  practiceTemplates: AppealTemplate[] = [],
): AppealTemplate {
  const own = new Set(practiceTemplates.map((t) => t.key));
  const candidates = [...practiceTemplates, ...DEFAULT_APPEAL_TEMPLATES.filter((t) => !own.has(t.key))];
  let best: AppealTemplate | undefined;
  let bestScore = -1;
  for (const t of candidates) {
    const sc = score(t, selector);
    if (sc > bestScore) {
      best = t;
      bestScore = sc;
    }
  }
  if (!best) {
    throw new DocumentError(
      FailureType.TemplateInvalid,
      `No appeal template fits a ${selector.payerType} level ${selector.level} ${selector.category} denial.`,
      'template',
    );
  }
  return best;
}
