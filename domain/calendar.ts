/**
 * Civil-date arithmetic on `YYYY-MM-DD` strings: days, calendar months and years, weekdays. A billing
 * deadline is a date on the practice's calendar, so this works on dates, never on instants; turning a
 * date into the instant it ends is `endOfDayIn` in `time-zones.ts`. Integer arithmetic only (days since
 * 1970-01-01 in the proleptic Gregorian calendar), so no time zone can shift a day.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** A calendar date as year, month (1-12) and day (1-31). */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** True in a Gregorian leap year. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in `month` (1-12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** Reads a `YYYY-MM-DD` date; throws RangeError unless it names a real calendar day. */
export function parseCivilDate(date: string): CivilDate {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`"${date}" is not a YYYY-MM-DD date`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`"${date}" is not a calendar date`);
  }
  return { year, month, day };
}

/** True for a real calendar date in `YYYY-MM-DD` form. */
export function isCivilDate(date: string): boolean {
  try {
    parseCivilDate(date);
    return true;
  } catch {
    return false;
  }
}

/** Writes a date as `YYYY-MM-DD`. */
export function formatCivilDate(d: CivilDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** Days since 1970-01-01 of a date (Date.UTC does exact proleptic Gregorian arithmetic). */
export function dayNumber(date: string): number {
  const { year, month, day } = parseCivilDate(date);
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** The date `n` days after 1970-01-01. */
export function fromDayNumber(n: number): string {
  const d = new Date(n * DAY_MS);
  return formatCivilDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}

/** The date `days` calendar days after `date` (before it when negative). */
export function addCalendarDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function calendarDaysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/**
 * The same day `months` calendar months later; a day the target month lacks becomes its last day, so
 * 31 January + 1 month is 28 February (29 in a leap year) and 31 August + 1 month is 30 September.
 */
export function addCalendarMonths(date: string, months: number): string {
  const { year, month, day } = parseCivilDate(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return formatCivilDate({ year: y, month: m, day: Math.min(day, daysInMonth(y, m)) });
}

/** The same day `years` calendar years later; 29 February becomes 28 February in a common year. */
export function addCalendarYears(date: string, years: number): string {
  return addCalendarMonths(date, years * 12);
}

/** Day of the week, 0 Sunday .. 6 Saturday. */
export function weekday(date: string): number {
  // 1970-01-01 was a Thursday (4).
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

/** True on Saturday and Sunday. */
export function isWeekend(date: string): boolean {
  const d = weekday(date);
  return d === 0 || d === 6;
}
