/**
 * The timing rules a claim's timers follow, per payer and overridable per practice, with effective
 * dates (stored in payer_rules). Defaults below seed the demo; docs/deadline-rules.md gives their
 * sources.
 */
import { type AppealWindowRule, deadlineFieldsError } from './deadline-rules.js';
import { type Period, periodError } from './deadlines.js';

export interface PayerRules {
  /** Days without a remittance before a claim status inquiry (276/277). */
  followUpDays: number;
  /** Inquiries without resolution before the claim is escalated. */
  maxFollowUps: number;
  /** Days from date of service by which a clean claim must reach the payer. */
  timelyFilingDays: number;
  /** Appeal window per level, in days from (presumed) receipt of the decision. Length = number of levels. */
  appealWindowDays: number[];
  /** Days after filing an appeal before asking the payer for its decision. */
  appealDecisionFollowUpDays: number;
  /** Days a claim may wait in NEEDS_REVIEW before it is escalated. */
  reviewSlaDays: number;
  /** Reminders this many days before a deadline. */
  reminderOffsetsDays: number[];
  /** Patient statement cycle: days after the first statement for each statement (first is 0). */
  dunningCadenceDays: number[];
  /** Days the patient has to pay after the final notice. */
  finalNoticeDays: number;
  /** Earliest collections hand-off, in days after the first statement (501(r): 120). */
  collectionsAfterDays: number;
  /** A notice is presumed received this many days after its date (Medicare: 5). */
  receiptPresumptionDays: number;
  /**
   * Where appeal windows count from (`remittance` or `receipt`), the presumption, and the unit of
   * `appealWindowDays`. Rules stored before the field existed lack it and mean days from receipt.
   */
  appealWindow?: AppealWindowRule;
  /** Timely filing as a period (Medicare: one calendar year); wins over `timelyFilingDays`. */
  timelyFiling?: Period;
  /** Medicare: a correction after the initial determination is a reopening, allowed within this period. */
  reopeningWindow?: Period;
}

export const PAYER_TYPES = ['MEDICARE', 'MEDICARE_ADVANTAGE', 'MEDICAID', 'COMMERCIAL', 'ERISA'] as const;
export type PayerType = (typeof PAYER_TYPES)[number];

const COMMON = {
  maxFollowUps: 4,
  appealDecisionFollowUpDays: 45,
  reviewSlaDays: 10,
  reminderOffsetsDays: [30, 14, 7, 1],
  dunningCadenceDays: [0, 30, 60, 90],
  finalNoticeDays: 14,
  collectionsAfterDays: 120,
  receiptPresumptionDays: 5,
} satisfies Partial<PayerRules>;

/**
 * Windows that count from the remittance/EOB date: no receipt presumption applies (the 5 days stay on
 * the rule, unused, should a practice switch it to `receipt`).
 */
const FROM_REMITTANCE: AppealWindowRule = { from: 'remittance', receiptPresumptionDays: 5, unit: 'days' };

/** Default rules by payer type (docs/deadline-rules.md). A practice overrides them per payer in payer_rules. */
export const DEFAULT_RULES: Record<PayerType, PayerRules> = {
  // Redetermination 120 d, reconsideration 180 d, ALJ 60 d, Council 60 d, court 60 d, each from receipt
  // of the decision presumed 5 days after its date; timely filing one calendar year after the service.
  MEDICARE: {
    ...COMMON,
    followUpDays: 30,
    timelyFilingDays: 365,
    appealWindowDays: [120, 180, 60, 60, 60],
    appealWindow: { from: 'receipt', receiptPresumptionDays: 5, unit: 'days' },
    timelyFiling: { length: 1, unit: 'years' },
    reopeningWindow: { length: 1, unit: 'years' },
  },
  MEDICARE_ADVANTAGE: {
    ...COMMON,
    followUpDays: 30,
    timelyFilingDays: 365,
    appealWindowDays: [60, 60],
    appealWindow: FROM_REMITTANCE,
  },
  MEDICAID: {
    ...COMMON,
    followUpDays: 30,
    timelyFilingDays: 180,
    appealWindowDays: [90, 90],
    appealWindow: FROM_REMITTANCE,
  },
  COMMERCIAL: {
    ...COMMON,
    followUpDays: 30,
    timelyFilingDays: 90,
    appealWindowDays: [180, 180, 120],
    appealWindow: FROM_REMITTANCE,
  },
  ERISA: {
    ...COMMON,
    followUpDays: 30,
    timelyFilingDays: 365,
    appealWindowDays: [180, 180],
    appealWindow: FROM_REMITTANCE,
  },
};

/** Checks a rule set; returns the field and reason of the first problem, or undefined. */
export function validateRules(r: PayerRules): { field: string; message: string } | undefined {
  const positive: (keyof PayerRules)[] = [
    'followUpDays',
    'timelyFilingDays',
    'appealDecisionFollowUpDays',
    'reviewSlaDays',
    'finalNoticeDays',
  ];
  for (const f of positive)
    if (!(Number.isInteger(r[f]) && (r[f] as number) > 0))
      return { field: f, message: 'must be a positive whole number of days' };
  if (!(Number.isInteger(r.maxFollowUps) && r.maxFollowUps >= 1))
    return { field: 'maxFollowUps', message: 'must be at least 1' };
  if (r.appealWindowDays.length === 0 || r.appealWindowDays.some((d) => !(Number.isInteger(d) && d > 0))) {
    return { field: 'appealWindowDays', message: 'must list at least one positive window' };
  }
  if (r.dunningCadenceDays[0] !== 0 || r.dunningCadenceDays.some((d, i, a) => i > 0 && d <= a[i - 1]!)) {
    return { field: 'dunningCadenceDays', message: 'must start at 0 and increase' };
  }
  if (r.collectionsAfterDays < 120)
    return { field: 'collectionsAfterDays', message: 'must be at least 120 (IRS 501(r))' };
  if (r.reopeningWindow) {
    const problem = periodError(r.reopeningWindow);
    if (problem) return { field: 'reopeningWindow', message: problem };
  }
  return deadlineFieldsError(r);
}
