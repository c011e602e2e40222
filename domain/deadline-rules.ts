/**
 * The deadline fields of a payer rule and the deadlines they give a claim. A rule names where its appeal
 * clock starts (`appealWindow.from`), the receipt presumption, and the unit of its windows; rules written
 * before those fields existed keep their old meaning (days, counted from presumed receipt), so a claim
 * started under them is not moved. See docs/deadline-rules.md.
 */
import {
  type ClockStart,
  type Deadline,
  type NoticeWindow,
  noticeWindowDeadline,
  type Period,
  type PeriodUnit,
  periodError,
  timelyFilingDeadline,
} from './deadlines.js';
import { isValidTimeZone } from './time-zones.js';

/** The practice time zone assumed where none is stored (the demo practices are in New York). */
export const DEFAULT_PRACTICE_TIME_ZONE = 'America/New_York';

/**
 * The practice's time zone, delivered with its payer rules so a claim's timers need no second activity.
 * Rules recorded before the field existed lack it.
 */
export interface PracticeClock {
  practiceTimeZone?: string;
}

/** The zone a claim's deadlines end in. */
export function practiceTimeZoneOf(rules: object): string {
  const tz = (rules as PracticeClock).practiceTimeZone;
  return tz !== undefined && isValidTimeZone(tz) ? tz : DEFAULT_PRACTICE_TIME_ZONE;
}

/** How a rule's appeal windows count: from what, with which presumption, in which unit. */
export interface AppealWindowRule {
  from: ClockStart;
  /** Days after the notice's date its receipt is presumed; applies only when `from` is `receipt`. */
  receiptPresumptionDays: number;
  /** Unit of every length in `appealWindowDays` (named for its default unit). */
  unit: PeriodUnit;
}

/** The fields of a payer rule deadlines are computed from. */
export interface DeadlineRuleFields {
  /** Appeal window length per level (in `appealWindow.unit`, days by default). */
  appealWindowDays: number[];
  /** Legacy presumption, used when the rule has no `appealWindow`. */
  receiptPresumptionDays: number;
  /** Timely filing limit in days, used when the rule has no `timelyFiling`. */
  timelyFilingDays: number;
  appealWindow?: AppealWindowRule;
  /** Timely filing as a period; Medicare: one calendar year. Wins over `timelyFilingDays`. */
  timelyFiling?: Period;
}

/**
 * The appeal window of `level` (1-based), or undefined past the rule's last level. A rule without
 * `appealWindow` counts days from presumed receipt, as every rule did before the field existed.
 */
export function appealNoticeWindow(rules: DeadlineRuleFields, level: number): NoticeWindow | undefined {
  const length = rules.appealWindowDays[level - 1];
  if (length === undefined) return undefined;
  const w = rules.appealWindow ?? {
    from: 'receipt',
    receiptPresumptionDays: rules.receiptPresumptionDays,
    unit: 'days',
  };
  return { period: { length, unit: w.unit }, from: w.from, receiptPresumptionDays: w.receiptPresumptionDays };
}

/** The timely filing limit of a rule as a period. */
export function timelyFilingPeriod(rules: DeadlineRuleFields): Period {
  return rules.timelyFiling ?? { length: rules.timelyFilingDays, unit: 'days' };
}

/** The appeal deadline of `level` for a decision (remittance or appeal decision) dated `noticeDate`. */
export function appealDeadlineFor(input: {
  rules: DeadlineRuleFields;
  level: number;
  noticeDate: string;
  timeZone: string;
}): Deadline | undefined {
  const window = appealNoticeWindow(input.rules, input.level);
  if (!window) return undefined;
  return noticeWindowDeadline({ noticeDate: input.noticeDate, window, timeZone: input.timeZone });
}

/** The timely filing deadline of a claim with date of service `dateOfService`. */
export function timelyFilingDeadlineFor(input: {
  rules: DeadlineRuleFields;
  dateOfService: string;
  timeZone: string;
}): Deadline {
  return timelyFilingDeadline({
    dateOfService: input.dateOfService,
    limit: timelyFilingPeriod(input.rules),
    timeZone: input.timeZone,
  });
}

/** Checks the deadline fields of a rule; returns the field and reason of the first problem, or undefined. */
export function deadlineFieldsError(r: DeadlineRuleFields): { field: string; message: string } | undefined {
  if (r.appealWindow) {
    const w = r.appealWindow;
    if (w.from !== 'remittance' && w.from !== 'receipt') {
      return { field: 'appealWindow.from', message: 'must be remittance or receipt' };
    }
    if (
      !(
        Number.isInteger(w.receiptPresumptionDays) &&
        w.receiptPresumptionDays >= 0 &&
        w.receiptPresumptionDays <= 30
      )
    ) {
      return {
        field: 'appealWindow.receiptPresumptionDays',
        message: 'must be a whole number of days from 0 to 30',
      };
    }
    const unit = periodError({ length: 1, unit: w.unit });
    if (unit) return { field: 'appealWindow.unit', message: unit };
  }
  if (r.timelyFiling) {
    const problem = periodError(r.timelyFiling);
    if (problem) return { field: 'timelyFiling', message: problem };
  }
  return undefined;
}

/** Checks a practice time zone (an IANA name such as America/Chicago). */
export function timeZoneError(timeZone: string): string | undefined {
  return isValidTimeZone(timeZone) ? undefined : 'must be an IANA time zone such as America/New_York';
}
