/**
 * Date conversions between the model's ISO `YYYY-MM-DD` and X12 `CCYYMMDD` (data element type DT).
 * Calendar validity is checked with integer arithmetic only: no `Date`, so no time zone can shift a day.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const X12_DATE = /^(\d{4})(\d{2})(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** True when year/month/day name a real Gregorian calendar day (so 2025-02-30 is refused). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const max = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day <= max;
}

/** `CCYYMMDD` -> `YYYY-MM-DD`, or `undefined` when the text is not a valid calendar date. */
export function x12DateToIso(text: string): string | undefined {
  const m = X12_DATE.exec(text);
  if (!m) return undefined;
  const [, y = '', mo = '', d = ''] = m;
  if (!isCalendarDate(Number(y), Number(mo), Number(d))) return undefined;
  return `${y}-${mo}-${d}`;
}

/** `YYYY-MM-DD` -> `CCYYMMDD`, or `undefined` when the text is not a valid calendar date. */
export function isoDateToX12(text: string): string | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [, y = '', mo = '', d = ''] = m;
  if (!isCalendarDate(Number(y), Number(mo), Number(d))) return undefined;
  return `${y}${mo}${d}`;
}
