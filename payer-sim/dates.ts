/**
 * Calendar helpers for the simulator. Dates are ISO `YYYY-MM-DD` in UTC: the payer's clock is UTC, which
 * is ahead of every US time zone, so "today" never makes a same-day claim look like it is in the future.
 */

const DAY_MS = 86_400_000;

/** True when year/month/day name a real Gregorian day (so 2025-02-30 is refused). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** The UTC calendar day of an instant (epoch milliseconds). */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Whole days from ISO day `from` to ISO day `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
