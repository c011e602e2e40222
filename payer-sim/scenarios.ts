/**
 * The scenario table: which claims the simulated payer pays, denies, delays or loses. Rules are matched
 * in order on claim fields (member id prefix, payer id, procedure code, modifier, diagnosis, ...); the
 * first match decides. A claim no rule matches gets the default mix, chosen by a stable hash of its
 * patient control number so the same claim always gets the same answer. payer-sim/README.md documents
 * every rule and how to force it.
 *
 * A JSON file (config `scenariosFile`) can prepend rules to this table or replace it.
 */
import { readFileSync } from 'node:fs';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { RejectionCategorySchema } from './schemas.js';

const CasGroupSchema = Type.Union([
  Type.Literal('CO'),
  Type.Literal('PR'),
  Type.Literal('OA'),
  Type.Literal('PI'),
]);

/** Conditions of a rule; all given ones must hold. Line conditions hold when at least one line meets them. */
export const ScenarioConditionSchema = Type.Object(
  {
    memberIdPrefix: Type.Optional(Type.String({ minLength: 1 })),
    patientControlNumberPrefix: Type.Optional(Type.String({ minLength: 1 })),
    payerId: Type.Optional(Type.String({ minLength: 1 })),
    diagnosisPrefix: Type.Optional(Type.String({ minLength: 1 })),
    frequencyCode: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('7'), Type.Literal('8')])),
    /** Date of service more than this many days before the day the payer receives the claim. */
    dateOfServiceOlderThanDays: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Line condition: the line's procedure code. */
    procedureCode: Type.Optional(Type.String({ minLength: 1 })),
    /** Line condition: the line carries this modifier. */
    modifier: Type.Optional(Type.String({ minLength: 1 })),
    /** Line condition: the line lacks this modifier. */
    missingModifier: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
/** The conditions of a scenario rule. */
export type ScenarioCondition = Static<typeof ScenarioConditionSchema>;

/** Which lines a denial applies to. `claim` puts the CAS at claim level and sends no service lines. */
export const DenialScopeSchema = Type.Union([
  Type.Literal('claim'),
  Type.Literal('all_lines'),
  Type.Literal('matching_lines'),
  Type.Literal('first_line'),
  Type.Literal('lines_after_first'),
]);
/** The lines a denial applies to. */
export type DenialScope = Static<typeof DenialScopeSchema>;

/** What the payer does with a claim a rule matches. */
export const OutcomeSchema = Type.Union([
  /** Paid up to the allowed amount; the rest of the charge is CO-45 (contractual). */
  Type.Object({ kind: Type.Literal('paid') }, { additionalProperties: false }),
  /** Paid less patient responsibility: PR-1 deductible, PR-2 coinsurance, PR-3 copay. */
  Type.Object(
    {
      kind: Type.Literal('patient_share'),
      deductibleCents: Type.Optional(Type.Integer({ minimum: 0 })),
      coinsurancePercent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
      copayCents: Type.Optional(Type.Integer({ minimum: 0 })),
    },
    { additionalProperties: false },
  ),
  /** Denied lines (or the whole claim) with group + CARC + RARC; other lines are paid. */
  Type.Object(
    {
      kind: Type.Literal('denied'),
      group: CasGroupSchema,
      reason: Type.String({ minLength: 1, maxLength: 3 }),
      remarkCodes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 5 }), { maxItems: 5 })),
      scope: DenialScopeSchema,
      /** CLP02: 4 denied, or 1 (processed as primary) with zero paid, as many payers do. */
      claimStatus: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('4')])),
    },
    { additionalProperties: false },
  ),
  /** The payer asks for records (277 R4) while the claim pends, then denies for missing documentation. */
  Type.Object(
    {
      kind: Type.Literal('requests_information'),
      reason: Type.Optional(Type.String({ minLength: 1, maxLength: 3 })),
      remarkCodes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 5 }), { maxItems: 5 })),
    },
    { additionalProperties: false },
  ),
  /** Accepted by the clearinghouse, never received by the payer: 277 A4 until submitted again. */
  Type.Object({ kind: Type.Literal('lost') }, { additionalProperties: false }),
  /** Refused at the front end (999/277CA), never adjudicated. */
  Type.Object(
    {
      kind: Type.Literal('front_end_rejection'),
      category: RejectionCategorySchema,
      statusCode: Type.String({ minLength: 1 }),
      field: Type.Optional(Type.String()),
      message: Type.String({ minLength: 1 }),
    },
    { additionalProperties: false },
  ),
]);
/** A scenario outcome. */
export type Outcome = Static<typeof OutcomeSchema>;

/** A rule's fixed appeal decision, overriding the payer's default appeal logic. */
export const AppealRuleSchema = Type.Object(
  {
    decision: Type.Union([Type.Literal('overturned'), Type.Literal('upheld')]),
    reason: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
/** A fixed appeal decision. */
export type AppealRule = Static<typeof AppealRuleSchema>;

/** One row of the scenario table: conditions, outcome, payment knobs and appeal decision. */
export const ScenarioRuleSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    description: Type.String(),
    when: ScenarioConditionSchema,
    /** Omitted: the default mix decides the outcome and only the payment knobs below apply. */
    outcome: Type.Optional(OutcomeSchema),
    /** Allowed amount as a percentage of the charge (default 80). */
    allowedPercent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    /** Slow payer: adjudicate after `adjudicationDelayMs * delayFactor`. */
    delayFactor: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
    /** Late payment: a PLB L6 interest line of this percentage of the payment. */
    interestPercent: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
    /** Overpayment: one payer cycle later a PLB WO recoups this percentage of the payment. */
    recoupPercent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    /**
     * Underpayment: the first paid line is allowed this many cents less than `allowedPercent` gives
     * (the CO-45 grows by as much), as a payer that priced the claim below its contract. A reprocessing
     * (`repostAllowedPercent`, or an appeal, which the payer then overturns) pays the full amount.
     */
    underpayCents: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Reprocessing: one payer cycle later a reversal (CLP02=22) and a repost at this allowed percentage. */
    repostAllowedPercent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    appeal: Type.Optional(AppealRuleSchema),
  },
  { additionalProperties: false },
);
/** A scenario rule. */
export type ScenarioRule = Static<typeof ScenarioRuleSchema>;

/** A scenarios file: rules placed before the built-in table, or instead of it with `"mode": "replace"`. */
export const ScenarioFileSchema = Type.Object(
  {
    mode: Type.Optional(Type.Union([Type.Literal('prepend'), Type.Literal('replace')])),
    rules: Type.Array(ScenarioRuleSchema),
  },
  { additionalProperties: false },
);

const UPHELD_ELIGIBILITY: AppealRule = {
  decision: 'upheld',
  reason: 'Coverage was not in effect for the date of service; bill the correct payer.',
};

/**
 * The built-in rules. Member id prefixes force an outcome for demos and tests; the content rules
 * (procedure, modifier, diagnosis, date) behave like real payer edits so a corrected claim can fix them.
 */
export const BUILT_IN_RULES: ScenarioRule[] = [
  {
    name: 'subscriber-not-found',
    description: 'The payer does not know the subscriber: 277CA A8 rejection, never adjudicated.',
    when: { memberIdPrefix: 'NOTFOUND-' },
    outcome: {
      kind: 'front_end_rejection',
      category: 'A8',
      statusCode: '33',
      field: 'patient.memberId',
      message: 'Subscriber and subscriber id not found.',
    },
  },
  {
    name: 'payer-lost-claim',
    description:
      'Accepted by the clearinghouse but never received by the payer: status A4 until resubmitted.',
    when: { memberIdPrefix: 'LOST-' },
    outcome: { kind: 'lost' },
  },
  {
    name: 'eligibility-coverage-terminated',
    description: 'CLP02=4, claim-level CO-27 (expenses after coverage terminated), RARC N30.',
    when: { memberIdPrefix: 'ELIG27-' },
    outcome: {
      kind: 'denied',
      group: 'CO',
      reason: '27',
      remarkCodes: ['N30'],
      scope: 'claim',
      claimStatus: '4',
    },
    appeal: UPHELD_ELIGIBILITY,
  },
  {
    name: 'eligibility-not-identified',
    description: 'CLP02=4, claim-level CO-31 (patient cannot be identified as our insured).',
    when: { memberIdPrefix: 'ELIG31-' },
    outcome: { kind: 'denied', group: 'CO', reason: '31', scope: 'claim', claimStatus: '4' },
    appeal: UPHELD_ELIGIBILITY,
  },
  {
    name: 'coordination-of-benefits',
    description: 'CLP02=1 with zero paid, CO-22 on every line (another payer is primary), RARC MA04.',
    when: { memberIdPrefix: 'COB22-' },
    outcome: { kind: 'denied', group: 'CO', reason: '22', remarkCodes: ['MA04'], scope: 'all_lines' },
    appeal: { decision: 'upheld', reason: 'Another payer is primary; submit with the primary EOB.' },
  },
  {
    name: 'authorization-missing',
    description: 'CO-197 on every line (precertification absent), RARC M62; overturned on appeal.',
    when: { memberIdPrefix: 'AUTH197-' },
    outcome: { kind: 'denied', group: 'CO', reason: '197', remarkCodes: ['M62'], scope: 'all_lines' },
    appeal: { decision: 'overturned' },
  },
  {
    name: 'coding-modifier',
    description: 'CO-4 on the first line (procedure inconsistent with modifier), RARC N519.',
    when: { memberIdPrefix: 'CODE4-' },
    outcome: { kind: 'denied', group: 'CO', reason: '4', remarkCodes: ['N519'], scope: 'first_line' },
  },
  {
    name: 'coding-diagnosis',
    description: 'CO-11 on every line (diagnosis inconsistent with procedure), RARC M76.',
    when: { memberIdPrefix: 'CODE11-' },
    outcome: { kind: 'denied', group: 'CO', reason: '11', remarkCodes: ['M76'], scope: 'all_lines' },
  },
  {
    name: 'missing-procedure-information',
    description: 'CO-16 on the first line with RARC M51 (missing/invalid procedure code).',
    when: { memberIdPrefix: 'INFO16-' },
    outcome: { kind: 'denied', group: 'CO', reason: '16', remarkCodes: ['M51'], scope: 'first_line' },
  },
  {
    name: 'missing-rendering-provider',
    description: 'CO-16 on every line with RARC N290 (missing/invalid rendering provider identifier).',
    when: { memberIdPrefix: 'NPI16-' },
    outcome: { kind: 'denied', group: 'CO', reason: '16', remarkCodes: ['N290'], scope: 'all_lines' },
  },
  {
    name: 'bundling',
    description: 'CO-97 on every line after the first (included in another service), RARC M15.',
    when: { memberIdPrefix: 'BUNDLE97-' },
    outcome: { kind: 'denied', group: 'CO', reason: '97', remarkCodes: ['M15'], scope: 'lines_after_first' },
  },
  {
    name: 'medical-necessity-upheld',
    description: 'CO-50 on every line (not medically necessary), RARC N115; upheld on appeal.',
    when: { memberIdPrefix: 'DENY50UP-' },
    outcome: { kind: 'denied', group: 'CO', reason: '50', remarkCodes: ['N115'], scope: 'all_lines' },
    appeal: { decision: 'upheld', reason: 'The records submitted do not support medical necessity.' },
  },
  {
    name: 'medical-necessity',
    description: 'CO-50 on every line (not medically necessary), RARC N115; overturned on appeal.',
    when: { memberIdPrefix: 'DENY50-' },
    outcome: { kind: 'denied', group: 'CO', reason: '50', remarkCodes: ['N115'], scope: 'all_lines' },
    appeal: { decision: 'overturned' },
  },
  {
    name: 'timely-filing',
    description: 'CLP02=4, claim-level CO-29 (time limit for filing expired).',
    when: { memberIdPrefix: 'LATE29-' },
    outcome: { kind: 'denied', group: 'CO', reason: '29', scope: 'claim', claimStatus: '4' },
  },
  {
    name: 'duplicate',
    description: 'CLP02=4, claim-level OA-18 (exact duplicate claim).',
    when: { memberIdPrefix: 'DUP18-' },
    outcome: { kind: 'denied', group: 'OA', reason: '18', scope: 'claim', claimStatus: '4' },
  },
  {
    name: 'non-covered',
    description: 'CO-96 on every line (non-covered charges), RARC N130.',
    when: { memberIdPrefix: 'NONCOV96-' },
    outcome: { kind: 'denied', group: 'CO', reason: '96', remarkCodes: ['N130'], scope: 'all_lines' },
  },
  {
    name: 'benefit-not-in-plan',
    description: 'PR-204 on every line (not covered by the plan; the patient owes it), RARC N130.',
    when: { memberIdPrefix: 'NONCOV204-' },
    outcome: { kind: 'denied', group: 'PR', reason: '204', remarkCodes: ['N130'], scope: 'all_lines' },
  },
  {
    name: 'credentialing',
    description: 'CO-B7 on every line (provider not certified for this service on this date), RARC N570.',
    when: { memberIdPrefix: 'CREDB7-' },
    outcome: { kind: 'denied', group: 'CO', reason: 'B7', remarkCodes: ['N570'], scope: 'all_lines' },
    appeal: {
      decision: 'upheld',
      reason: 'Provider enrollment was not effective; update enrollment and rebill.',
    },
  },
  {
    name: 'records-requested',
    description: '277 R4 (documentation requested) while pending, then CO-252 + RARC M127 on every line.',
    when: { memberIdPrefix: 'RECORDS-' },
    outcome: { kind: 'requests_information' },
    delayFactor: 3,
  },
  {
    name: 'deductible-not-met',
    description: 'Whole allowed amount to PR-1 deductible: zero paid, not a denial (277 F4).',
    when: { memberIdPrefix: 'DEDUCT-' },
    outcome: { kind: 'patient_share', deductibleCents: 99_999_999_999 },
  },
  {
    name: 'coinsurance',
    description: 'Paid with 20% PR-2 coinsurance.',
    when: { memberIdPrefix: 'COINS-' },
    outcome: { kind: 'patient_share', coinsurancePercent: 20 },
  },
  {
    name: 'copay',
    description: 'Paid less a $25.00 PR-3 copay.',
    when: { memberIdPrefix: 'COPAY-' },
    outcome: { kind: 'patient_share', copayCents: 2500 },
  },
  {
    name: 'paid-in-full',
    description: 'Paid at the allowed amount (80% of charge), CO-45 for the rest.',
    when: { memberIdPrefix: 'PAID-' },
    outcome: { kind: 'paid' },
  },
  {
    name: 'reversal-and-repost',
    description: 'Paid at 70% allowed; one payer cycle later reversed (CLP02=22) and reposted at 85%.',
    when: { memberIdPrefix: 'REVERSE-' },
    outcome: { kind: 'paid' },
    allowedPercent: 70,
    repostAllowedPercent: 85,
  },
  {
    name: 'late-payment-interest',
    description: 'Slow (3x delay), then paid with PLB L6 interest of 2% of the payment.',
    when: { memberIdPrefix: 'INTEREST-' },
    outcome: { kind: 'paid' },
    delayFactor: 3,
    interestPercent: 2,
  },
  {
    name: 'overpayment-recoupment',
    description:
      'Paid; one payer cycle later 25% is recouped as PLB WO from the next payment to the provider.',
    when: { memberIdPrefix: 'RECOUP-' },
    outcome: { kind: 'paid' },
    recoupPercent: 25,
  },
  {
    name: 'slow-member',
    description: 'Paid, adjudicated after 5x the adjudication delay.',
    when: { memberIdPrefix: 'SLOW-' },
    outcome: { kind: 'paid' },
    delayFactor: 5,
  },
  {
    name: 'unbundled-manual-therapy',
    description:
      '97140 without modifier 59 is bundled: CO-97 + M15 on that line (with 59 the line is not bundled).',
    when: { procedureCode: '97140', missingModifier: '59' },
    outcome: { kind: 'denied', group: 'CO', reason: '97', remarkCodes: ['M15'], scope: 'matching_lines' },
  },
  {
    name: 'statutorily-excluded',
    description: 'A line with modifier GY (statutorily excluded) is PR-96 + N130: the patient owes it.',
    when: { modifier: 'GY' },
    outcome: { kind: 'denied', group: 'PR', reason: '96', remarkCodes: ['N130'], scope: 'matching_lines' },
  },
  {
    name: 'unlisted-evaluation-code',
    description: 'Unlisted E/M code 99499 needs a description: CO-16 + M51 on that line.',
    when: { procedureCode: '99499' },
    outcome: { kind: 'denied', group: 'CO', reason: '16', remarkCodes: ['M51'], scope: 'matching_lines' },
  },
  {
    name: 'unspecified-diagnosis',
    description: 'Diagnosis R69 (illness, unspecified) does not support any procedure: CO-11 + M76.',
    when: { diagnosisPrefix: 'R69' },
    outcome: { kind: 'denied', group: 'CO', reason: '11', remarkCodes: ['M76'], scope: 'all_lines' },
  },
  {
    name: 'timely-filing-expired',
    description: 'Date of service more than 365 days before receipt: CLP02=4, claim-level CO-29.',
    when: { dateOfServiceOlderThanDays: 365 },
    outcome: { kind: 'denied', group: 'CO', reason: '29', scope: 'claim', claimStatus: '4' },
  },
  {
    name: 'slow-payer',
    description: 'Payer SLOWPAY adjudicates after 4x the delay; outcomes follow the default mix.',
    when: { payerId: 'SLOWPAY' },
    delayFactor: 4,
  },
  {
    name: 'late-payer-with-interest',
    description: 'Payer LATEPAY adjudicates after 3x the delay and adds 1% PLB L6 interest to payments.',
    when: { payerId: 'LATEPAY' },
    delayFactor: 3,
    interestPercent: 1,
  },
];

/** One row of the default mix; weights are basis points of 10,000 claims. */
export interface MixRow {
  name: string;
  weight: number;
  outcome: Outcome;
  /** True for rows that are initial denials (KPI: initial denial rate ~10-15%). */
  denial: boolean;
}

/**
 * The default mix for claims no rule matches: 12.5% initial denials spread over the categories of docs/carc-rarc.md
 * (registration/eligibility first, the top cause), 33% with patient responsibility, the rest paid.
 */
export const DEFAULT_MIX: MixRow[] = [
  {
    name: 'eligibility-27',
    weight: 250,
    denial: true,
    outcome: {
      kind: 'denied',
      group: 'CO',
      reason: '27',
      remarkCodes: ['N30'],
      scope: 'claim',
      claimStatus: '4',
    },
  },
  {
    name: 'eligibility-31',
    weight: 100,
    denial: true,
    outcome: { kind: 'denied', group: 'CO', reason: '31', scope: 'claim', claimStatus: '4' },
  },
  {
    name: 'cob-22',
    weight: 100,
    denial: true,
    outcome: { kind: 'denied', group: 'CO', reason: '22', remarkCodes: ['MA04'], scope: 'all_lines' },
  },
  {
    name: 'authorization-197',
    weight: 150,
    denial: true,
    outcome: { kind: 'denied', group: 'CO', reason: '197', remarkCodes: ['M62'], scope: 'all_lines' },
  },
  {
    name: 'coding-4',
    weight: 100,
    denial: true,
    outcome: { kind: 'denied', group: 'CO', reason: '4', remarkCodes: ['N519'], scope: 'first_line' },
  },
  {
    name: 'coding-11',
    weight: 50,
    denial: true,
    outcome: { kind: 'denied', group: 'CO', reason: '11', remarkCodes: ['M76'], scope: 'all_lines' },
  },
  {
    name: 'missing-info-16-m51',
    weight: 100,
    denial: true,
    outcome: { kind: 'denied', group: 'CO', reason: '16', remarkCodes: ['M51'], scope: 'first_line' },
  },
  {
    name: 'missing-info-16-n290',
    weight: 50,
    denial: true,
    outcome: { kind: 'denied', group: 'CO', reason: '16', remarkCodes: ['N290'], scope: 'all_lines' },
  },
  {
    name: 'bundling-97',
    weight: 100,
    denial: true,
    outcome: { kind: 'denied', group: 'CO', reason: '97', remarkCodes: ['M15'], scope: 'first_line' },
  },
  {
    name: 'medical-necessity-50',
    weight: 100,
    denial: true,
    outcome: { kind: 'denied', group: 'CO', reason: '50', remarkCodes: ['N115'], scope: 'all_lines' },
  },
  {
    name: 'timely-filing-29',
    weight: 50,
    denial: true,
    outcome: { kind: 'denied', group: 'CO', reason: '29', scope: 'claim', claimStatus: '4' },
  },
  {
    name: 'non-covered-96',
    weight: 50,
    denial: true,
    outcome: { kind: 'denied', group: 'CO', reason: '96', remarkCodes: ['N130'], scope: 'all_lines' },
  },
  {
    name: 'non-covered-204',
    weight: 25,
    denial: true,
    outcome: { kind: 'denied', group: 'PR', reason: '204', remarkCodes: ['N130'], scope: 'all_lines' },
  },
  {
    name: 'credentialing-B7',
    weight: 25,
    denial: true,
    outcome: { kind: 'denied', group: 'CO', reason: 'B7', remarkCodes: ['N570'], scope: 'all_lines' },
  },
  {
    name: 'deductible-partial',
    weight: 1200,
    denial: false,
    outcome: { kind: 'patient_share', deductibleCents: 7500 },
  },
  {
    name: 'coinsurance-20',
    weight: 1000,
    denial: false,
    outcome: { kind: 'patient_share', coinsurancePercent: 20 },
  },
  { name: 'copay-25', weight: 800, denial: false, outcome: { kind: 'patient_share', copayCents: 2500 } },
  {
    name: 'deductible-full',
    weight: 300,
    denial: false,
    outcome: { kind: 'patient_share', deductibleCents: 99_999_999_999 },
  },
  { name: 'paid', weight: 5450, denial: false, outcome: { kind: 'paid' } },
];

/** Thrown when a scenarios file cannot be read or does not match the schema. */
export class ScenarioFileError extends Error {
  readonly type = 'scenario_file_invalid';
}

/**
 * Loads the scenario table: the built-in rules, with the rules of `file` (if given) placed before them
 * or replacing them. Fails fast with the first schema error, so a typo never silently changes outcomes.
 */
export function loadScenarioRules(file?: string): ScenarioRule[] {
  if (!file) return BUILT_IN_RULES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ScenarioFileError(`cannot read scenarios file ${file}: ${(err as Error).message}`);
  }
  // A bare array is accepted as the rules to prepend.
  const doc = Array.isArray(parsed) ? { rules: parsed } : parsed;
  if (!Value.Check(ScenarioFileSchema, doc)) {
    const first = Value.Errors(ScenarioFileSchema, doc)[0];
    throw new ScenarioFileError(
      `scenarios file ${file}: ${first ? `${first.instancePath || '/'} ${first.message}` : 'invalid'}`,
    );
  }
  return doc.mode === 'replace' ? doc.rules : [...doc.rules, ...BUILT_IN_RULES];
}
