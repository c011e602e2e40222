/**
 * US federal holidays (5 U.S.C. 6103), computed rather than listed so that no year runs out, with the
 * observed-day rule federal offices and payers close on: a holiday falling on a Saturday is observed the
 * Friday before, one on a Sunday the Monday after (Executive Order 11582). Business-day targets
 * (docs/deadline-rules.md) skip the observed days.
 */
import { addCalendarDays, formatCivilDate, isWeekend, weekday } from './calendar.js';

/** One federal holiday of a year: its name, its legal date, and the weekday it is observed on. */
export interface FederalHoliday {
  name: string;
  /** The date the statute names. */
  date: string;
  /** The weekday offices close (differs from `date` when that is a Saturday or a Sunday). */
  observed: string;
}

/** The `nth` (1-based) `dow` (0 Sunday) of a month; `nth` -1 is the last one. */
function nthWeekday(year: number, month: number, dow: number, nth: number): string {
  if (nth > 0) {
    const first = formatCivilDate({ year, month, day: 1 });
    const offset = (dow - weekday(first) + 7) % 7;
    return addCalendarDays(first, offset + (nth - 1) * 7);
  }
  const nextMonthFirst =
    month === 12
      ? formatCivilDate({ year: year + 1, month: 1, day: 1 })
      : formatCivilDate({ year, month: month + 1, day: 1 });
  const last = addCalendarDays(nextMonthFirst, -1);
  return addCalendarDays(last, -((weekday(last) - dow + 7) % 7));
}

function observedDay(date: string): string {
  const d = weekday(date);
  if (d === 6) return addCalendarDays(date, -1);
  if (d === 0) return addCalendarDays(date, 1);
  return date;
}

function fixed(name: string, year: number, month: number, day: number): FederalHoliday {
  const date = formatCivilDate({ year, month, day });
  return { name, date, observed: observedDay(date) };
}

function floating(name: string, date: string): FederalHoliday {
  return { name, date, observed: date };
}

/**
 * The federal holidays whose legal date falls in `year`, in calendar order. Juneteenth counts from 2021,
 * the year it was enacted. Note that New Year's Day on a Saturday is observed on 31 December of the year
 * before: `isFederalHoliday` accounts for that.
 */
export function federalHolidays(year: number): FederalHoliday[] {
  const list: FederalHoliday[] = [
    fixed("New Year's Day", year, 1, 1),
    floating('Birthday of Martin Luther King, Jr.', nthWeekday(year, 1, 1, 3)),
    floating("Washington's Birthday", nthWeekday(year, 2, 1, 3)),
    floating('Memorial Day', nthWeekday(year, 5, 1, -1)),
  ];
  if (year >= 2021) list.push(fixed('Juneteenth National Independence Day', year, 6, 19));
  list.push(
    fixed('Independence Day', year, 7, 4),
    floating('Labor Day', nthWeekday(year, 9, 1, 1)),
    floating('Columbus Day', nthWeekday(year, 10, 1, 2)),
    fixed('Veterans Day', year, 11, 11),
    floating('Thanksgiving Day', nthWeekday(year, 11, 4, 4)),
    fixed('Christmas Day', year, 12, 25),
  );
  return list;
}

/** The holiday observed on `date`, if any (including next year's New Year's Day observed on 31 December). */
export function observedFederalHoliday(date: string): FederalHoliday | undefined {
  const year = Number(date.slice(0, 4));
  for (const y of [year, year + 1]) {
    const hit = federalHolidays(y).find((h) => h.observed === date);
    if (hit) return hit;
  }
  return undefined;
}

/** True when federal offices are closed on `date` for a holiday (observed day). */
export function isFederalHoliday(date: string): boolean {
  return observedFederalHoliday(date) !== undefined;
}

/** True on Monday to Friday unless a federal holiday is observed that day. */
export function isBusinessDay(date: string): boolean {
  return !isWeekend(date) && !isFederalHoliday(date);
}

/**
 * The date `days` business days after `date` (`date` itself is day 0 and need not be a business day):
 * 10 business days after a Friday denial skip both weekends and any observed holiday between.
 */
export function addBusinessDays(date: string, days: number): string {
  if (!Number.isInteger(days) || days < 0) throw new RangeError('business days must be a whole number >= 0');
  let d = date;
  let left = days;
  while (left > 0) {
    d = addCalendarDays(d, 1);
    if (isBusinessDay(d)) left--;
  }
  return d;
}

/** Business days strictly after `from` up to and including `to` (0 when `to` is not later). */
export function businessDaysBetween(from: string, to: string): number {
  let count = 0;
  for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) if (isBusinessDay(d)) count++;
  return count;
}

/**
 * Every observed federal holiday from `from` to `to` (inclusive), in order: the list a database query
 * needs to count business days the same way as `businessDaysBetween`.
 */
export function observedFederalHolidaysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)) + 1; y++) {
    for (const h of federalHolidays(y)) if (h.observed >= from && h.observed <= to) out.push(h.observed);
  }
  return out.sort();
}
