/**
 * CARC/RARC reference data and denial categorisation (docs/carc-rarc.md).
 * The code lists are versioned data: plain-language text is our own wording, keyed by the code.
 * CARC says why; the CAS group code says who owes.
 */

/** The code-list edition these tables follow; bump it when the data changes. */
export const CODE_LIST_VERSION = '2026-07-01';

export const DENIAL_CATEGORIES = [
  'ELIGIBILITY',
  'COORDINATION_OF_BENEFITS',
  'AUTHORIZATION',
  'CODING',
  'BUNDLING',
  'MEDICAL_NECESSITY',
  'MISSING_INFORMATION',
  'TIMELY_FILING',
  'DUPLICATE',
  'NON_COVERED',
  'CREDENTIALING',
  'UNDERPAYMENT',
  'OTHER',
] as const;
export type DenialCategory = (typeof DENIAL_CATEGORIES)[number];

export const RECOMMENDED_ACTIONS = [
  'VERIFY_ELIGIBILITY_AND_REBILL',
  'BILL_CORRECT_PAYER',
  'APPEAL_WITH_AUTHORIZATION',
  'CORRECT_AND_RESUBMIT',
  'REVIEW_MODIFIER_OR_WRITE_OFF',
  'APPEAL_WITH_RECORDS',
  'READ_REMARK_AND_RESUBMIT',
  'APPEAL_WITH_PROOF_OF_TIMELY_FILING',
  'CHECK_ORIGINAL_CLAIM',
  'BILL_PATIENT_IF_WAIVER_ELSE_APPEAL',
  'FIX_ENROLLMENT_AND_REBILL',
  'REQUEST_REPROCESSING',
  'REVIEW',
] as const;
export type RecommendedAction = (typeof RECOMMENDED_ACTIONS)[number];

interface CategoryRule {
  carcs: string[];
  action: RecommendedAction;
  /** Whether an appeal is a sensible remedy at all (duplicates are never appealed). */
  appealable: boolean;
  /** 0..1: how much of the denied amount is typically recovered when worked. Drives queue priority. */
  recoverability: number;
}

const CATEGORY_RULES: Record<DenialCategory, CategoryRule> = {
  ELIGIBILITY: {
    carcs: ['26', '27', '31', '32', '33', '140', '177', '200'],
    action: 'VERIFY_ELIGIBILITY_AND_REBILL',
    appealable: true,
    recoverability: 0.6,
  },
  COORDINATION_OF_BENEFITS: {
    carcs: ['22', '109', 'B11'],
    action: 'BILL_CORRECT_PAYER',
    appealable: true,
    recoverability: 0.8,
  },
  AUTHORIZATION: {
    carcs: ['197', '198', '15', '39', '243', '284', '288'],
    action: 'APPEAL_WITH_AUTHORIZATION',
    appealable: true,
    recoverability: 0.5,
  },
  CODING: {
    carcs: ['4', '5', '6', '7', '8', '9', '10', '11', '146', '181', '182', '189', '199'],
    action: 'CORRECT_AND_RESUBMIT',
    appealable: true,
    recoverability: 0.8,
  },
  BUNDLING: {
    carcs: ['97', '234', '236'],
    action: 'REVIEW_MODIFIER_OR_WRITE_OFF',
    appealable: true,
    recoverability: 0.4,
  },
  MEDICAL_NECESSITY: {
    carcs: ['50', '55', '56', '150', '151', '152', '167'],
    action: 'APPEAL_WITH_RECORDS',
    appealable: true,
    recoverability: 0.55,
  },
  MISSING_INFORMATION: {
    carcs: ['16', '252', '226', '227', 'A1', '206', '207', '208'],
    action: 'READ_REMARK_AND_RESUBMIT',
    appealable: true,
    recoverability: 0.85,
  },
  TIMELY_FILING: {
    carcs: ['29'],
    action: 'APPEAL_WITH_PROOF_OF_TIMELY_FILING',
    appealable: true,
    recoverability: 0.2,
  },
  DUPLICATE: { carcs: ['18', 'B13'], action: 'CHECK_ORIGINAL_CLAIM', appealable: false, recoverability: 0.1 },
  NON_COVERED: {
    carcs: ['96', '204', '49', '35', '119'],
    action: 'BILL_PATIENT_IF_WAIVER_ELSE_APPEAL',
    appealable: true,
    recoverability: 0.3,
  },
  CREDENTIALING: {
    carcs: ['B7', '185', '170'],
    action: 'FIX_ENROLLMENT_AND_REBILL',
    appealable: true,
    recoverability: 0.7,
  },
  // Not a CARC: the payer allowed less than the contracted rate (docs/fee-schedules.md). Payers fix
  // most underpayments on a reprocessing request or an appeal citing the contract.
  UNDERPAYMENT: { carcs: [], action: 'REQUEST_REPROCESSING', appealable: true, recoverability: 0.9 },
  OTHER: { carcs: [], action: 'REVIEW', appealable: true, recoverability: 0.5 },
};

const CARC_TO_CATEGORY = new Map<string, DenialCategory>();
for (const [category, rule] of Object.entries(CATEGORY_RULES) as [DenialCategory, CategoryRule][]) {
  for (const carc of rule.carcs) CARC_TO_CATEGORY.set(carc, category);
}

/**
 * Adjustments that are not denials: contractual reductions (CO-45 charge over the fee schedule, CO-253
 * sequestration), patient cost sharing (PR-1/2/3) and informational prior-payer impact (OA-23).
 */
export function isExpectedAdjustment(group: string, carc: string): boolean {
  if (group === 'CO' || group === 'CR' || group === 'PI')
    return carc === '45' || carc === '253' || carc === '59';
  if (group === 'PR') return carc === '1' || carc === '2' || carc === '3';
  if (group === 'OA') return carc === '23';
  return false;
}

/** The denial category of one CARC, `OTHER` for a code we do not classify (never a crash). */
export function categoryOf(carc: string): DenialCategory {
  return CARC_TO_CATEGORY.get(carc) ?? 'OTHER';
}

export function ruleFor(category: DenialCategory): Readonly<CategoryRule> {
  return CATEGORY_RULES[category];
}

/** Duplicates (CARC 18) are excluded from denial-rate KPIs (docs/kpis.md). */
export function countsTowardDenialRate(category: DenialCategory): boolean {
  return category !== 'DUPLICATE' && category !== 'UNDERPAYMENT';
}

const CARC_TEXT: Record<string, string> = {
  '1': 'Deductible amount',
  '2': 'Coinsurance amount',
  '3': 'Co-payment amount',
  '4': 'Procedure code inconsistent with the modifier, or a required modifier is missing',
  '11': 'Diagnosis inconsistent with the procedure',
  '15': 'Authorization number missing or invalid',
  '16': 'Claim lacks information or has billing errors (see the remark codes)',
  '18': 'Exact duplicate claim or service',
  '22': 'This care may be covered by another payer (coordination of benefits)',
  '23': 'Impact of prior payer adjudication',
  '26': 'Expenses incurred before coverage',
  '27': 'Expenses incurred after coverage ended',
  '29': 'The time limit for filing has expired',
  '31': 'Patient cannot be identified as our insured',
  '45': 'Charge exceeds the fee schedule or contracted amount',
  '49': 'Routine or preventive service not covered',
  '50': 'Not deemed medically necessary by the payer',
  '96': 'Non-covered charge',
  '97': 'Included in the payment for another service (bundled)',
  '109': 'Not covered by this payer: send to the correct payer',
  '119': 'Benefit maximum for this period reached',
  '197': 'Precertification, authorization or notification absent',
  '204': 'Service not covered under the patient’s current benefit plan',
  '253': 'Sequestration: reduction of federal payment',
  B7: 'Provider not certified or eligible for this service on this date',
  B13: 'Previously paid: payment for this claim was made on an earlier claim',
};

const RARC_TEXT: Record<string, string> = {
  M51: 'Missing, incomplete or invalid procedure code',
  M76: 'Missing, incomplete or invalid diagnosis',
  MA04: 'Secondary payment cannot be considered without the primary payer’s information',
  MA130: 'Claim is unprocessable: submit a new claim with the complete, correct information',
  N290: 'Missing, incomplete or invalid rendering provider identifier',
  N286: 'Missing, incomplete or invalid referring provider identifier',
  N30: 'Patient ineligible for this service',
  N115: 'Decision based on a local coverage determination',
  N386: 'Decision based on a national coverage determination',
  N130: 'Consult plan benefit documents for coverage restrictions',
};

/** Plain-language text of a CARC, or a neutral fallback for codes the edition does not describe. */
export function carcText(code: string): string {
  return CARC_TEXT[code] ?? `Adjustment reason code ${code}`;
}

export function rarcText(code: string): string {
  return RARC_TEXT[code] ?? `Remark code ${code}`;
}
