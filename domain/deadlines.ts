/**
 * Billing deadlines as pure functions: where the clock starts, how long the window is (days, business
 * days, calendar months or years), and the instant the deadline ends, which is the end of its last date in
 * the practice's time zone. The rules and their sources are in docs/deadline-rules.md.
 */
import { addCalendarDays, addCalendarMonths, addCalendarYears, isCivilDate } from './calendar.js';
import { addBusinessDays } from './holidays.js';
import { endOfDayIn, isValidTimeZone } from './time-zones.js';

/** The units a payer rule may give a window in. */
export const PERIOD_UNITS = ['days', 'businessDays', 'months', 'years'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];

/** A window length: `{ length: 120, unit: 'days' }`, `{ length: 1, unit: 'years' }`. */
export interface Period {
  length: number;
  unit: PeriodUnit;
}

/** What a window counts from: the date on the remittance/EOB, or its (presumed) receipt. */
export const CLOCK_STARTS = ['remittance', 'receipt'] as const;
export type ClockStart = (typeof CLOCK_STARTS)[number];

/**
 * An appeal (or any notice-based) window of a payer rule. Medicare counts from receipt of the initial
 * determination, presumed `receiptPresumptionDays` (5) after its date; most commercial, Medicaid and
 * Medicare Advantage plans count from the remittance date, with no presumption.
 */
export interface NoticeWindow {
  period: Period;
  from: ClockStart;
  /** Days after the notice's date its receipt is presumed; used only when `from` is `receipt`. */
  receiptPresumptionDays: number;
}

/** The date a deadline was counted from, and what that date is. */
export interface CountedFrom {
  basis: 'remittance' | 'receipt' | 'date_of_service' | 'initial_determination' | 'denial';
  date: string;
  /** For `receipt`: the notice date the receipt was presumed from. */
  noticeDate?: string;
  /** For `receipt`: the presumption applied, in days. */
  presumptionDays?: number;
}

/** A deadline: its last date, the instant that date ends where the practice is, and its clock start. */
export interface Deadline {
  /** The last calendar date on which the act is in time (`YYYY-MM-DD`, practice calendar). */
  date: string;
  /** Epoch ms of 23:59:59.999 on `date` in `timeZone`: an act at or before it is in time. */
  endsAt: number;
  /** Epoch ms of the first instant that is late (`endsAt + 1`), for timers and refusals. */
  lateFrom: number;
  timeZone: string;
  countedFrom: CountedFrom;
}

/** Checks a period; returns why it is invalid, or undefined. */
export function periodError(p: Period): string | undefined {
  if (!PERIOD_UNITS.includes(p.unit)) return `unit must be one of ${PERIOD_UNITS.join(', ')}`;
  if (!(Number.isInteger(p.length) && p.length > 0)) return 'length must be a positive whole number';
  return undefined;
}

/**
 * The date a period after `date` ends. Days and business days count from the day after `date`;
 * months and years land on the same day of the month, or on the month's last day when it is shorter
 * (31 January + 1 month = 28/29 February; 29 February + 1 year = 28 February).
 */
export function addPeriod(date: string, period: Period): string {
  const problem = periodError(period);
  if (problem) throw new RangeError(`period ${problem}`);
  switch (period.unit) {
    case 'days':
      return addCalendarDays(date, period.length);
    case 'businessDays':
      return addBusinessDays(date, period.length);
    case 'months':
      return addCalendarMonths(date, period.length);
    case 'years':
      return addCalendarYears(date, period.length);
  }
}

function check(date: string, timeZone: string, what: string): void {
  if (!isCivilDate(date)) throw new RangeError(`${what} "${date}" is not a calendar date`);
  if (!isValidTimeZone(timeZone)) throw new RangeError(`"${timeZone}" is not an IANA time zone`);
}

/** The deadline whose last day is `date`, ending at the end of that day in `timeZone`. */
export function deadlineOn(date: string, timeZone: string, countedFrom: CountedFrom): Deadline {
  check(date, timeZone, 'deadline date');
  const endsAt = endOfDayIn(date, timeZone);
  return { date, endsAt, lateFrom: endsAt + 1, timeZone, countedFrom };
}

/** Where a notice window's clock starts: the notice date, or its presumed receipt. */
export function windowStart(noticeDate: string, window: NoticeWindow): CountedFrom {
  if (window.from === 'remittance') return { basis: 'remittance', date: noticeDate };
  const days = window.receiptPresumptionDays;
  if (!(Number.isInteger(days) && days >= 0)) throw new RangeError('receiptPresumptionDays must be >= 0');
  return {
    basis: 'receipt',
    date: addCalendarDays(noticeDate, days),
    noticeDate,
    presumptionDays: days,
  };
}

/**
 * The deadline of a window that counts from a notice (remittance/EOB or decision letter) dated
 * `noticeDate`: Medicare redetermination is 120 days from receipt, presumed 5 days after the notice
 * (so the 125th day after the ERA date); a commercial 180-day window is the 180th day after the EOB.
 */
export function noticeWindowDeadline(input: {
  noticeDate: string;
  window: NoticeWindow;
  timeZone: string;
}): Deadline {
  check(input.noticeDate, input.timeZone, 'notice date');
  const start = windowStart(input.noticeDate, input.window);
  return deadlineOn(addPeriod(start.date, input.window.period), input.timeZone, start);
}

/**
 * The timely filing limit: the period after the date of service. Medicare's is one calendar year
 * (`{ length: 1, unit: 'years' }`), which differs from 365 days whenever a 29 February lies between.
 */
export function timelyFilingDeadline(input: {
  dateOfService: string;
  limit: Period;
  timeZone: string;
}): Deadline {
  check(input.dateOfService, input.timeZone, 'date of service');
  return deadlineOn(addPeriod(input.dateOfService, input.limit), input.timeZone, {
    basis: 'date_of_service',
    date: input.dateOfService,
  });
}

/** Medicare's reopening limit for any reason, clerical errors included: one year from the initial determination. */
export const MEDICARE_REOPENING_LIMIT: Period = { length: 1, unit: 'years' };

/** The last day a Medicare claim may be reopened (corrected) after its initial determination. */
export function reopeningDeadline(input: {
  initialDeterminationDate: string;
  timeZone: string;
  limit?: Period;
}): Deadline {
  check(input.initialDeterminationDate, input.timeZone, 'initial determination date');
  return deadlineOn(
    addPeriod(input.initialDeterminationDate, input.limit ?? MEDICARE_REOPENING_LIMIT),
    input.timeZone,
    { basis: 'initial_determination', date: input.initialDeterminationDate },
  );
}

/** The first-action target for a new denial: 10 business days, skipping weekends and federal holidays. */
export function firstActionTarget(input: {
  denialDate: string;
  timeZone: string;
  businessDays?: number;
}): Deadline {
  check(input.denialDate, input.timeZone, 'denial date');
  return deadlineOn(addBusinessDays(input.denialDate, input.businessDays ?? 10), input.timeZone, {
    basis: 'denial',
    date: input.denialDate,
  });
}

/** True when an act at `atMs` is too late for `deadline` (after 23:59:59.999 of its last day). */
export function isPast(deadline: Deadline, atMs: number): boolean {
  return atMs > deadline.endsAt;
}

/** "counted from receipt (presumed 5 days after the remittance of 2025-03-15)" and the like. */
export function describeCountedFrom(c: CountedFrom): string {
  switch (c.basis) {
    case 'receipt':
      return `counted from receipt on ${c.date} (presumed ${c.presumptionDays ?? 0} days after the notice of ${c.noticeDate ?? '?'})`;
    case 'remittance':
      return `counted from the remittance date ${c.date}`;
    case 'date_of_service':
      return `counted from the date of service ${c.date}`;
    case 'initial_determination':
      return `counted from the initial determination of ${c.date}`;
    case 'denial':
      return `counted from the denial of ${c.date}`;
  }
}

/** "2025-07-18 (end of day, America/New_York)": how a refusal names the deadline it enforces. */
export function describeDeadline(d: Deadline): string {
  return `${d.date} (end of day, ${d.timeZone})`;
}

/** How a Medicare claim may be corrected after its initial determination, or why it may not. */
export type MedicareCorrectionRoute =
  | { allowed: true; route: 'reopening'; deadline: Deadline }
  | { allowed: false; steerTo: 'appeal'; reason: string; appealDeadline: Deadline }
  | { allowed: false; reason: string };

/**
 * A clerical-error correction of an adjudicated Medicare claim is a reopening, allowed until the end of
 * the reopening deadline; later, the biller is steered to the appeal while its window is open, and
 * refused with the deadline otherwise.
 */
export function medicareCorrectionRoute(input: {
  atMs: number;
  reopening: Deadline;
  appeal?: Deadline;
}): MedicareCorrectionRoute {
  if (!isPast(input.reopening, input.atMs)) {
    return { allowed: true, route: 'reopening', deadline: input.reopening };
  }
  const closed = `the reopening deadline (one year from the initial determination) ended on ${describeDeadline(input.reopening)}`;
  if (input.appeal && !isPast(input.appeal, input.atMs)) {
    return {
      allowed: false,
      steerTo: 'appeal',
      reason: `${closed}; file an appeal instead, open until ${describeDeadline(input.appeal)}`,
      appealDeadline: input.appeal,
    };
  }
  return { allowed: false, reason: closed };
}
