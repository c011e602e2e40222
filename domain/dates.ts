/**
 * Calendar arithmetic on ISO dates and instants, in UTC. Deadlines in billing are calendar days
 * (docs/deadlines.md), so day math is done on UTC midnights and never through local time zones.
 */
const DAY_MS = 86_400_000;

export const DAY = DAY_MS;

/** `YYYY-MM-DD` of an instant (UTC). */
export function isoDate(at: Date | number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Midnight UTC of an ISO date, in epoch ms. Throws on an invalid calendar date. */
export function dateToMs(date: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`"${date}" is not a YYYY-MM-DD date`);
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms) || isoDate(ms) !== date) throw new RangeError(`"${date}" is not a calendar date`);
  return ms;
}

/** True for a real calendar date in `YYYY-MM-DD` form. */
export function isValidIsoDate(date: string): boolean {
  try {
    dateToMs(date);
    return true;
  } catch {
    return false;
  }
}

export function addDays(atMs: number, days: number): number {
  return atMs + days * DAY_MS;
}

/** Whole days from `fromMs` to `toMs` (negative when `toMs` is earlier), rounded up. */
export function daysUntil(fromMs: number, toMs: number): number {
  return Math.ceil((toMs - fromMs) / DAY_MS);
}

/** Business days (Mon-Fri) strictly after `fromMs` up to and including `toMs`. Holidays are not modelled. */
export function businessDaysBetween(fromMs: number, toMs: number): number {
  let count = 0;
  for (let t = fromMs + DAY_MS; t <= toMs; t += DAY_MS) {
    const d = new Date(t).getUTCDay();
    if (d !== 0 && d !== 6) count++;
  }
  return count;
}
